package io.streamcontrol.control.it;

import static io.streamcontrol.control.it.ControlApi.inState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.cql.Row;
import io.streamcontrol.cassandra.LocalCassandraExtension;
import io.streamcontrol.generator.GeneratorServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The service running jobs on a real Spark standalone cluster (a master and a worker from the assembled SPARK_HOME,
 * on loopback), in both deploy modes: start, metrics, graceful stop with the tables equal to the recomputation, start
 * again, kill. In client mode the driver is the service's child and the launcher's handle reports it; in cluster mode
 * the driver runs on the worker, and its state and kill go through the master's REST submission server.
 */
@ExtendWith(LocalCassandraExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkStandaloneIT {

    @RegisterExtension
    static final ItService IT = ItService.workingIn("standalone").withSession().withCluster()
            .killingDrivers("--keyspace it_standalone_"); // client-mode drivers are children of this JVM

    /** One executor with a core per receiver (2) and one to process batches; small heaps. */
    static final Map<String, Object> RESOURCES = Map.of("driverMemory", "640m", "driverCores", 1,
            "executorMemory", "640m", "executorCores", 3);

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        IT.serviceLaunchingJobs(registry, "it_control_standalone");
    }

    ControlApi api() {
        return ControlApi.onPort(port);
    }

    @Test
    @Order(1)
    void clientDeployMode() throws Exception {
        ControlApi api = api();
        JobScenario scenario = new JobScenario("standalone-client", 6_000, 300);
        try (GeneratorServer generator = new GeneratorServer(scenario.generatorSettings()).start();
                AutoCloseable cleanup = () -> killQuietly(api, scenario)) {
            Map<String, Object> spark = new java.util.HashMap<>(RESOURCES);
            spark.put("master", IT.cluster().masterUrl());
            spark.put("deployMode", "client");
            create(api, scenario, generator, spark);

            assertThat(api.post("/api/jobs/" + scenario.name() + "/start", null).status()).isEqualTo(202);
            JsonNode running = api.awaitJob(scenario.name(), Duration.ofMinutes(4), inState("RUNNING"));
            String appId = running.path("status").path("appId").asString();
            assertThat(appId).as("an application of the standalone master").startsWith("app-");
            assertThat(IT.cluster().activeApps()).contains(appId);
            metricsFlow(api, scenario);

            stopGracefullyWithExactTables(api, scenario);
            await().atMost(Duration.ofSeconds(60)).until(() -> !IT.cluster().activeApps().contains(appId));

            JsonNode again = startAgain(api, scenario);
            String secondApp = again.path("status").path("appId").asString();
            assertThat(secondApp).startsWith("app-").isNotEqualTo(appId);
            long pid = driverRow(scenario).getLong("pid");
            killed(api, scenario);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("the driver").isNotEqualTo(
                        java.util.Optional.of(true));
                assertThat(IT.cluster().activeApps()).as("the master's active applications").doesNotContain(secondApp);
                assertThat(IT.cluster().executors()).as("the worker's executors").isEmpty();
            });
        }
    }

    @Test
    @Order(2)
    void clusterDeployModeThroughTheMastersRestSubmissionServer() throws Exception {
        ControlApi api = api();
        JobScenario scenario = new JobScenario("standalone-cluster", 6_000, 300);
        try (GeneratorServer generator = new GeneratorServer(scenario.generatorSettings()).start();
                AutoCloseable cleanup = () -> killQuietly(api, scenario)) {
            Map<String, Object> spark = new java.util.HashMap<>(RESOURCES);
            spark.put("master", IT.cluster().restUrl());
            spark.put("deployMode", "cluster");
            create(api, scenario, generator, spark);

            assertThat(api.post("/api/jobs/" + scenario.name() + "/start", null).status()).isEqualTo(202);
            JsonNode running = api.awaitJob(scenario.name(), Duration.ofMinutes(4), inState("RUNNING"));
            String appId = running.path("status").path("appId").asString();
            assertThat(appId).as("the app id from the driver's row").startsWith("app-");
            assertThat(running.path("status").path("driverUiUrl").asString()).as("the driver's UI, from its row")
                    .startsWith("http://127.0.0.1:");
            String driverId = submissionId(scenario);
            assertThat(driverId).as("the driver id the master gave the launch").matches("driver-\\d{14}-\\d{4}");
            assertThat(running.path("status").path("submissionId").asString()).as("the driver id in the API")
                    .isEqualTo(driverId);
            assertThat(IT.cluster().driver(driverId).orElseThrow().path("state").asString()).isEqualTo("RUNNING");
            assertThat(IT.cluster().activeApps()).contains(appId);
            Row row = driverRow(scenario);
            assertThat(ProcessHandle.of(row.getLong("pid")).flatMap(p -> p.info().commandLine()).orElse(""))
                    .as("the driver runs under the worker, not under this service")
                    .contains("org.apache.spark.deploy.worker.DriverWrapper");
            assertThat(IT.cluster().workerChildren()).extracting(ProcessHandle::pid).contains(row.getLong("pid"));
            assertThat(api.history(scenario.name()))
                    .anyMatch(reason -> reason.endsWith(": the master accepted the driver as " + driverId
                            + " (its log: <worker work dir>/" + driverId + "/stderr)"))
                    .anyMatch(reason -> reason.startsWith("RUNNING: driver running: its row reports app " + appId));
            metricsFlow(api, scenario);

            stopGracefullyWithExactTables(api, scenario);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    IT.cluster().driver(driverId).orElseThrow().path("state").asString()).as("the master's word")
                    .isEqualTo("FINISHED"));

            startAgain(api, scenario);
            String secondDriver = submissionId(scenario);
            assertThat(secondDriver).isNotEqualTo(driverId);
            Row second = driverRow(scenario);
            long pid = second.getLong("pid");
            String secondApp = second.getString("app_id");
            killed(api, scenario);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(IT.cluster().driver(secondDriver).orElseThrow().path("state").asString())
                        .as("the driver as the master reports it").isEqualTo("KILLED");
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("the driver's process")
                        .isNotEqualTo(java.util.Optional.of(true));
                assertThat(IT.cluster().activeApps()).as("the master's active applications").doesNotContain(secondApp);
                assertThat(IT.cluster().executors()).as("the worker's executors").isEmpty();
            });
            assertThat(api.get("/api/jobs/" + scenario.name()).body().path("status").path("state").asString())
                    .as("a killed job stays killed").isEqualTo("KILLED");
        }
    }

    /** The master's RPC port is no REST submission server: cluster mode there is refused before anything runs. */
    @Test
    @Order(3)
    void clusterDeployModeNeedsTheRestSubmissionServer() throws Exception {
        ControlApi api = api();
        JobScenario scenario = new JobScenario("standalone-legacy", 10, 10);
        Map<String, Object> spark = new java.util.HashMap<>(RESOURCES);
        spark.put("master", IT.cluster().masterUrl());
        spark.put("deployMode", "cluster");
        assertThat(api.post("/api/jobs", scenario.definition(1, spark, Map.of("maxAttempts", 0))).status())
                .isEqualTo(201);
        int drivers = driversKnownToTheMaster();
        ControlApi.Response started = api.post("/api/jobs/" + scenario.name() + "/start", null);
        assertThat(started.status()).isEqualTo(202);
        JsonNode failed = api.awaitJob(scenario.name(), Duration.ofSeconds(30), inState("FAILED"));
        assertThat(failed.path("status").path("lastError").asString()).startsWith("launch failed: "
                + IT.cluster().masterUrl() + " is not the REST submission server of a standalone master");
        assertThat(driversKnownToTheMaster()).as("drivers submitted").isEqualTo(drivers);
    }

    private static int driversKnownToTheMaster() throws Exception {
        JsonNode state = IT.cluster().json();
        return state.path("activedrivers").size() + state.path("completeddrivers").size();
    }

    private void create(ControlApi api, JobScenario scenario, GeneratorServer generator, Map<String, Object> spark) {
        Map<String, Object> definition = scenario.definition(generator.port(), spark, Map.of("maxAttempts", 0));
        ControlApi.Response created = api.post("/api/jobs", definition);
        assertThat(created.status()).as("create: %s", created.body()).isEqualTo(201);
    }

    private void metricsFlow(ControlApi api, JobScenario scenario) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode metrics = api.get("/api/jobs/" + scenario.name() + "/metrics").body();
            assertThat(metrics.path("statistics").path("numReceivedRecords").asLong()).isPositive();
            assertThat(metrics.path("receivers").size()).isEqualTo(JobScenario.PARTITIONS);
            assertThat(metrics.path("batches").size()).isPositive();
        });
    }

    /** Every line processed, then the graceful stop: STOPPED, and the tables equal the recomputation. */
    private void stopGracefullyWithExactTables(ControlApi api, JobScenario scenario) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> scenario.processedAll(IT.session()));
        assertThat(api.post("/api/jobs/" + scenario.name() + "/stop?timeout=90s", null).status()).isEqualTo(202);
        api.awaitJob(scenario.name(), Duration.ofSeconds(120), inState("STOPPED"));
        assertThat(api.history(scenario.name())).contains("STOPPED: stopped gracefully");
        scenario.assertTablesMatchAllLines(IT.session());
    }

    private JsonNode startAgain(ControlApi api, JobScenario scenario) {
        assertThat(api.post("/api/jobs/" + scenario.name() + "/start", null).status()).isEqualTo(202);
        return api.awaitJob(scenario.name(), Duration.ofMinutes(3), inState("RUNNING"));
    }

    private void killed(ControlApi api, JobScenario scenario) {
        ControlApi.Response killed = api.post("/api/jobs/" + scenario.name() + "/kill", null);
        assertThat(killed.status()).isEqualTo(202);
        assertThat(killed.body().path("status").path("state").asString()).isEqualTo("KILLED");
    }

    /** A test that failed half-way leaves no driver holding the worker's cores. */
    private static void killQuietly(ControlApi api, JobScenario scenario) {
        try {
            JsonNode job = api.get("/api/jobs/" + scenario.name()).body();
            if (job != null && List.of("SUBMITTED", "STARTING", "RUNNING", "STOPPING")
                    .contains(job.path("status").path("state").asString())) {
                api.post("/api/jobs/" + scenario.name() + "/kill", null);
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> IT.cluster().activeApps().isEmpty() && IT.cluster().executors().isEmpty());
            }
        } catch (RuntimeException e) {
            // the test's own failure is what counts
        }
    }

    /** The driver id stored with the job (it outlives a restart of the service). */
    private static String submissionId(JobScenario scenario) {
        return IT.session().execute("SELECT submission_id FROM it_control_standalone.jobs WHERE name = ?",
                scenario.name()).one().getString(0);
    }

    private static Row driverRow(JobScenario scenario) {
        return IT.session().execute("SELECT pid, app_id, host, ui_url FROM " + scenario.keyspace()
                + ".drivers WHERE job_name = ?", scenario.name()).one();
    }
}
