package io.streamcontrol.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What start() does when the server cannot come up; no real server is started here. */
class LocalCassandraTest {

    @TempDir
    Path dir;

    @Test
    void aServerThatDiesDuringStartupIsReportedWithItsLog() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.writeString(lib.resolve("jamm-0.4.0.jar"), "not a jar");
        LocalCassandra cassandra = new LocalCassandra(
                LocalCassandra.Settings.builder(dir.resolve("node")).libDir(lib).build());

        assertThatThrownBy(cassandra::start)
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Cassandra exited during startup with code")
                .hasMessageContaining("--- tail of " + dir.resolve("node/logs/stdout.log"))
                .hasMessageContaining("jamm-0.4.0.jar");

        assertThat(cassandra.isAlive()).isFalse();
        assertThat(dir.resolve("node/cassandra.pid")).doesNotExist();
        assertThat(dir.resolve("node/conf/cassandra.yaml")).exists();
        assertThat(dir.resolve("node/conf/logback.xml")).exists();
        cassandra.stop();
    }

    @Test
    void aTakenPortIsReportedBeforeStarting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            LocalCassandra cassandra = new LocalCassandra(LocalCassandra.Settings.builder(dir)
                    .nativePort(taken.getLocalPort()).build());

            assertThatThrownBy(cassandra::start)
                    .hasMessage("Port 127.0.0.1:" + taken.getLocalPort() + " is already in use");
            assertThat(cassandra.isAlive()).isFalse();
        }
    }

    @Test
    void pidNeedsARunningServer() {
        LocalCassandra cassandra = new LocalCassandra(LocalCassandra.Settings.builder(dir).nativePort(19042).build());

        assertThatThrownBy(cassandra::pid).hasMessage("Cassandra is not running");
        assertThat(cassandra.nativePort()).isEqualTo(19042);
        assertThat(cassandra.contactPoint()).isEqualTo("127.0.0.1:19042");
        assertThat(cassandra.baseDir()).isEqualTo(dir);
    }
}
