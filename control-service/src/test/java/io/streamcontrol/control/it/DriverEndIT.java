package io.streamcontrol.control.it;

import static io.streamcontrol.control.it.ControlApi.inState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.cql.Row;
import io.streamcontrol.cassandra.LocalCassandraExtension;
import io.streamcontrol.generator.GeneratorServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * KILLED and STOPPED mean that no driver process is left: a driver frozen inside a batch, which neither drains for a
 * graceful stop nor exits on the launcher's stop, ends KILLED with its process gone; and a service shut down while a
 * local-mode job runs stops the driver it launched instead of leaving it behind (a crashed service leaves it running:
 * {@link ServiceRestartIT}).
 */
@ExtendWith(LocalCassandraExtension.class)
class DriverEndIT {

    @RegisterExtension
    static final ItService IT = ItService.workingIn("driver-end").withSession()
            .killingDrivers("--keyspace it_driver_end");

    @Test
    void aDriverThatIgnoresTheLaunchersStopEndsKilledWithNoProcessLeft() throws Exception {
        Path frozen = IT.work().resolve("frozen-before-commit");
        JobScenario scenario = new JobScenario("driver-end-frozen", 24_000, 600);
        try (GeneratorServer generator = new GeneratorServer(scenario.generatorSettings()).start();
                ServiceProcess service = ServiceProcess.start(LocalCassandraExtension.server(), IT.work(),
                        "it_control_driver_end_1", ServiceProcess.freePort(), IT.work().resolve("service-frozen.log"),
                        "--streamcontrol.jobs.stop-grace=3s",
                        "--streamcontrol.jobs.spark-conf[spark.driver.host]=127.0.0.1",
                        "--streamcontrol.jobs.spark-conf[spark.driver.bindAddress]=127.0.0.1",
                        "--streamcontrol.jobs.spark-conf[spark.driver.extraJavaOptions]="
                                + "-Dstreamcontrol.pause-at=before-commit -Dstreamcontrol.pause-marker=" + frozen)) {
            ControlApi api = service.api();
            String launchId = startedJob(api, scenario, generator);
            await().atMost(Duration.ofSeconds(60)).alias("the driver freezes before its first commit")
                    .until(() -> Files.exists(frozen));

            assertThat(api.post("/api/jobs/" + scenario.name() + "/stop?timeout=5s", null).status()).isEqualTo(202);
            JsonNode killed = api.awaitJob(scenario.name(), Duration.ofSeconds(90), inState("KILLED"));
            assertThat(processesOf(launchId)).as("driver processes when the job is KILLED").isEmpty();
            assertThat(killed.path("desiredState").asString()).isEqualTo("STOPPED");
            assertThat(api.history(scenario.name())).as("history")
                    .contains("KILLED: the launcher reports KILLED, but the driver process still ran");
        }
    }

    @Test
    void theServiceShutDownWhileALocalModeJobRunsLeavesNoDriverProcess() throws Exception {
        JobScenario scenario = new JobScenario("driver-end-shutdown", 24_000, 600);
        String launchId;
        try (GeneratorServer generator = new GeneratorServer(scenario.generatorSettings()).start()) {
            try (ServiceProcess service = ServiceProcess.start(LocalCassandraExtension.server(), IT.work(),
                    "it_control_driver_end_2", ServiceProcess.freePort(), IT.work().resolve("service-shutdown.log"),
                    "--streamcontrol.jobs.shutdown-timeout=20s")) {
                launchId = startedJob(service.api(), scenario, generator);
                await().atMost(Duration.ofSeconds(60)).until(() -> scenario.sumProcessed(IT.session()) > 2_000);
            } // SIGTERM: the service's own shutdown
            assertThat(processesOf(launchId)).as("driver processes after the service's shutdown").isEmpty();
        }
        Row job = IT.session().execute("SELECT state, desired FROM it_control_driver_end_2.jobs WHERE name = ?",
                scenario.name()).one();
        assertThat(job.getString("state")).isEqualTo("STOPPED");
        assertThat(job.getString("desired")).as("started again by the next leader").isEqualTo("RUNNING");
        assertThat(IT.session().execute("SELECT reason FROM it_control_driver_end_2.job_history WHERE name = ?",
                scenario.name()).all().stream().map(r -> r.getString("reason")))
                .contains("the service that launched it shuts down: stopping gracefully");
        assertThat(IT.session().execute("SELECT stopped_at FROM " + scenario.keyspace() + ".drivers WHERE job_name = ?",
                scenario.name()).one().getInstant("stopped_at")).as("the driver drained and stopped cleanly")
                .isNotNull();
    }

    /** Creates and starts the job, waits until it runs, and returns its launch id. */
    private static String startedJob(ControlApi api, JobScenario scenario, GeneratorServer generator) {
        assertThat(api.post("/api/jobs", scenario.definition(generator.port(), Map.of("driverMemory", "640m"),
                Map.of("maxAttempts", 0))).status()).isEqualTo(201);
        assertThat(api.post("/api/jobs/" + scenario.name() + "/start", null).status()).isEqualTo(202);
        api.awaitJob(scenario.name(), Duration.ofSeconds(90), inState("RUNNING"));
        String[] launchId = new String[1];
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().alias("the driver's row").until(() -> {
            launchId[0] = IT.session().execute("SELECT launch_id FROM " + scenario.keyspace() + ".drivers"
                    + " WHERE job_name = ?", scenario.name()).one().getString("launch_id");
            return launchId[0] != null;
        });
        assertThat(processesOf(launchId[0])).as("the driver's process").hasSize(1);
        return launchId[0];
    }

    private static List<ProcessHandle> processesOf(String launchId) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("io.streamcontrol.job.StreamingJob")
                        && c.contains(launchId)).orElse(false))
                .toList();
    }
}
