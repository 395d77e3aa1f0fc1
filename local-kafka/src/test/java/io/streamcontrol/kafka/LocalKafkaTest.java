package io.streamcontrol.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcontrol.localserver.Jdk;
import io.streamcontrol.localserver.ServerProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings, and what start() does when the broker cannot come up; no real broker is started here. */
class LocalKafkaTest {

    @TempDir
    Path dir;

    @Test
    void defaults() {
        LocalKafka.Settings s = LocalKafka.Settings.builder(Path.of("relative/node")).build();

        assertThat(s.baseDir()).isEqualTo(Path.of("relative/node").toAbsolutePath());
        assertThat(s.port()).isZero();
        assertThat(s.controllerPort()).isZero();
        assertThat(s.heap()).isEqualTo("256m");
        assertThat(s.startupTimeout()).isEqualTo(Duration.ofSeconds(90));
        // the build records where it copied the broker's jars
        assertThat(s.libDir()).endsWith(Path.of("target", "kafka-lib"));
        assertThat(s.libDir().resolve("kafka_2.13-4.1.1.jar")).exists();
        assertThat(Jdk.featureVersion(s.javaHome())).contains(17);
    }

    @Test
    void libDirComesFromSystemPropertyThenEnvironmentThenBuild() {
        Properties build = new Properties();
        build.setProperty("kafka.lib.dir", "/from/build");

        assertThat(LocalKafka.Settings.defaultLibDir(null, "/from/env", build)).isEqualTo(Path.of("/from/env"));
        assertThat(LocalKafka.Settings.defaultLibDir(" ", null, build)).isEqualTo(Path.of("/from/build"));
        assertThatThrownBy(() -> LocalKafka.Settings.defaultLibDir(null, null, new Properties()))
                .hasMessageContaining("KAFKA_LIB_DIR");
    }

    @Test
    void argumentsForScripts() {
        LocalKafka.Settings defaults = LocalKafka.parseArguments("--base-dir", "/tmp/kafka");
        assertThat(defaults.baseDir()).isEqualTo(Path.of("/tmp/kafka"));
        assertThat(defaults.port()).isEqualTo(9092);
        assertThat(defaults.controllerPort()).isZero();
        assertThat(defaults.heap()).isEqualTo("256m");

        LocalKafka.Settings all = LocalKafka.parseArguments("--port", "0", "--controller-port", "19093",
                "--heap", "1g", "--base-dir", "/tmp/kafka");
        assertThat(all.port()).isZero();
        assertThat(all.controllerPort()).isEqualTo(19093);
        assertThat(all.heap()).isEqualTo("1g");

        assertThatThrownBy(() -> LocalKafka.parseArguments()).hasMessage("--base-dir is required");
        assertThatThrownBy(() -> LocalKafka.parseArguments("--base-dir", "/tmp/x", "--native-port", "1"))
                .hasMessage("Unknown argument: --native-port");
        assertThatThrownBy(() -> LocalKafka.parseArguments("--base-dir", "/tmp/x", "--port", "x"))
                .hasMessageContaining("--port must be a port number");
    }

    @Test
    void freePortsReplaceOnlyZeroPorts() {
        LocalKafka.Settings s = LocalKafka.Settings.builder(dir).port(19092).build().withFreePorts();

        assertThat(s.port()).isEqualTo(19092);
        assertThat(s.controllerPort()).isPositive().isNotEqualTo(19092);
        LocalKafka.Settings both = LocalKafka.Settings.builder(dir).build().withFreePorts();
        assertThat(both.port()).isPositive().isNotEqualTo(both.controllerPort());
        assertThat(both.controllerPort()).isPositive();
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> LocalKafka.Settings.builder(dir).heap("lots").build()).hasMessageContaining("heap");
        assertThatThrownBy(() -> LocalKafka.Settings.builder(dir).port(70000).build())
                .hasMessageContaining("0-65535");
        assertThatThrownBy(() -> LocalKafka.Settings.builder(dir).port(9092).controllerPort(9092).build())
                .hasMessageContaining("must differ");
        assertThatThrownBy(() -> LocalKafka.Settings.builder(dir).startupTimeout(Duration.ZERO).build())
                .hasMessageContaining("startupTimeout");
    }

    @Test
    void aTakenPortIsReportedBeforeAnythingStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            LocalKafka kafka = new LocalKafka(LocalKafka.Settings.builder(dir).port(taken.getLocalPort()).build());

            assertThatThrownBy(kafka::start).isInstanceOf(IOException.class)
                    .hasMessage("Port 127.0.0.1:" + taken.getLocalPort() + " is already in use");
            assertThat(kafka.isAlive()).isFalse();
            assertThat(LocalKafkaIT.brokersIn(dir)).isEmpty();
            assertThat(dir.resolve("kafka.pid")).doesNotExist();
        }
    }

    @Test
    void aFolderWithoutTheBrokerIsExplained() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        LocalKafka kafka = new LocalKafka(LocalKafka.Settings.builder(dir.resolve("node")).libDir(lib)
                .build());

        assertThatThrownBy(kafka::start).hasMessageContaining("No kafka_2.13-*.jar in " + lib)
                .hasMessageContaining("KAFKA_LIB_DIR");
        assertThat(kafka.isAlive()).isFalse();
    }

    @Test
    void aStorageThatCannotBeFormattedIsReportedWithTheToolsOutput() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.writeString(lib.resolve("kafka_2.13-4.1.1.jar"), "not a jar");
        LocalKafka kafka = new LocalKafka(LocalKafka.Settings.builder(dir.resolve("node")).libDir(lib)
                .build());

        assertThatThrownBy(kafka::start).isInstanceOf(IOException.class)
                .hasMessageContaining("Formatting the storage of " + dir.resolve("node/data") + " failed with exit code")
                .hasMessageContaining("kafka.tools.StorageTool");
        assertThat(kafka.isAlive()).isFalse();
        assertThat(ProcessHandle.current().descendants()
                .filter(h -> ServerProcess.commandLine(h).contains(dir.toString()))).isEmpty();
        assertThat(dir.resolve("node/conf/server.properties")).exists();
        assertThat(dir.resolve("node/kafka.pid")).doesNotExist();
    }

    @Test
    void topicsNeedARunningBrokerAndSaneArguments() {
        LocalKafka kafka = new LocalKafka(LocalKafka.Settings.builder(dir).port(19092).build());

        assertThatThrownBy(() -> kafka.createTopic("bad topic", 1)).hasMessageContaining("topic name");
        assertThatThrownBy(() -> kafka.createTopic("..", 1)).hasMessageContaining("topic name");
        assertThatThrownBy(() -> kafka.createTopic("events", 0)).hasMessageContaining("at least one partition");
        assertThatThrownBy(() -> kafka.createTopic("events", 4)).hasMessage("Kafka is not running");
        assertThatThrownBy(kafka::pid).hasMessage("Kafka is not running");
        assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:19092");
        kafka.stop();
    }

    @Test
    void aStaleBrokerOfThisJvmIsNotKilled() throws Exception {
        Process child = new ProcessBuilder(Jdk.java(Path.of(System.getProperty("java.home"))), "-cp",
                System.getProperty("java.class.path"), Sleeper.class.getName(), "kafka.Kafka", "server.properties")
                .start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!ServerProcess.commandLine(child.toHandle()).contains(" kafka.Kafka ")
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Files.writeString(LocalKafka.pidFile(dir), Long.toString(child.pid()));

            assertThatThrownBy(() -> LocalKafka.killStale(dir)).hasMessageContaining("in use by Kafka pid "
                    + child.pid() + " of this JVM");
            assertThat(child.isAlive()).isTrue();
        } finally {
            child.destroyForcibly().waitFor();
        }
        assertThat(LocalKafka.killStale(dir)).as("a dead pid").isFalse();
        assertThat(LocalKafka.pidFile(dir)).doesNotExist();
    }

    /** Stands for a broker: its command line names kafka.Kafka. */
    static final class Sleeper {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(60_000);
        }
    }
}
