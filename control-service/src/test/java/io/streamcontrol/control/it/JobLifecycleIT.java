package io.streamcontrol.control.it;

import static io.streamcontrol.control.it.ControlApi.inState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamcontrol.cassandra.LocalCassandraExtension;
import io.streamcontrol.generator.GeneratorServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The service, a real Cassandra and real drivers launched through SparkLauncher from the assembled SPARK_HOME: a job
 * created, started (by concurrent requests, one driver only), reconfigured while running, stopped, killed and
 * started again, with its tables equal to the recomputation from the generated lines. Standby drivers are on: each
 * start while the job has none takes over the standby launched for it, and a deleted job leaves none behind.
 */
@ExtendWith(LocalCassandraExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@SuppressWarnings("unchecked")
class JobLifecycleIT {

    @RegisterExtension
    static final ItService IT = ItService.workingIn("lifecycle").withSession()
            .killingDrivers("--keyspace it_lifecycle");
    /** /actuator/prometheus while a job runs, as the chart's tests read it (helm/src/test/.../ChartMetricsTest). */
    static final Path SCRAPE = Path.of("target", "prometheus", "actuator-prometheus.txt").toAbsolutePath();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        IT.serviceLaunchingJobs(registry, "it_control_lifecycle");
        registry.add("streamcontrol.jobs.standby.enabled", () -> "true");
    }

    ControlApi api() {
        return ControlApi.onPort(port);
    }

    @Test
    void createStartReconfigureStopKillAndStartAgainWithExactResults() throws Exception {
        ControlApi api = api();
        JobScenario scenario = new JobScenario("lifecycle", 24_000, 600);
        try (GeneratorServer generator = new GeneratorServer(scenario.generatorSettings()).start()) {
            Map<String, Object> definition = scenario.definition(generator.port(), Map.of("driverMemory", "640m"),
                    Map.of("maxAttempts", 2, "backoff", "2s"));

            ControlApi.Response created = api.post("/api/jobs", definition, Map.of("Idempotency-Key", "create-1"));
            assertThat(created.status()).as("create: %s", created.body()).isEqualTo(201);
            assertThat(created.body().path("status").path("state").asString()).isEqualTo("STOPPED");
            assertThat(api.post("/api/jobs", definition, Map.of("Idempotency-Key", "create-1")).status())
                    .as("a retried create").isEqualTo(201);
            assertThat(api.post("/api/jobs", definition).status()).as("a second create").isEqualTo(409);

            awaitStandbyWaiting(scenario);
            startedOnceByConcurrentRequests(api, scenario);
            assertThat(standbyStarts(api, scenario)).as("the start took over the standby").isEqualTo(1);
            JsonNode running = api.awaitJob(scenario.name(), Duration.ofSeconds(60), inState("RUNNING"));
            assertThat(running.path("status").path("appId").asString()).startsWith("local-");
            assertThat(running.path("status").path("generation").asInt()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(60)).until(() -> scenario.sumProcessed(IT.session()) > 3_000);
            metricsFlow(api, scenario);

            ControlApi.Response reconfigured = api.put("/api/jobs/" + scenario.name() + "/configuration",
                    Map.of("settings", Map.of("batchInterval", "1s", "outputBatchSizeRows", "16")));
            assertThat(reconfigured.status()).as("reconfigure: %s", reconfigured.body()).isEqualTo(202);
            assertThat(reconfigured.body().path("status").path("state").asString()).isEqualTo("STOPPING");
            JsonNode restarted = api.awaitJob(scenario.name(), Duration.ofSeconds(120),
                    job -> inState("RUNNING").test(job) && job.path("status").path("generation").asInt() == 2);
            assertThat(restarted.path("configuration").path("settings").path("batchInterval").asString())
                    .isEqualTo("1s");
            assertThat(restarted.path("status").path("checkpoint").asString())
                    .matches(".*/lifecycle/created-\\d{8}T\\d{6}Z/generation-2");

            // a new batch interval alone: the running driver restarts its streaming context
            ControlApi.Response inPlace = api.put("/api/jobs/" + scenario.name() + "/configuration",
                    Map.of("settings", Map.of("batchInterval", "2s")));
            assertThat(inPlace.status()).as("reconfigure: %s", inPlace.body()).isEqualTo(202);
            assertThat(inPlace.body().path("status").path("state").asString()).isEqualTo("RUNNING");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                List<String> log = new ArrayList<>();
                api.get("/api/jobs/" + scenario.name() + "/log?lines=200").body().path("lines")
                        .forEach(line -> log.add(line.asString()));
                return log.stream().anyMatch(line -> line.contains("batches of PT2S"));
            });

            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> scenario.processedAll(IT.session()));
            JsonNode afterInPlace = api.get("/api/jobs/" + scenario.name()).body();
            assertThat(afterInPlace.path("status").path("appId").asString()).as("the same driver")
                    .isEqualTo(restarted.path("status").path("appId").asString());
            assertThat(afterInPlace.path("status").path("generation").asInt()).isEqualTo(2);
            assertThat(afterInPlace.path("status").path("state").asString()).isEqualTo("RUNNING");
            assertThat(api.post("/api/jobs/" + scenario.name() + "/stop?timeout=60s", null).status()).isEqualTo(202);
            api.awaitJob(scenario.name(), Duration.ofSeconds(60), inState("STOPPED"));
            scenario.assertTablesMatchAllLines(IT.session());

            assertThat(reasons(api, scenario)).contains("STOPPED: stopped gracefully", "SUBMITTED: start requested",
                    "STOPPING: reconfigured: stopping gracefully to start again with the new configuration",
                    "SUBMITTED: started again after a graceful stop (reconfigured)", "STOPPED: created",
                    "RUNNING: reconfigured in place: the driver restarts its streaming context with the new"
                            + " configuration once every line received is processed");
            assertThat(api.get("/api/jobs/" + scenario.name() + "/log?lines=50").body().path("lines").size())
                    .isPositive();

            awaitStandbyWaiting(scenario);
            long standbyStarts = standbyStarts(api, scenario);
            killedAndStartedAgain(api, scenario);
            assertThat(standbyStarts(api, scenario)).as("the start took over the standby").isEqualTo(standbyStarts + 1);
            badRequestsChangeNothing(api, scenario);

            awaitStandbyWaiting(scenario);
            assertThat(api.delete("/api/jobs/" + scenario.name()).status()).isEqualTo(204);
            assertThat(api.get("/api/jobs/" + scenario.name()).status()).isEqualTo(404);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                    .alias("the deleted job's standby driver ends").until(() -> standbyProcesses(scenario).isEmpty());
        }
    }

    /** A standby driver of the job waits: its row in the job's keyspace says since when. */
    private static void awaitStandbyWaiting(JobScenario scenario) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).alias("a standby driver waits")
                .until(() -> IT.session().execute("SELECT ready_at FROM " + scenario.keyspace()
                        + ".standby_drivers WHERE job_name = ?", scenario.name()).all().stream()
                        .anyMatch(row -> !row.isNull(0)));
        assertThat(standbyProcesses(scenario)).hasSize(1);
    }

    private static List<ProcessHandle> standbyProcesses(JobScenario scenario) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(c -> c.contains("io.streamcontrol.job.StreamingJob") && c.contains("--standby")
                        && c.contains("--keyspace " + scenario.keyspace()))
                .orElse(false)).toList();
    }

    private static long standbyStarts(ControlApi api, JobScenario scenario) {
        return reasons(api, scenario).stream()
                .filter(reason -> reason.startsWith("SUBMITTED: started on the standby driver launched at")).count();
    }

    private static List<String> reasons(ControlApi api, JobScenario scenario) {
        List<String> reasons = new ArrayList<>();
        api.get("/api/jobs/" + scenario.name() + "/history?limit=100").body().path("items")
                .forEach(t -> reasons.add(t.path("to").asString() + ": " + t.path("reason").asString()));
        return reasons;
    }

    private void metricsFlow(ControlApi api, JobScenario scenario) throws java.io.IOException {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode metrics = api.get("/api/jobs/" + scenario.name() + "/metrics").body();
            assertThat(metrics.path("statistics").path("numReceivedRecords").asLong()).isPositive();
            assertThat(metrics.path("receivers").size()).isEqualTo(JobScenario.PARTITIONS);
            assertThat(metrics.path("batches").size()).isPositive();
        });
        String prometheus = api.text("/actuator/prometheus");
        // the real exposition, for the chart's test (helm/): its alerts and dashboard may only use what is here
        Files.createDirectories(SCRAPE.getParent());
        Files.writeString(SCRAPE, prometheus);
        assertThat(prometheus).contains("streaming_input_rate{job=\"lifecycle\"}",
                "streaming_records_processed_total{job=\"lifecycle\"}",
                "streaming_batch_processing_time_seconds{job=\"lifecycle\"}",
                "streaming_receivers_active{job=\"lifecycle\"} 2.0", "streamcontrol_jobs{state=\"RUNNING\"} 1.0",
                "streamcontrol_launch_latency_seconds_count", "http_server_requests_seconds_count",
                "streamcontrol_job_restarts_total{job=\"lifecycle\"} 0.0", "streamcontrol_leader 1.0");
        JsonNode health = api.get("/actuator/health").body();
        assertThat(health.path("status").asString()).isEqualTo("UP");
        assertThat(health.path("components").path("cassandra").path("status").asString()).isEqualTo("UP");
        assertThat(health.path("components").path("jobs").path("status").asString()).isEqualTo("UP");
    }

    @Test
    void theServedContractIsTheDocumentInOpenapi() throws Exception {
        ControlApi api = api();
        String document = Files.readString(Path.of("..", "openapi", "openapi.yaml"));
        assertThat(api.text("/openapi.yaml")).as("the document Swagger UI shows").isEqualTo(document);
        assertThat(api.text("/v3/api-docs/swagger-config")).contains("\"url\":\"/openapi.yaml\"");
        assertThat(api.text("/swagger-ui/index.html")).contains("swagger-ui");

        Map<String, Object> spec = new org.yaml.snakeyaml.Yaml().load(document);
        Set<String> declared = new java.util.TreeSet<>();
        ((Map<String, Map<String, Object>>) spec.get("paths")).forEach((path, item) -> item.keySet().stream()
                .filter(method -> !method.equals("parameters"))
                .forEach(method -> declared.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path)));
        Set<String> served = new java.util.TreeSet<>();
        api.get("/v3/api-docs").body().path("paths").properties().forEach(path -> path.getValue().properties()
                .forEach(method -> served.add(method.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey())));
        assertThat(served).as("operations the running service implements").isEqualTo(declared);
    }

    private void startedOnceByConcurrentRequests(ControlApi api, JobScenario scenario) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> starts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Map<String, String> headers = i % 2 == 0 ? Map.of("Idempotency-Key", "start-1") : Map.of();
                starts.add(() -> api.post("/api/jobs/" + scenario.name() + "/start", null, headers).status());
            }
            for (Future<Integer> status : pool.invokeAll(starts)) {
                assertThat(status.get()).isEqualTo(202);
            }
        } finally {
            pool.shutdownNow();
        }
        Set<String> launches = new HashSet<>();
        int submitted = 0;
        for (JsonNode t : api.get("/api/jobs/" + scenario.name() + "/history?limit=100").body().path("items")) {
            if (t.path("to").asString().equals("SUBMITTED") && !t.path("from").asString().equals("SUBMITTED")) {
                submitted++;
            }
        }
        JsonNode job = api.get("/api/jobs/" + scenario.name()).body();
        launches.add(job.path("status").path("appId").asString());
        assertThat(submitted).as("launches after 8 concurrent starts").isEqualTo(1);
        assertThat(job.path("status").path("attempt").asInt()).isEqualTo(1);
    }

    private void killedAndStartedAgain(ControlApi api, JobScenario scenario) {
        assertThat(api.post("/api/jobs/" + scenario.name() + "/start", null).status()).isEqualTo(202);
        JsonNode running = api.awaitJob(scenario.name(), Duration.ofSeconds(60), inState("RUNNING"));
        long pid = driverPid(scenario);
        ControlApi.Response killed = api.post("/api/jobs/" + scenario.name() + "/kill", null);
        assertThat(killed.status()).isEqualTo(202);
        assertThat(killed.body().path("status").path("state").asString()).isEqualTo("KILLED");
        assertThat(killed.body().path("desiredState").asString()).isEqualTo("STOPPED");
        await().atMost(Duration.ofSeconds(15)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        assertThat(api.get("/api/jobs/" + scenario.name()).body().path("status").path("state").asString())
                .as("a killed job stays killed").isEqualTo("KILLED");
        assertThat(running.path("status").path("generation").asInt()).isEqualTo(2);
    }

    private void badRequestsChangeNothing(ControlApi api, JobScenario scenario) {
        JsonNode before = api.get("/api/jobs/" + scenario.name()).body();
        List<ControlApi.Response> refused = List.of(
                api.put("/api/jobs/" + scenario.name() + "/configuration", Map.of("settings", Map.of("receivers", 0))),
                api.put("/api/jobs/" + scenario.name() + "/configuration", Map.of("settings", Map.of("receivers", 3))),
                api.put("/api/jobs/" + scenario.name() + "/configuration",
                        Map.of("spark", Map.of("conf", Map.of("spark.driver.extraJavaOptions", "-Dx=1")))),
                api.put("/api/jobs/" + scenario.name() + "/configuration", Map.of("settings", Map.of("unknown", 1))),
                api.put("/api/jobs/" + scenario.name() + "/configuration",
                        Map.of("settings", Map.of("checkpoint", "file:///tmp/../etc"))),
                api.post("/api/jobs", Map.of("name", "other", "spark", Map.of("conf", Map.of("spark.jars", "x.jar")))));
        assertThat(refused).extracting(ControlApi.Response::status).containsExactly(400, 409, 400, 400, 400, 400);
        assertThat(refused).allSatisfy(r -> assertThat(r.body().path("detail").asString()).isNotBlank());
        JsonNode after = api.get("/api/jobs/" + scenario.name()).body();
        assertThat(after.path("configuration")).isEqualTo(before.path("configuration"));
        assertThat(api.get("/api/jobs/other").status()).isEqualTo(404);
    }

    private long driverPid(JobScenario scenario) {
        return IT.session().execute("SELECT pid FROM " + scenario.keyspace() + ".drivers WHERE job_name = ?",
                scenario.name()).one().getLong(0);
    }
}
