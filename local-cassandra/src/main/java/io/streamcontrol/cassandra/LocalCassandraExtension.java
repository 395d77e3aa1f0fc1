package io.streamcontrol.cassandra;

import io.streamcontrol.localserver.SharedServerExtension;
import java.io.IOException;

/**
 * One real Cassandra server per test JVM, started when the first test class using this extension begins and
 * stopped when the whole test run ends.
 *
 * <pre>{@code
 * @ExtendWith(LocalCassandraExtension.class)
 * class MyTest {
 *     @Test void writes(LocalCassandra cassandra) {
 *         // CQL driver: contact point cassandra.host():cassandra.nativePort(), local datacenter "datacenter1"
 *     }
 * }
 * }</pre>
 *
 * The server's data lives in {@code target/local-cassandra-<timestamp>} of the working directory, or in the
 * directory named by the system property {@value #BASE_DIR_PROPERTY}. Its heap is {@value #HEAP_PROPERTY}, default
 * {@value LocalCassandra.Settings#DEFAULT_HEAP}: a suite whose tests leave many keyspaces behind needs more.
 */
public final class LocalCassandraExtension extends SharedServerExtension<LocalCassandra> {

    public static final String BASE_DIR_PROPERTY = "local.cassandra.base-dir";
    public static final String HEAP_PROPERTY = "local.cassandra.heap";

    public LocalCassandraExtension() {
        super(LocalCassandra.class);
    }

    /** The running server; only inside tests of a class extended with this extension. */
    public static LocalCassandra server() {
        return running(LocalCassandra.class, LocalCassandraExtension.class);
    }

    @Override
    protected LocalCassandra start() throws IOException {
        return new LocalCassandra(LocalCassandra.Settings.builder(defaultBaseDir(BASE_DIR_PROPERTY, "local-cassandra"))
                .heap(System.getProperty(HEAP_PROPERTY, LocalCassandra.Settings.DEFAULT_HEAP)).build()).start();
    }
}
