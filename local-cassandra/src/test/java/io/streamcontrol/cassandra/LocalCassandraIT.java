package io.streamcontrol.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcontrol.localserver.Ports;
import io.streamcontrol.localserver.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Starts a real Cassandra 5.0 server, stops it and starts it again on the same data. */
class LocalCassandraIT {

    /** Opcodes and an error code of the native protocol that only this test sends or expects. */
    private static final int OPTIONS = 0x05;
    private static final int SUPPORTED = 0x06;
    private static final int ALREADY_EXISTS = 0x2400;
    private static final String CREATE_KEYSPACE = "CREATE KEYSPACE restart_check WITH replication ="
            + " {'class': 'NetworkTopologyStrategy', 'datacenter1': 1}";

    @Test
    void startsStopsAndRestartsOnTheSameData(@TempDir Path baseDir) throws Exception {
        LocalCassandra.Settings settings = LocalCassandra.Settings.builder(baseDir).build();
        LocalCassandra cassandra = new LocalCassandra(settings);
        try {
            long startNanos = System.nanoTime();
            assertThat(cassandra.start()).isSameAs(cassandra);
            report("ready after %d ms", Duration.ofNanos(System.nanoTime() - startNanos).toMillis());

            int port = cassandra.nativePort();
            assertThat(port).isPositive();
            assertThat(cassandra.host()).isEqualTo("127.0.0.1");
            assertThat(cassandra.contactPoint()).isEqualTo("127.0.0.1:" + port);
            assertThat(cassandra.baseDir()).isEqualTo(baseDir.toAbsolutePath());
            try (CqlConnection cql = new CqlConnection(cassandra.host(), port, null)) {
                CqlConnection.Frame supported = cql.request(OPTIONS, new byte[0]);
                assertThat(supported.version()).isEqualTo(0x84);
                assertThat(supported.stream()).isEqualTo(1);
                assertThat(supported.opcode()).isEqualTo(SUPPORTED);
                assertThat(supported.text()).contains("CQL_VERSION");
                assertThat(cql.startup().opcode()).isEqualTo(CqlConnection.READY);
                CqlConnection.Frame created = cql.query(CREATE_KEYSPACE);
                assertThat(created.opcode()).as(created.text()).isEqualTo(CqlConnection.RESULT);
            }

            long pid = cassandra.pid();
            ProcessHandle server = ProcessHandle.of(pid).orElseThrow();
            assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(server.parent().map(ProcessHandle::pid)).contains(ProcessHandle.current().pid());
            assertThat(ServerProcess.commandLine(server))
                    .contains("org.apache.cassandra.service.CassandraDaemon").contains("-Xmx256m");
            assertThat(Files.readString(baseDir.resolve("cassandra.pid")).trim()).isEqualTo(Long.toString(pid));
            assertThat(baseDir.resolve("logs/system.log")).content().contains("Startup complete");
            assertThat(baseDir.resolve("data/system")).isDirectory();
            assertThat(baseDir.resolve("commitlog")).isDirectory();

            long rssBytes = rssBytes(pid);
            report("RSS %d MB", rssBytes / (1024 * 1024));
            assertThat(rssBytes).isLessThan(1_200_000_000L);

            List<String> listening = Ports.listening(pid);
            report("listening on %s", listening);
            assertThat(listening).contains("127.0.0.1:" + port, "127.0.0.1:" + cassandra.storagePort(),
                    "127.0.0.1:" + cassandra.jmxPort());
            assertThat(listening).allMatch(address -> address.startsWith("127.0.0.1:"));

            long stopNanos = System.nanoTime();
            cassandra.stop();
            report("stopped after %d ms", Duration.ofNanos(System.nanoTime() - stopNanos).toMillis());
            assertThat(server.isAlive()).isFalse();
            assertThat(cassandra.isAlive()).isFalse();
            assertThat(Ports.isOpen("127.0.0.1", port)).isFalse();
            assertThat(baseDir.resolve("cassandra.pid")).doesNotExist();
            cassandra.stop();
        } finally {
            cassandra.stop();
        }

        ProcessHandle restartedServer;
        try (LocalCassandra restarted = new LocalCassandra(settings).start()) {
            restartedServer = ProcessHandle.of(restarted.pid()).orElseThrow();
            try (CqlConnection cql = new CqlConnection(restarted.host(), restarted.nativePort(), null)) {
                assertThat(cql.startup().opcode()).isEqualTo(CqlConnection.READY);
                CqlConnection.Frame again = cql.query(CREATE_KEYSPACE);
                assertThat(again.opcode()).as(again.text()).isEqualTo(CqlConnection.ERROR);
                assertThat(again.errorCode()).as(again.text()).isEqualTo(ALREADY_EXISTS);
            }
        }
        assertThat(restartedServer.isAlive()).isFalse();
    }

    @Test
    void withPasswordAuthenticationAndTlsOnlyRolesWithTheirPasswordLogInOverTls(@TempDir Path baseDir)
            throws Exception {
        SelfSignedTls tls = SelfSignedTls.create(baseDir.resolve("tls"), "key-pass", "trust-pass",
                Path.of(System.getProperty("java.home")));
        try (LocalCassandra cassandra = new LocalCassandra(LocalCassandra.Settings.builder(baseDir.resolve("node"))
                .passwordAuthentication(true).clientEncryption(tls.keystore(), tls.keystorePassword()).build())
                .start()) {
            assertThat(baseDir.resolve("node/conf/cassandra.yaml")).content()
                    .contains("PasswordAuthenticator", "credentials_validity: 1000ms", "client_encryption_options:");
            long began = System.nanoTime();
            cassandra.createRole("app_user", "first 'secret'");
            report("role created over TLS %d ms after startup", Duration.ofNanos(System.nanoTime() - began).toMillis());

            try (CqlClient cql = new CqlClient(cassandra.host(), cassandra.nativePort(), "app_user", "first 'secret'",
                    tls.clientContext().getSocketFactory())) {
                cql.execute("CREATE KEYSPACE app WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
                cql.execute("CREATE TABLE app.t (k int PRIMARY KEY)");
                cql.execute("INSERT INTO app.t (k) VALUES (1)");
            }
            assertThatThrownBy(() -> new CqlClient(cassandra.host(), cassandra.nativePort(), "app_user",
                    "first 'secret'")).as("a plain connection").isInstanceOf(IOException.class);
            assertThatThrownBy(() -> new CqlClient(cassandra.host(), cassandra.nativePort(), "app_user", "wrong",
                    cassandra.clientTls()))
                    .isInstanceOfSatisfying(CqlClient.CqlError.class, e -> assertThat(e.code()).isEqualTo(0x0100))
                    .hasMessageContaining("password");
            assertThatThrownBy(() -> new CqlClient(cassandra.host(), cassandra.nativePort(), null, null,
                    cassandra.clientTls())).hasMessageContaining("requires a login");

            began = System.nanoTime();
            cassandra.changePassword("app_user", "second");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            boolean refused = false;
            while (!refused && System.nanoTime() < deadline) {
                try (CqlClient old = new CqlClient(cassandra.host(), cassandra.nativePort(), "app_user",
                        "first 'secret'", cassandra.clientTls())) {
                    Thread.sleep(200); // the credentials cache still knows the old password
                } catch (CqlClient.CqlError e) {
                    refused = e.code() == 0x0100;
                }
            }
            assertThat(refused).as("the old password is refused within 10 s").isTrue();
            report("old password refused %d ms after the change", Duration.ofNanos(System.nanoTime() - began).toMillis());
            new CqlClient(cassandra.host(), cassandra.nativePort(), "app_user", "second", cassandra.clientTls()).close();
        }
    }

    /** Runs after the test above (JUnit runs a class's own tests before its nested classes). */
    @Nested
    @ExtendWith(LocalCassandraExtension.class)
    class WithTheExtension {

        @Test
        void injectsTheServerOfThisTestRun(LocalCassandra cassandra) throws Exception {
            assertThat(cassandra).isSameAs(LocalCassandraExtension.server());
            assertThat(cassandra.isAlive()).isTrue();
            assertThat(cassandra.baseDir().getParent()).isEqualTo(Path.of("target").toAbsolutePath());
            assertThat(cassandra.baseDir().getFileName().toString()).startsWith("local-cassandra-");
            try (CqlConnection cql = new CqlConnection(cassandra.host(), cassandra.nativePort(), null)) {
                assertThat(cql.request(OPTIONS, new byte[0]).opcode()).isEqualTo(SUPPORTED);
            }
        }
    }

    private static long rssBytes(long pid) throws IOException, InterruptedException {
        Process ps = new ProcessBuilder("ps", "-o", "rss=", "-p", Long.toString(pid)).start();
        String kilobytes = new String(ps.getInputStream().readAllBytes()).trim();
        assertThat(ps.waitFor()).isZero();
        return Long.parseLong(kilobytes) * 1024;
    }

    private static void report(String format, Object... args) {
        System.out.println("[LocalCassandraIT] " + String.format(format, args));
    }
}
