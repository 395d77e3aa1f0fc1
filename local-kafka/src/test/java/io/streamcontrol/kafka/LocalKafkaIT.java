package io.streamcontrol.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcontrol.localserver.Ports;
import io.streamcontrol.localserver.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts a real Kafka 4.1 broker, creates a topic with 4 partitions, sends records through it with the kafka-clients
 * of the broker's release (this module's test classpath only), stops it and starts it again on the same data.
 */
class LocalKafkaIT {

    private static final int RECORDS = 20_000;
    private static final int PARTITIONS = 4;

    @Test
    void startsRoundTripsRecordsStopsAndRestartsOnTheSameData(@TempDir Path baseDir) throws Exception {
        LocalKafka kafka = new LocalKafka(LocalKafka.Settings.builder(baseDir).build());
        int port;
        int controllerPort;
        try {
            long startNanos = System.nanoTime();
            assertThat(kafka.start()).isSameAs(kafka);
            report("ready after %d ms (with formatting the storage)", millisSince(startNanos));

            port = kafka.port();
            controllerPort = kafka.controllerPort();
            assertThat(port).isPositive().isNotEqualTo(controllerPort);
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            assertThat(kafka.baseDir()).isEqualTo(baseDir.toAbsolutePath());

            long pid = kafka.pid();
            ProcessHandle broker = ProcessHandle.of(pid).orElseThrow();
            assertThat(broker.parent().map(ProcessHandle::pid)).contains(ProcessHandle.current().pid());
            assertThat(ServerProcess.commandLine(broker)).contains(" kafka.Kafka ").contains("-Xmx256m");
            assertThat(Files.readString(baseDir.resolve("kafka.pid")).trim()).isEqualTo(Long.toString(pid));
            assertThat(baseDir.resolve("logs/server.log")).content().contains("Kafka Server started");
            assertThat(baseDir.resolve("data/meta.properties")).exists();

            List<String> listening = Ports.listening(pid);
            report("listening on %s", listening);
            assertThat(listening).containsExactlyInAnyOrder("127.0.0.1:" + port, "127.0.0.1:" + controllerPort);

            long topicNanos = System.nanoTime();
            kafka.createTopic("round-trip", PARTITIONS);
            report("topic with %d partitions created in %d ms", PARTITIONS, millisSince(topicNanos));
            assertThatThrownBy(() -> kafka.createTopic("round-trip", PARTITIONS))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("Creating topic round-trip with 4 partitions failed with exit code 1")
                    .hasMessageContaining("TopicExistsException");

            long produceNanos = System.nanoTime();
            produce(kafka.bootstrapServers(), "round-trip", PARTITIONS, RECORDS);
            report("%d records produced in %d ms", RECORDS, millisSince(produceNanos));
            long consumeNanos = System.nanoTime();
            Map<Integer, Integer> perPartition = consumeAll(kafka.bootstrapServers(), "round-trip", "first", RECORDS);
            report("%d records consumed in %d ms: per partition %s", RECORDS, millisSince(consumeNanos),
                    perPartition);
            assertThat(perPartition).containsOnlyKeys(0, 1, 2, 3);
            assertThat(perPartition.values()).containsOnly(RECORDS / PARTITIONS);

            long stopNanos = System.nanoTime();
            kafka.stop();
            report("stopped after %d ms", millisSince(stopNanos));
            assertThat(broker.isAlive()).isFalse();
            assertThat(kafka.isAlive()).isFalse();
            assertThat(Ports.isFree(port)).isTrue();
            assertThat(Ports.isFree(controllerPort)).isTrue();
            assertThat(baseDir.resolve("kafka.pid")).doesNotExist();
            kafka.stop();
        } finally {
            kafka.stop();
        }

        ProcessHandle restartedBroker;
        long restartNanos = System.nanoTime();
        try (LocalKafka restarted = new LocalKafka(
                LocalKafka.Settings.builder(baseDir).port(port).controllerPort(controllerPort).build()).start()) {
            report("restarted on the same data after %d ms", millisSince(restartNanos));
            restartedBroker = ProcessHandle.of(restarted.pid()).orElseThrow();
            Map<Integer, Integer> again = consumeAll(restarted.bootstrapServers(), "round-trip", "second", RECORDS);
            assertThat(again.values()).containsOnly(RECORDS / PARTITIONS);
        }
        assertThat(restartedBroker.isAlive()).isFalse();
        assertThat(brokersIn(baseDir)).isEmpty();
    }

    @Test
    void aStartThatFailsStopsTheBrokerItStartedAndSaysWhy(@TempDir Path baseDir) throws Exception {
        LocalKafka kafka = new LocalKafka(
                LocalKafka.Settings.builder(baseDir).startupTimeout(Duration.ofMillis(1)).build());

        assertThatThrownBy(kafka::start).isInstanceOf(IOException.class)
                .hasMessageStartingWith("Kafka did not start within PT0.001S")
                .hasMessageContaining("--- tail of " + baseDir.resolve("logs/server.log"));

        assertThat(baseDir.resolve("logs/stdout.log")).as("a broker was started").exists();
        assertThat(baseDir.resolve("data/meta.properties")).as("the storage was formatted").exists();
        assertThat(kafka.isAlive()).isFalse();
        assertThat(brokersIn(baseDir)).isEmpty();
        assertThat(baseDir.resolve("kafka.pid")).doesNotExist();
        assertThat(Ports.isFree(kafka.settings().port())).isTrue();
        assertThat(Ports.isFree(kafka.settings().controllerPort())).isTrue();
    }

    /** Runs after the tests above (JUnit runs a class's own tests before its nested classes). */
    @Nested
    @ExtendWith(LocalKafkaExtension.class)
    class WithTheExtension {

        @Test
        void injectsTheBrokerOfThisTestRun(LocalKafka kafka) throws Exception {
            assertThat(kafka).isSameAs(LocalKafkaExtension.server());
            assertThat(kafka.isAlive()).isTrue();
            assertThat(kafka.baseDir().getParent()).isEqualTo(Path.of("target").toAbsolutePath());
            assertThat(kafka.baseDir().getFileName().toString()).startsWith("local-kafka-");
            kafka.createTopic("extension-check", 2);
            produce(kafka.bootstrapServers(), "extension-check", 2, 100);
            assertThat(consumeAll(kafka.bootstrapServers(), "extension-check", "g", 100)).hasSize(2);
        }
    }

    /** Keys "key-i", values "value-i", record i to partition i % partitions; waits for every acknowledgement. */
    private static void produce(String bootstrapServers, String topic, int partitions, int count) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, i % partitions, "key-" + i, "value-" + i));
            }
            producer.flush();
        }
    }

    /** Reads the topic from the start in a new group until {@code expected} records came; checks their content. */
    private static Map<Integer, Integer> consumeAll(String bootstrapServers, String topic, String group, int expected) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<Integer, Integer> perPartition = new TreeMap<>();
        boolean[] seen = new boolean[expected];
        int count = 0;
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (count < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    int i = Integer.parseInt(record.key().substring("key-".length()));
                    assertThat(record.value()).isEqualTo("value-" + i);
                    assertThat(seen[i]).as("record %d twice", i).isFalse();
                    seen[i] = true;
                    perPartition.merge(record.partition(), 1, Integer::sum);
                    count++;
                }
            }
        }
        assertThat(count).as("records read back").isEqualTo(expected);
        return perPartition;
    }

    /** The brokers this JVM started in baseDir (the extension's shared broker runs elsewhere). */
    static List<ProcessHandle> brokersIn(Path baseDir) {
        return ProcessHandle.current().descendants()
                .filter(h -> ServerProcess.commandLine(h).contains(" kafka.Kafka " + baseDir.toAbsolutePath()))
                .toList();
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }

    private static void report(String format, Object... args) {
        System.out.println("[LocalKafkaIT] " + String.format(format, args));
    }
}
