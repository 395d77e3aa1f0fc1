package io.streamcontrol.control.jobs.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.streamcontrol.cassandra.LocalCassandra;
import io.streamcontrol.cassandra.LocalCassandraExtension;
import io.streamcontrol.contract.settings.JobSettings;
import io.streamcontrol.control.jobs.lifecycle.DesiredState;
import io.streamcontrol.control.jobs.lifecycle.Job;
import io.streamcontrol.control.jobs.lifecycle.JobState;
import io.streamcontrol.control.jobs.lifecycle.JobStatus;
import io.streamcontrol.control.jobs.lifecycle.JobStore;
import io.streamcontrol.control.jobs.reconcile.FakeSparkPlatform.FakeDriver;
import io.streamcontrol.control.launcher.DriverState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The lifecycle logic against a real Cassandra with the fake platform in place of SparkLauncher: every decision of the
 * service (one launch for concurrent starts, restarts by policy, stop escalation, reconfigure onto a new generation)
 * checked in seconds, without Spark.
 */
@ExtendWith(LocalCassandraExtension.class)
@SpringBootTest(properties = {"streamcontrol.jobs.reconcile-interval=200ms", "streamcontrol.jobs.stop-grace=1s",
        "streamcontrol.cassandra.control-keyspace=it_control_fake", "streamcontrol.metrics.poll-interval=1h"})
@AutoConfigureMockMvc
class JobsWithFakeSparkIT {

    static final String KEYSPACE = "it_fake_jobs";

    @TestConfiguration
    static class FakeSpark {
        @Bean
        @Primary
        FakeSparkPlatform fakeSparkPlatform(CqlSession session) {
            return new FakeSparkPlatform(session);
        }
    }

    @DynamicPropertySource
    static void cassandra(DynamicPropertyRegistry registry) {
        LocalCassandra cassandra = LocalCassandraExtension.server();
        registry.add("spring.cassandra.contact-points", () -> cassandra.host() + ":" + cassandra.nativePort());
        registry.add("spring.cassandra.local-datacenter", () -> LocalCassandra.DATACENTER);
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    FakeSparkPlatform spark;

    @Autowired
    JobStore store;

    @Autowired
    CqlSession session;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @Autowired
    Reconciler reconciler;

    void create(String name, String restartPolicy) throws Exception {
        mvc.perform(post("/api/jobs").contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"" + name
                + "\",\"settings\":{\"keyspace\":\"" + KEYSPACE + "_" + name.replace('-', '_') + "\"},\"restartPolicy\":"
                + restartPolicy + "}").with(OPERATOR)).andExpect(r -> assertThat(r.getResponse().getStatus()).isEqualTo(201));
    }

    /** The tests' operator (src/test/resources/config); per request, as several threads send them. */
    static final org.springframework.test.web.servlet.request.RequestPostProcessor OPERATOR =
            org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors
                    .httpBasic("test-operator", "operator-secret");

    int postTo(String path) throws Exception {
        return mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post(path).with(OPERATOR))
                .andReturn().getResponse().getStatus();
    }

    Job job(String name) {
        return store.find(name).orElseThrow();
    }

    void awaitState(String name, JobState state) {
        await().atMost(Duration.ofSeconds(10)).until(() -> job(name).state() == state);
    }

    List<FakeDriver> launchesOf(String name) {
        return spark.launches.stream().filter(d -> d.request.job().equals(name)).toList();
    }

    /** Creates the job, starts it and waits until its first driver runs; that driver. */
    FakeDriver runningJob(String name, String restartPolicy) throws Exception {
        create(name, restartPolicy);
        postTo("/api/jobs/" + name + "/start");
        FakeDriver driver = launchesOf(name).get(0);
        driver.runs();
        awaitState(name, JobState.RUNNING);
        return driver;
    }

    @Test
    void theLeaderClaimsEveryJobAndAFormerLeaderCannotChangeAJobANewerOneChanged() throws Exception {
        create("fenced", "{\"maxAttempts\":0}");
        await().atMost(Duration.ofSeconds(10)).until(() -> job("fenced").leaderTerm() > 0);
        Job claimed = job("fenced");
        long term = claimed.leaderTerm();
        assertThat(store.history("fenced", 100, null).items()).anySatisfy(t -> assertThat(t.reason())
                .matches("reconciled by replica .+/\\d+/[0-9a-f]{8} \\(leader term " + term + "\\)"));

        try {
            Job newer = store.update(claimed, claimed, null, term + 1).orElseThrow();
            assertThat(newer.leaderTerm()).isEqualTo(term + 1);
            Job wanted = newer.with(DesiredState.RUNNING, newer.status());
            assertThat(store.update(newer, wanted, null, term)).as("the former leader, on what it read since").isEmpty();
            assertThat(store.update(claimed, claimed.with(DesiredState.RUNNING, claimed.status()), null, term))
                    .as("on what it read before").isEmpty();
            assertThat(job("fenced").desired()).isEqualTo(DesiredState.STOPPED);
            assertThat(store.update(newer, newer, null).orElseThrow().leaderTerm())
                    .as("a change through the API keeps the leader's term").isEqualTo(term + 1);
        } finally {
            // no leader of that term exists: the job would keep the leader of this context from reconciling
            mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete("/api/jobs/fenced")
                    .with(OPERATOR)).andExpect(r -> assertThat(r.getResponse().getStatus()).isEqualTo(204));
        }
    }

    @Test
    void aJobThatNeverRanIsReconciledWithoutErrors() throws Exception {
        create("never-started", "{\"maxAttempts\":1}");
        double before = meters.counter("streamcontrol.reconciliation.errors").count();
        for (int pass = 0; pass < 3; pass++) {
            reconciler.reconcileAll();
        }
        assertThat(meters.counter("streamcontrol.reconciliation.errors").count()).isEqualTo(before);
        assertThat(job("never-started").state()).isEqualTo(JobState.STOPPED);
    }

    @Test
    void concurrentStartsLaunchOneDriver() throws Exception {
        create("concurrent", "{\"maxAttempts\":0}");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> starts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                starts.add(() -> postTo("/api/jobs/concurrent/start"));
            }
            for (Future<Integer> status : pool.invokeAll(starts)) {
                assertThat(status.get()).isEqualTo(202);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(launchesOf("concurrent")).hasSize(1);
        launchesOf("concurrent").get(0).runs();
        awaitState("concurrent", JobState.RUNNING);
        assertThat(postTo("/api/jobs/concurrent/start")).isEqualTo(202);
        assertThat(launchesOf("concurrent")).as("starting a running job launches nothing").hasSize(1);
        assertThat(job("concurrent").status().appId()).isEqualTo(launchesOf("concurrent").get(0).appId);
    }

    @Test
    void theLaunchersRunningBeforeTheAppIdMakesTheJobRunningOnlyWithItsAppId() throws Exception {
        create("app-id-late", "{\"maxAttempts\":0}");
        assertThat(postTo("/api/jobs/app-id-late/start")).isEqualTo(202);
        FakeDriver driver = launchesOf("app-id-late").get(0);
        driver.report(DriverState.CONNECTED);
        awaitState("app-id-late", JobState.STARTING);
        driver.report(DriverState.RUNNING); // as Spark in client mode on a standalone master: RUNNING, then the app id
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> job("app-id-late").state() == JobState.STARTING);
        driver.assignsAppId();
        awaitState("app-id-late", JobState.RUNNING);
        assertThat(job("app-id-late").status().appId()).isEqualTo(driver.appId);
        assertThat(job("app-id-late").status().runningSince()).isNotNull();
    }

    @Test
    void aFailedDriverIsRestartedByThePolicyFromTheSameCheckpointUntilAttemptsRunOut() throws Exception {
        FakeDriver first = runningJob("failing", "{\"maxAttempts\":1,\"backoff\":\"500ms\"}");

        first.report(io.streamcontrol.control.launcher.DriverState.FAILED);
        await().atMost(Duration.ofSeconds(10)).until(() -> launchesOf("failing").size() == 2);
        FakeDriver second = launchesOf("failing").get(1);
        assertThat(second.argument("checkpoint")).isEqualTo(first.argument("checkpoint")).endsWith("/generation-1");
        assertThat(job("failing").status().attempt()).isEqualTo(2);
        second.runs();
        awaitState("failing", JobState.RUNNING);

        second.report(io.streamcontrol.control.launcher.DriverState.FAILED);
        awaitState("failing", JobState.FAILED);
        Thread.sleep(1500); // past the backoff: no third launch may come
        assertThat(launchesOf("failing")).as("attempts exhausted").hasSize(2);
    }

    @Test
    void aRunHealthyForTheResetTimeGivesTheJobItsWholeRestartBudgetAgain() throws Exception {
        FakeDriver first = runningJob("long-running",
                "{\"maxAttempts\":1,\"backoff\":\"200ms\",\"resetAfter\":\"2s\"}");
        first.report(io.streamcontrol.control.launcher.DriverState.FAILED);
        await().atMost(Duration.ofSeconds(10)).until(() -> launchesOf("long-running").size() == 2);
        FakeDriver restarted = launchesOf("long-running").get(1);
        restarted.runs();
        awaitState("long-running", JobState.RUNNING);
        assertThat(job("long-running").status().attempt()).isEqualTo(2);

        await().atMost(Duration.ofSeconds(10)).until(() -> job("long-running").status().attempt() == 1);
        assertThat(store.history("long-running", 100, null).items()).anySatisfy(t -> assertThat(t.reason())
                .endsWith("longer than the restart policy's resetAfter (2s): restart count reset after attempt 2"));
        restarted.report(io.streamcontrol.control.launcher.DriverState.FAILED);
        await().atMost(Duration.ofSeconds(10)).alias("the one restart the policy allows, again")
                .until(() -> launchesOf("long-running").size() == 3);
    }

    @Test
    void aStopThatTimesOutEscalatesToTheLaunchersStopThenAKill() throws Exception {
        FakeDriver driver = runningJob("stubborn", "{\"maxAttempts\":0}");

        assertThat(postTo("/api/jobs/stubborn/stop?timeout=1s")).isEqualTo(202);
        assertThat(job("stubborn").state()).isEqualTo(JobState.STOPPING);
        await().atMost(Duration.ofSeconds(10)).until(() -> driver.stopCalls == 1);
        awaitState("stubborn", JobState.KILLED);
        assertThat(driver.killCalls).isEqualTo(1);
        assertThat(job("stubborn").status().lastError()).contains("graceful stop timed out");
        assertThat(job("stubborn").desired()).isEqualTo(DesiredState.STOPPED);
    }

    @Test
    void aReconfiguredJobStopsCleanlyAndStartsOnANewGenerationWithTheNewSettings() throws Exception {
        FakeDriver first = runningJob("reconfigured", "{\"maxAttempts\":0}");

        mvc.perform(put("/api/jobs/reconfigured/configuration").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"settings\":{\"batchInterval\":\"2s\"},\"spark\":{\"driverMemory\":\"1g\"}}")
                        .with(OPERATOR))
                .andExpect(r -> assertThat(r.getResponse().getStatus()).isEqualTo(202));
        assertThat(job("reconfigured").state()).isEqualTo(JobState.STOPPING);
        first.heartbeat();
        Thread.sleep(500);
        assertThat(job("reconfigured").state()).as("still draining").isEqualTo(JobState.STOPPING);

        first.stopsCleanly();
        await().atMost(Duration.ofSeconds(10)).until(() -> launchesOf("reconfigured").size() == 2);
        FakeDriver second = launchesOf("reconfigured").get(1);
        assertThat(second.argument("checkpoint")).matches(".*/reconfigured/created-\\d{8}T\\d{6}Z/generation-2");
        assertThat(second.argument("batch-interval")).isEqualTo("2s");
        assertThat(second.request.spark().driverMemory()).isEqualTo("1g");
        assertThat(job("reconfigured").status().attempt()).isEqualTo(1);
        second.runs();
        awaitState("reconfigured", JobState.RUNNING);
        assertThat(job("reconfigured").status().generation()).isEqualTo(2);

        mvc.perform(get("/api/jobs/reconfigured/history").with(OPERATOR)).andExpect(r -> assertThat(r.getResponse()
                .getContentAsString()).contains("stopped gracefully", "started again after a graceful stop"));
    }

    @Test
    void aNewBatchIntervalRestartsTheStreamingContextOfTheRunningDriver() throws Exception {
        FakeDriver driver = runningJob("in-place", "{\"maxAttempts\":0}");
        Job before = job("in-place");

        mvc.perform(put("/api/jobs/in-place/configuration").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"settings\":{\"batchInterval\":\"2s\",\"topN\":20}}").with(OPERATOR))
                .andExpect(r -> assertThat(r.getResponse().getStatus()).isEqualTo(202));
        Job after = job("in-place");
        assertThat(after.state()).isEqualTo(JobState.RUNNING);
        assertThat(after.config().setting("batch-interval")).isEqualTo("2s");
        assertThat(after.status()).returns(before.status().launchId(), JobStatus::launchId)
                .returns(before.status().generation(), JobStatus::generation)
                .returns(false, JobStatus::configChanged);

        Row request = session.execute("SELECT requested_at, restart_with FROM " + KEYSPACE + "_in_place.stop_requests"
                + " WHERE job_name = 'in-place'").one();
        assertThat(request).isNotNull();
        List<String> restartWith = request.getList(1, String.class);
        assertThat(String.join(" ", restartWith)).contains("--batch-interval 2s", "--top-n 20",
                "--launch-id " + before.status().launchId());
        assertThat(JobSettings.parse(restartWith.toArray(String[]::new)).checkpoint())
                .isEqualTo(driver.argument("checkpoint"));
        Thread.sleep(600);
        assertThat(launchesOf("in-place")).as("no new driver").hasSize(1);
        assertThat(job("in-place").state()).isEqualTo(JobState.RUNNING);
        mvc.perform(get("/api/jobs/in-place/history").with(OPERATOR)).andExpect(r -> assertThat(r.getResponse()
                .getContentAsString()).contains("reconfigured in place"));
    }

    @Test
    void aDriverStoppedCleanlyFromOutsideStaysStopped() throws Exception {
        FakeDriver driver = runningJob("outside", "{\"maxAttempts\":3}");
        driver.stopsCleanly();
        awaitState("outside", JobState.STOPPED);
        assertThat(job("outside").desired()).isEqualTo(DesiredState.STOPPED);
        Thread.sleep(600);
        assertThat(launchesOf("outside")).hasSize(1);
    }
}
