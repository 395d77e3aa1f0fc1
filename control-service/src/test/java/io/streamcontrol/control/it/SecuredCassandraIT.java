package io.streamcontrol.control.it;

import static io.streamcontrol.control.it.ControlApi.inState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import io.streamcontrol.cassandra.LocalCassandra;
import io.streamcontrol.cassandra.SelfSignedTls;
import io.streamcontrol.control.ControlServiceApplication;
import io.streamcontrol.generator.GeneratorServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A Cassandra of its own that requires a login (PasswordAuthenticator, CassandraAuthorizer) and TLS (a self-signed
 * certificate made with keytool), and a role that is no superuser: the service connects with the role's credentials
 * and its SSL bundle's truststore, and so do the jobs it launches, without a password ever showing in a driver's
 * command line, the API, the stored configuration, the Spark UI or a log. Credentials that stop working end a job as
 * FAILED saying so, and a service with a wrong password does not start, saying so. (The other tests' Cassandra, of
 * LocalCassandraExtension, stays without authentication and TLS.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(OutputCaptureExtension.class)
class SecuredCassandraIT {

    static final Path WORK = Path.of("target", "it-work", "secured").toAbsolutePath();
    static final String ROLE = "sc_service";
    /** Unique, so that any appearance of it anywhere is found. */
    static final String PASSWORD = "Pw-" + HexFormat.of().formatHex(UUID.randomUUID().toString().getBytes(
            StandardCharsets.US_ASCII), 0, 12);
    static final String TRUSTSTORE_PASSWORD = "Trust-" + PASSWORD.substring(3);
    static final String CONTROL_KEYSPACE = "it_control_secured";
    static final JobScenario SCENARIO = new JobScenario("secured", 3_000, 1_000);

    static SelfSignedTls tls;
    static LocalCassandra cassandra;
    static CqlSession session;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startCassandraWithPasswordAuthentication() throws Exception {
        ItService.deleteRecursively(WORK);
        long began = System.nanoTime();
        tls = SelfSignedTls.create(WORK.resolve("tls"), "server-" + PASSWORD, TRUSTSTORE_PASSWORD,
                Path.of(System.getProperty("java.home")));
        cassandra = new LocalCassandra(LocalCassandra.Settings.builder(WORK.resolve("cassandra"))
                .passwordAuthentication(true).clientEncryption(tls.keystore(), tls.keystorePassword()).build())
                .start();
        cassandra.createRole(ROLE, PASSWORD);
        report("Cassandra with PasswordAuthenticator, TLS and role %s ready in %d ms", ROLE,
                Duration.ofNanos(System.nanoTime() - began).toMillis());
        session = connect(ROLE, PASSWORD);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.cassandra.contact-points", () -> cassandra.contactPoint());
        registry.add("spring.cassandra.local-datacenter", () -> LocalCassandra.DATACENTER);
        registry.add("spring.cassandra.username", () -> ROLE);
        registry.add("spring.cassandra.password", () -> PASSWORD);
        registry.add("spring.cassandra.request.consistency", () -> "LOCAL_ONE");
        registry.add("spring.cassandra.ssl.bundle", () -> "cassandra");
        registry.add("spring.ssl.bundle.jks.cassandra.truststore.location", () -> "file:" + tls.truststore());
        registry.add("spring.ssl.bundle.jks.cassandra.truststore.password", () -> TRUSTSTORE_PASSWORD);
        registry.add("spring.ssl.bundle.jks.cassandra.truststore.type", () -> "PKCS12");
        registry.add("streamcontrol.cassandra.job-replication", () -> LocalCassandra.DATACENTER + ":1");
        ItService.launchingJobs(registry, CONTROL_KEYSPACE, WORK);
    }

    @AfterAll
    static void stopEverything() {
        ServiceProcess.killDrivers("--keyspace " + SCENARIO.keyspace());
        // the service's context closes right after this (DirtiesContext); closing a session to a stopped node is quick
        if (session != null) {
            session.close();
        }
        if (cassandra != null) {
            cassandra.stop();
        }
    }

    ControlApi api() {
        return ControlApi.onPort(port);
    }

    @Test
    @Order(1)
    void theServiceAndItsJobsConnectWithTheCredentialsOverTlsAndNoPasswordShowsAnywhere(CapturedOutput output)
            throws Exception {
        ControlApi api = api();
        try (GeneratorServer generator = new GeneratorServer(SCENARIO.generatorSettings()).start()) {
            ControlApi.Response created = api.post("/api/jobs", SCENARIO.definition(generator.port(),
                    Map.of("driverMemory", "512m"), Map.of("maxAttempts", 0)));
            assertThat(created.status()).as("create: %s", created.body()).isEqualTo(201);
            JsonNode settings = created.body().path("configuration").path("settings");
            assertThat(settings.path("replication").asString()).as("streamcontrol.cassandra.job-replication")
                    .isEqualTo("datacenter1:1");
            assertThat(settings.path("readConsistency").asString()).as("spring.cassandra.request.consistency")
                    .isEqualTo("LOCAL_ONE");
            assertThat(settings.path("outputConsistency").asString()).isEqualTo("LOCAL_ONE");
            Map<String, String> replication = session.execute("SELECT replication FROM system_schema.keyspaces"
                    + " WHERE keyspace_name = ?", SCENARIO.keyspace()).one().getMap(0, String.class, String.class);
            assertThat(replication).containsEntry("class", "org.apache.cassandra.locator.NetworkTopologyStrategy")
                    .containsEntry("datacenter1", "1");

            assertThat(api.post("/api/jobs/" + SCENARIO.name() + "/start", null).status()).isEqualTo(202);
            JsonNode running = api.awaitJob(SCENARIO.name(), Duration.ofSeconds(90), inState("RUNNING"));
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> SCENARIO.processedAll(session));

            long driver = session.execute("SELECT pid FROM " + SCENARIO.keyspace() + ".drivers WHERE job_name = ?",
                    SCENARIO.name()).one().getLong(0);
            String commandLine = commandLine(driver);
            assertThat(commandLine).as("the driver's command line").contains("io.streamcontrol.job.StreamingJob",
                    "--cassandra-username " + ROLE, "--cassandra-ssl true",
                    "--cassandra-truststore " + tls.truststore(), "--cassandra-truststore-type PKCS12")
                    .doesNotContain(PASSWORD).doesNotContain(TRUSTSTORE_PASSWORD);
            assertThat(environment(driver)).as("the driver's environment, from spark-submit's")
                    .contains("STREAMCONTROL_CASSANDRA_PASSWORD=" + PASSWORD,
                            "STREAMCONTROL_CASSANDRA_TRUSTSTORE_PASSWORD=" + TRUSTSTORE_PASSWORD);
            List<String> related = processesMentioning(SCENARIO.keyspace());
            assertThat(related).as("every process whose command line names the job's keyspace").isNotEmpty()
                    .allSatisfy(line -> assertThat(line).doesNotContain(PASSWORD).doesNotContain(TRUSTSTORE_PASSWORD));

            String sparkEnvironment = get(running.path("status").path("driverUiUrl").asString() + "/api/v1/applications/"
                    + running.path("status").path("appId").asString() + "/environment");
            assertThat(sparkEnvironment).as("Spark's UI redacts the connector's passwords")
                    .contains("spark.cassandra.auth.password", "spark.cassandra.auth.username",
                            "spark.cassandra.connection.ssl.trustStore.password")
                    .doesNotContain(PASSWORD).doesNotContain(TRUSTSTORE_PASSWORD);

            assertThat(api.post("/api/jobs/" + SCENARIO.name() + "/stop?timeout=60s", null).status()).isEqualTo(202);
            JsonNode stopped = api.awaitJob(SCENARIO.name(), Duration.ofSeconds(90), inState("STOPPED"));
            SCENARIO.assertTablesMatchAllLines(session);
            assertThat(session.execute("SELECT count(*) FROM " + SCENARIO.keyspace() + ".raw_events").one().getLong(0))
                    .isPositive();
            assertThat(session.execute("SELECT count(*) FROM " + SCENARIO.keyspace() + ".running_totals").one()
                    .getLong(0)).isPositive();

            assertThat(stopped.toString()).as("the job as the API returns it").doesNotContain(PASSWORD)
                    .doesNotContain(ROLE);
            assertThat(api.get("/api/jobs/" + SCENARIO.name() + "/history?limit=100").body().toString())
                    .doesNotContain(PASSWORD);
            assertThat(api.get("/api/jobs/" + SCENARIO.name() + "/log?lines=5000").body().toString())
                    .doesNotContain(PASSWORD);
            assertThat(driverLogs()).as("the driver log").singleElement().asString()
                    .contains("Job secured running").doesNotContain(PASSWORD);
            assertThat(session.execute("SELECT settings FROM " + CONTROL_KEYSPACE + ".jobs WHERE name = ?",
                    SCENARIO.name()).one().getMap(0, String.class, String.class).toString())
                    .as("the stored configuration").doesNotContain(PASSWORD).doesNotContain(ROLE);
            assertThat(output.getAll()).as("the service's own output").doesNotContain(PASSWORD)
                    .doesNotContain(TRUSTSTORE_PASSWORD);
        }
    }

    @Test
    @Order(2)
    void aJobWhoseCredentialsStoppedWorkingFailsSayingSo() throws Exception {
        ControlApi api = api();
        cassandra.changePassword(ROLE, PASSWORD + "-rotated");
        // the service keeps its open connections; new logins with the old password are refused within a second
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).until(() -> {
            try (CqlSession old = connect(ROLE, PASSWORD)) {
                return false;
            } catch (RuntimeException refused) {
                return refused.toString().contains("Authentication") || String.valueOf(refused.getMessage())
                        .contains("Authentication");
            }
        });

        long began = System.nanoTime();
        assertThat(api.post("/api/jobs/" + SCENARIO.name() + "/start", null).status()).isEqualTo(202);
        JsonNode failed = api.awaitJob(SCENARIO.name(), Duration.ofSeconds(90), inState("FAILED"));
        report("job with refused credentials FAILED %d ms after its start",
                Duration.ofNanos(System.nanoTime() - began).toMillis());
        String lastError = failed.path("status").path("lastError").asString();
        assertThat(lastError).contains("Cassandra authentication failed", "as " + ROLE,
                "Provided username " + ROLE + " and/or password are incorrect").doesNotContain(PASSWORD);
        assertThat(driverLogs()).hasSize(2).allSatisfy(log -> assertThat(log).doesNotContain(PASSWORD))
                .anySatisfy(log -> assertThat(log).contains("ERROR StreamingJob: Cassandra authentication failed"));
    }

    @Test
    @Order(3)
    void aServiceWithAWrongPasswordDoesNotStartAndSaysWhy(CapturedOutput output) {
        long began = System.nanoTime();
        List<String> arguments = new ArrayList<>(List.of("--server.port=0",
                "--spring.cassandra.contact-points=" + cassandra.contactPoint(),
                "--spring.cassandra.local-datacenter=" + LocalCassandra.DATACENTER,
                "--spring.cassandra.username=" + ROLE, "--spring.cassandra.password=not-the-password",
                "--spring.cassandra.ssl.bundle=cassandra",
                "--spring.ssl.bundle.jks.cassandra.truststore.location=file:" + tls.truststore(),
                "--spring.ssl.bundle.jks.cassandra.truststore.password=" + TRUSTSTORE_PASSWORD,
                "--spring.ssl.bundle.jks.cassandra.truststore.type=PKCS12",
                "--streamcontrol.cassandra.control-keyspace=" + CONTROL_KEYSPACE,
                "--streamcontrol.jobs.work-directory=" + WORK.resolve("jobs-wrong"),
                "--streamcontrol.jobs.checkpoint-base=" + WORK.resolve("checkpoints").toUri()));
        assertThatThrownBy(() -> new SpringApplicationBuilder(ControlServiceApplication.class)
                .run(arguments.toArray(String[]::new)).close())
                .satisfies(e -> assertThat(causes(e)).anyMatch(c -> c.contains("AuthenticationException")
                        && c.contains("Provided username " + ROLE + " and/or password are incorrect")));
        long millis = Duration.ofNanos(System.nanoTime() - began).toMillis();
        report("a service with a wrong password gave up after %d ms", millis);
        assertThat(millis).as("fails fast, no hang").isLessThan(30_000);
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START", "Cassandra authentication failed",
                "SPRING_CASSANDRA_PASSWORD");
    }

    /** Every driver log of the job, oldest first. */
    private static List<String> driverLogs() throws IOException {
        try (var files = Files.list(WORK.resolve("jobs").resolve(SCENARIO.name()))) {
            List<String> logs = new ArrayList<>();
            for (Path file : files.sorted().toList()) {
                logs.add(Files.readString(file));
            }
            return logs;
        }
    }

    private static CqlSession connect(String user, String password) {
        return CqlSession.builder().addContactPoint(new InetSocketAddress(cassandra.host(), cassandra.nativePort()))
                .withLocalDatacenter(LocalCassandra.DATACENTER).withAuthCredentials(user, password)
                .withSslContext(tls.clientContext()).build();
    }

    /** Every cause and suppressed error, as text (the driver keeps its per-node errors as suppressed ones). */
    private static List<String> causes(Throwable failure) {
        List<String> all = new ArrayList<>();
        java.util.ArrayDeque<Throwable> pending = new java.util.ArrayDeque<>(List.of(failure));
        while (!pending.isEmpty() && all.size() < 100) {
            Throwable t = pending.poll();
            all.add(t.toString());
            if (t instanceof com.datastax.oss.driver.api.core.AllNodesFailedException nodes) {
                nodes.getAllErrors().values().forEach(pending::addAll);
            }
            if (t.getCause() != null && t.getCause() != t) {
                pending.add(t.getCause());
            }
            pending.addAll(List.of(t.getSuppressed()));
        }
        return all;
    }

    /** The whole command line (ProcessHandle's may stop after one page of /proc/PID/cmdline). */
    private static String commandLine(long pid) throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8)
                .replace('\0', ' ');
    }

    private static String environment(long pid) throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(pid), "environ"), StandardCharsets.UTF_8)
                .replace('\0', '\n');
    }

    private static List<String> processesMentioning(String text) {
        List<String> lines = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            try {
                String line = commandLine(p.pid());
                if (line.contains(text)) {
                    lines.add(line);
                }
            } catch (IOException | RuntimeException gone) {
                // ended meanwhile, or not ours to read
            }
        });
        return lines;
    }

    private static String get(String url) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        }, body -> body != null);
    }

    private static void report(String format, Object... args) {
        System.out.println("[SecuredCassandraIT] " + String.format(format, args));
    }
}
