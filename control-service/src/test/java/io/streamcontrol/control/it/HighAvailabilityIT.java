package io.streamcontrol.control.it;

import static io.streamcontrol.control.it.ControlApi.inState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamcontrol.cassandra.LocalCassandra;
import io.streamcontrol.cassandra.LocalCassandraExtension;
import io.streamcontrol.generator.GeneratorServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Two service processes on one Cassandra, a job in cluster deploy mode on a real standalone master (its driver
 * outlives the replica that launched it): both replicas answer, only the leader reconciles (its metrics and the job's
 * history say which), the other takes over within the lease when the leader is SIGKILLed and re-attaches to the running
 * driver, a restarted former leader stands by, and a paused leader (SIGSTOP) that comes back after its lease was taken
 * does nothing. The job stays RUNNING on its first driver throughout, and its tables equal the recomputation.
 */
@ExtendWith(LocalCassandraExtension.class)
class HighAvailabilityIT {

    @RegisterExtension
    static final ItService IT = ItService.workingIn("high-availability").withSession().withCluster();

    static final String CONTROL_KEYSPACE = "it_control_ha";
    /**
     * A short lease, renewed every second (src/test/resources/config/application.properties): a TTL of 4 s leaves a
     * busy machine's renewals 2 s of delay before another replica could take a lease that nobody lost.
     */
    static final Duration LEASE = Duration.ofSeconds(5);
    /** Room for the measurement itself on a busy 2-core machine (scrapes every 100 ms, JVM pauses). */
    static final Duration TOLERANCE = Duration.ofSeconds(2);

    @Test
    void oneReplicaReconcilesAnotherTakesOverWithinTheLeaseAndAFormerLeaderDoesNotAct() throws Exception {
        LocalCassandra cassandra = LocalCassandraExtension.server();
        JobScenario scenario = new JobScenario("ha-cluster", 12_000, 300);
        int portA = ServiceProcess.freePort();
        int portB = ServiceProcess.freePort();
        try (GeneratorServer generator = new GeneratorServer(scenario.generatorSettings()).start();
                ServiceProcess a = start(cassandra, portA, "a-1");
                ServiceProcess b = start(cassandra, portB, "b")) {
            ControlApi apiA = a.api();
            ControlApi apiB = b.api();

            // both answer, both are ready; the first started leads
            for (ControlApi api : List.of(apiA, apiB)) {
                assertThat(api.get("/api/jobs").status()).isEqualTo(200);
                assertThat(api.anonymous().get("/actuator/health/readiness").status()).isEqualTo(200);
            }
            await().atMost(LEASE).until(() -> leads(apiA));
            assertThat(leads(apiB)).isFalse();

            // a job in cluster deploy mode, created through the standby, started through the leader
            Map<String, Object> spark = new HashMap<>(SparkStandaloneIT.RESOURCES);
            spark.put("master", IT.cluster().restUrl());
            spark.put("deployMode", "cluster");
            assertThat(apiB.post("/api/jobs", scenario.definition(generator.port(), spark, Map.of("maxAttempts", 2,
                    "backoff", "1s"))).status()).isEqualTo(201);
            assertThat(apiA.post("/api/jobs/" + scenario.name() + "/start", null).status()).isEqualTo(202);
            JsonNode running = apiB.awaitJob(scenario.name(), Duration.ofMinutes(4), inState("RUNNING"));
            String driverId = running.path("status").path("submissionId").asString();
            String appId = running.path("status").path("appId").asString();
            assertThat(driverId).startsWith("driver-");

            // only A reconciles: its passes and job counts, its claim in the history; B makes none
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(apiA.sample("streamcontrol_reconciliation_passes_total").orElse(0)).isPositive();
                assertThat(apiA.sample("streamcontrol_jobs{state=\"RUNNING\"}")).hasValue(1.0);
            });
            assertThat(apiB.sample("streamcontrol_reconciliation_passes_total")).hasValue(0.0);
            assertThat(apiB.sample("streamcontrol_jobs{state=\"RUNNING\"}")).isEmpty();
            assertThat(claims(apiB, scenario)).singleElement().satisfies(claim -> assertThat(claim)
                    .contains("/" + a.pid() + "/").endsWith("(leader term 1)"));

            // SIGKILL the leader: B leads within the lease and finds the running driver
            long before = scenario.sumProcessed(IT.session());
            long killedAt = System.nanoTime();
            a.kill();
            Duration takeover = awaitLeader(apiB, killedAt);
            report("B led %d ms after the leader was SIGKILLed (lease %s)", takeover.toMillis(), LEASE);
            assertThat(takeover).isLessThanOrEqualTo(LEASE.plus(TOLERANCE));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(apiB.history(scenario.name()))
                    .anyMatch(r -> r.startsWith("RUNNING: re-attached to live driver " + appId)));
            assertThat(claims(apiB, scenario)).hasSize(2).first().asString().contains("/" + b.pid() + "/")
                    .endsWith("(leader term 2)");
            jobRunsOnItsFirstDriver(apiB, scenario, driverId, appId);
            await().atMost(Duration.ofSeconds(60)).until(() -> scenario.sumProcessed(IT.session()) > before);

            // the former leader, restarted, stands by
            try (ServiceProcess restarted = start(cassandra, portA, "a-2")) {
                ControlApi apiA2 = restarted.api();
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> !leads(apiA2)
                        && apiA2.sample("streamcontrol_reconciliation_passes_total").orElse(-1) == 0);
                assertThat(leads(apiB)).isTrue();
                assertThat(claims(apiB, scenario)).hasSize(2);

                // the leader paused past its lease: A2 takes over; B, resumed, no longer acts
                long pausedAt = System.nanoTime();
                b.pause();
                Duration secondTakeover = awaitLeader(apiA2, pausedAt);
                report("the restarted replica led %d ms after the leader was paused", secondTakeover.toMillis());
                assertThat(secondTakeover).isLessThanOrEqualTo(LEASE.plus(TOLERANCE));
                await().atMost(Duration.ofSeconds(10)).until(() -> claims(apiA2, scenario).size() == 3);
                b.resume();
                double passesOfB = apiB.sample("streamcontrol_reconciliation_passes_total").orElseThrow();
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> !leads(apiB)
                        && apiB.sample("streamcontrol_reconciliation_passes_total").orElseThrow() == passesOfB);
                assertThat(claims(apiB, scenario)).hasSize(3).first().asString()
                        .contains("/" + restarted.pid() + "/").endsWith("(leader term 3)");
                assertThat(leads(apiA2)).isTrue();
                jobRunsOnItsFirstDriver(apiB, scenario, driverId, appId);

                // every line processed, a graceful stop through the standby, completed by the leader
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                        .until(() -> scenario.processedAll(IT.session()));
                assertThat(apiB.post("/api/jobs/" + scenario.name() + "/stop?timeout=90s", null).status())
                        .isEqualTo(202);
                apiA2.awaitJob(scenario.name(), Duration.ofSeconds(120), inState("STOPPED"));
                assertThat(apiA2.history(scenario.name())).contains("STOPPED: stopped gracefully")
                        .noneMatch(r -> r.startsWith("SUBMITTED: restart"));
                for (ControlApi api : List.of(apiA2, apiB)) {
                    JsonNode health = api.get("/actuator/health").body();
                    assertThat(health.path("status").asString()).as("leader and standby are healthy").isEqualTo("UP");
                    assertThat(health.path("components").path("jobs").path("details").path("leader").asBoolean())
                            .isEqualTo(api == apiA2);
                }
            }
        }
        scenario.assertTablesMatchAllLines(IT.session());
    }

    private static ServiceProcess start(LocalCassandra cassandra, int port, String name) throws Exception {
        return ServiceProcess.start(cassandra, IT.work(), CONTROL_KEYSPACE, port,
                IT.work().resolve("service-" + name + ".log"),
                "--streamcontrol.leader.lease-duration=" + LEASE.toSeconds() + "s");
    }

    private static boolean leads(ControlApi api) {
        return api.sample("streamcontrol_leader").orElseThrow() == 1.0;
    }

    /** How long after {@code since} the replica behind {@code api} reported that it leads. */
    private static Duration awaitLeader(ControlApi api, long since) {
        await().atMost(LEASE.plus(TOLERANCE).plusSeconds(10)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> leads(api));
        return Duration.ofNanos(System.nanoTime() - since);
    }

    /** The job is still RUNNING on the driver of its first launch, which the master still runs. */
    private static void jobRunsOnItsFirstDriver(ControlApi api, JobScenario scenario, String driverId, String appId)
            throws Exception {
        JsonNode job = api.get("/api/jobs/" + scenario.name()).body();
        assertThat(job.path("status").path("state").asString()).isEqualTo("RUNNING");
        assertThat(job.path("status").path("attempt").asInt()).isEqualTo(1);
        assertThat(job.path("status").path("submissionId").asString()).isEqualTo(driverId);
        assertThat(job.path("status").path("appId").asString()).isEqualTo(appId);
        assertThat(IT.cluster().driver(driverId).orElseThrow().path("state").asString()).isEqualTo("RUNNING");
        assertThat(api.history(scenario.name())).as("one launch").containsOnlyOnce("SUBMITTED: start requested")
                .noneMatch(r -> r.startsWith("SUBMITTED: restart"));
    }

    /** The history's notes of which replica reconciles the job, newest first. */
    private static List<String> claims(ControlApi api, JobScenario scenario) {
        return api.history(scenario.name()).stream().filter(r -> r.contains(": reconciled by replica ")).toList();
    }

    private static void report(String format, Object... arguments) {
        System.out.println("[HighAvailabilityIT] " + String.format(format, arguments));
    }
}
