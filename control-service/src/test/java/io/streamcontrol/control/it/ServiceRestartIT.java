package io.streamcontrol.control.it;

import static io.streamcontrol.control.it.ControlApi.inState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.cql.Row;
import io.streamcontrol.cassandra.LocalCassandra;
import io.streamcontrol.cassandra.LocalCassandraExtension;
import io.streamcontrol.generator.GeneratorServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * What a local-mode driver does when the service that launched it dies, made deliberate: the driver keeps running
 * (its output goes to a file, not to the service), and the restarted service re-attaches to it through the driver's
 * heartbeat row within one reconciliation period. A driver that crashes is restarted from its checkpoint by the
 * restart policy. The tables stay exact through both.
 */
@ExtendWith(LocalCassandraExtension.class)
class ServiceRestartIT {

    @RegisterExtension
    static final ItService IT = ItService.workingIn("restart").withSession()
            .killingDrivers("--keyspace it_service_restart");

    @Test
    void aRestartedServiceFindsItsRunningDriverAndACrashedDriverIsRestartedFromItsCheckpoint() throws Exception {
        LocalCassandra cassandra = LocalCassandraExtension.server();
        JobScenario scenario = new JobScenario("service-restart", 24_000, 600);
        int port = ServiceProcess.freePort();
        try (GeneratorServer generator = new GeneratorServer(scenario.generatorSettings()).start()) {
            long driverPid;
            try (ServiceProcess first = ServiceProcess.start(cassandra, IT.work(), "it_control_restart", port,
                    IT.work().resolve("service-1.log"))) {
                ControlApi api = first.api();
                assertThat(api.post("/api/jobs", scenario.definition(generator.port(), Map.of("driverMemory", "640m"),
                        Map.of("maxAttempts", 3, "backoff", "1s"))).status()).isEqualTo(201);
                assertThat(api.post("/api/jobs/" + scenario.name() + "/start", null).status()).isEqualTo(202);
                api.awaitJob(scenario.name(), Duration.ofSeconds(60), inState("RUNNING"));
                await().atMost(Duration.ofSeconds(60)).until(() -> scenario.sumProcessed(IT.session()) > 2_000);
                driverPid = driver(scenario).getLong("pid");
                first.kill();
            }

            Instant heartbeat = driver(scenario).getInstant("heartbeat_at");
            await().atMost(Duration.ofSeconds(10)).until(() -> driver(scenario).getInstant("heartbeat_at")
                    .isAfter(heartbeat));
            assertThat(ProcessHandle.of(driverPid).map(ProcessHandle::isAlive)).as("driver outlives the service")
                    .contains(true);

            try (ServiceProcess second = ServiceProcess.start(cassandra, IT.work(), "it_control_restart", port,
                    IT.work().resolve("service-2.log"))) {
                ControlApi api = second.api();
                await().atMost(Duration.ofSeconds(5)).until(() -> api.history(scenario.name()).stream()
                        .anyMatch(r -> r.contains("re-attached to live driver")));
                JsonNode job = api.get("/api/jobs/" + scenario.name()).body();
                assertThat(job.path("status").path("state").asString()).isEqualTo("RUNNING");
                assertThat(job.path("status").path("attempt").asInt()).isEqualTo(1);

                ProcessHandle.of(driverPid).ifPresent(ProcessHandle::destroyForcibly);
                JsonNode restarted = api.awaitJob(scenario.name(), Duration.ofSeconds(90),
                        j -> inState("RUNNING").test(j) && j.path("status").path("attempt").asInt() == 2);
                assertThat(restarted.path("status").path("generation").asInt()).as("recovers from its checkpoint")
                        .isEqualTo(1);
                assertThat(api.history(scenario.name())).anyMatch(r -> r.startsWith("LOST: "))
                        .anyMatch(r -> r.equals("SUBMITTED: restart 1 of 3 by the restart policy"));

                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                        .until(() -> scenario.processedAll(IT.session()));
                assertThat(api.post("/api/jobs/" + scenario.name() + "/stop", null).status()).isEqualTo(202);
                api.awaitJob(scenario.name(), Duration.ofSeconds(150), inState("STOPPED"));
            }
        }
        scenario.assertTablesMatchAllLines(IT.session());
    }

    private static Row driver(JobScenario scenario) {
        return IT.session().execute("SELECT pid, heartbeat_at FROM " + scenario.keyspace()
                + ".drivers WHERE job_name = ?", scenario.name()).one();
    }
}
