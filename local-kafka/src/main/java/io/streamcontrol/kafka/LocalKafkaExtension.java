package io.streamcontrol.kafka;

import io.streamcontrol.localserver.SharedServerExtension;
import java.io.IOException;

/**
 * One real Kafka broker per test JVM, started when the first test class using this extension begins and stopped
 * when the whole test run ends.
 *
 * <pre>{@code
 * @ExtendWith(LocalKafkaExtension.class)
 * class MyTest {
 *     @Test void reads(LocalKafka kafka) throws IOException {
 *         kafka.createTopic("my-test-events", 4);   // topic names are shared by the whole run: make them unique
 *         // clients: bootstrap.servers = kafka.bootstrapServers()
 *     }
 * }
 * }</pre>
 *
 * The broker's data lives in {@code target/local-kafka-<timestamp>} of the working directory, or in the directory
 * named by the system property {@value #BASE_DIR_PROPERTY}. Its heap is {@value #HEAP_PROPERTY}, default
 * {@value LocalKafka.Settings#DEFAULT_HEAP}.
 */
public final class LocalKafkaExtension extends SharedServerExtension<LocalKafka> {

    public static final String BASE_DIR_PROPERTY = "local.kafka.base-dir";
    public static final String HEAP_PROPERTY = "local.kafka.heap";

    public LocalKafkaExtension() {
        super(LocalKafka.class);
    }

    /** The running broker; only inside tests of a class extended with this extension. */
    public static LocalKafka server() {
        return running(LocalKafka.class, LocalKafkaExtension.class);
    }

    @Override
    protected LocalKafka start() throws IOException {
        return new LocalKafka(LocalKafka.Settings.builder(defaultBaseDir(BASE_DIR_PROPERTY, "local-kafka"))
                .heap(System.getProperty(HEAP_PROPERTY, LocalKafka.Settings.DEFAULT_HEAP)).build()).start();
    }
}
