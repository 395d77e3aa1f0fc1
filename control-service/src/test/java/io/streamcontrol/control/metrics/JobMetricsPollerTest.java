package io.streamcontrol.control.metrics;

import static io.streamcontrol.control.metrics.SparkPayloads.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamcontrol.control.metrics.FakeSparkUi.Answer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The poller with its meters in a Prometheus registry, polling real HTTP servers that answer the captured payloads. */
class JobMetricsPollerTest {

    static final String APP = "local-1795250119775";
    static final Instant NOW = Instant.parse("2026-11-21T08:38:10Z");
    static final MetricsProperties PROPERTIES = new MetricsProperties(Duration.ofSeconds(1), Duration.ofMillis(500),
            Duration.ofMillis(300), 1, 5);

    /** Every meter, as Prometheus scrapes it, for a job called "sales". */
    static final List<String> SCRAPED = List.of(
            "streaming_input_rate{job=\"sales\"}",
            "streaming_records_received_total{job=\"sales\"}",
            "streaming_records_processed_total{job=\"sales\"}",
            "streaming_batch_processing_time_seconds{job=\"sales\"}",
            "streaming_batch_scheduling_delay_seconds{job=\"sales\"}",
            "streaming_batch_total_delay_seconds{job=\"sales\"}",
            "streaming_batch_interval_seconds{job=\"sales\"}",
            "streaming_receivers{job=\"sales\"}",
            "streaming_receivers_active{job=\"sales\"}",
            "streaming_batches_completed_total{job=\"sales\"}",
            "streaming_batches_failed_total{job=\"sales\"}",
            "streaming_metrics_poll_errors_total{job=\"sales\"}");

    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final TestMonitoredJobs jobs = new TestMonitoredJobs();
    final JobMetricsPoller poller = new JobMetricsPoller(jobs, new SparkMonitoringClient(PROPERTIES), registry,
            PROPERTIES, Clock.fixed(NOW, ZoneOffset.UTC));

    @AfterEach
    void stop() {
        poller.destroy();
    }

    @Test
    void aRunningJobGetsItsSnapshotAndEveryMeterUnderItsPrometheusName() throws Exception {
        try (FakeSparkUi ui = FakeSparkUi.running(APP)) {
            jobs.run("sales", APP, ui.url());

            poll();

            JobMetricsSnapshot snapshot = poller.latest("sales").orElseThrow();
            assertThat(snapshot.appId()).isEqualTo(APP);
            assertThat(snapshot.collectedAt()).isEqualTo(NOW);
            assertThat(snapshot.lastError()).isNull();
            assertThat(snapshot.statistics().numReceivedRecords()).isEqualTo(5522);
            assertThat(snapshot.receivers()).hasSize(2);
            assertThat(snapshot.batches()).as("the newest, at most recentBatches").hasSize(5)
                    .extracting(SparkBatch::batchTime)
                    .containsExactly(Instant.parse("2026-11-21T08:38:06Z"), Instant.parse("2026-11-21T08:38:05Z"),
                            Instant.parse("2026-11-21T08:38:04Z"), Instant.parse("2026-11-21T08:38:03Z"),
                            Instant.parse("2026-11-21T08:38:02Z"));

            String scrape = registry.scrape();
            assertThat(scrape).contains(SCRAPED);
            assertThat(scrape)
                    .contains("streaming_input_rate{job=\"sales\"} 841.9285714285714")
                    .contains("streaming_records_received_total{job=\"sales\"} 5522.0")
                    .contains("streaming_records_processed_total{job=\"sales\"} 4585.0")
                    .contains("streaming_batch_processing_time_seconds{job=\"sales\"} 2.488")
                    .contains("streaming_batch_scheduling_delay_seconds{job=\"sales\"} 15.085")
                    .contains("streaming_batch_total_delay_seconds{job=\"sales\"} 17.573")
                    .contains("streaming_batch_interval_seconds{job=\"sales\"} 1.0")
                    .contains("streaming_receivers{job=\"sales\"} 2.0")
                    .contains("streaming_receivers_active{job=\"sales\"} 2.0")
                    .contains("streaming_batches_completed_total{job=\"sales\"} 9.0")
                    .contains("streaming_batches_failed_total{job=\"sales\"} 0.0")
                    .contains("streaming_metrics_poll_errors_total{job=\"sales\"} 0.0")
                    .contains("# TYPE streaming_records_received_total counter")
                    .contains("# TYPE streaming_batch_total_delay_seconds gauge");
        }
    }

    @Test
    void aJobThatNoLongerRunsLosesItsSnapshotAndMeters() throws Exception {
        try (FakeSparkUi ui = FakeSparkUi.running(APP)) {
            jobs.run("sales", APP, ui.url()).run("other", APP, ui.url());
            poll();
            assertThat(jobMeters("sales")).hasSize(12);

            jobs.stop("sales");
            poll();

            assertThat(poller.latest("sales")).isEmpty();
            assertThat(jobMeters("sales")).isEmpty();
            assertThat(registry.scrape()).doesNotContain("job=\"sales\"").contains("job=\"other\"");
            assertThat(poller.latest("other")).isPresent();
        }
    }

    @Test
    void beforeTheFirstAnswerTheGaugesAreNaNAndTheCountersZero() throws Exception {
        try (FakeSparkUi ui = FakeSparkUi.running(APP)) {
            ui.answer(APP, "statistics", Answer.json(load("statistics.json")).after(Duration.ofMillis(200)));
            jobs.run("sales", APP, ui.url());

            CompletableFuture<Void> first = poller.pollOnce();

            assertThat(poller.latest("sales")).hasValue(JobMetricsSnapshot.none("sales", APP));
            assertThat(registry.get("streaming.input.rate").gauge().value()).isNaN();
            assertThat(registry.get("streaming.records.received").functionCounter().count()).isZero();
            first.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFailedPollKeepsTheLastAnswerAndCountsTheError() throws Exception {
        try (FakeSparkUi ui = FakeSparkUi.running(APP)) {
            jobs.run("sales", APP, ui.url());
            poll();

            ui.answer(APP, "batches", Answer.text(404, "text/plain", load("unknown-app.txt")));
            poll();

            JobMetricsSnapshot snapshot = poller.latest("sales").orElseThrow();
            assertThat(snapshot.lastError()).isEqualTo("Driver answered 404 for batches of " + APP
                    + ": no such app: nope");
            assertThat(snapshot.collectedAt()).isEqualTo(NOW);
            assertThat(snapshot.statistics()).isNotNull();
            assertThat(registry.get("streaming.metrics.poll.errors").tag("job", "sales").counter().count())
                    .isEqualTo(1);
            assertThat(registry.get("streaming.receivers").gauge().value()).isEqualTo(2);

            ui.answer(APP, "batches", Answer.json(load("batches.json")));
            poll();
            assertThat(poller.latest("sales").orElseThrow().lastError()).isNull();
        }
    }

    @Test
    void eachFailedBatchCountsOnce() throws Exception {
        try (FakeSparkUi ui = FakeSparkUi.running(APP)) {
            String oneFailed = SparkPayloads.withFailedBatch(load("batches.json"), 1795250267000L, "first");
            ui.answer(APP, "batches", Answer.json(oneFailed));
            jobs.run("sales", APP, ui.url());

            poll();
            poll();
            assertThat(failedBatches()).isEqualTo(1);

            ui.answer(APP, "batches", Answer.json(SparkPayloads.withFailedBatch(oneFailed, 1795250266000L, "second")));
            poll();
            poll();
            assertThat(failedBatches()).isEqualTo(2);
        }
    }

    @Test
    void aNewDriverOfTheJobStartsItsMetricsOver() throws Exception {
        try (FakeSparkUi ui = FakeSparkUi.running(APP); FakeSparkUi next = new FakeSparkUi()) {
            jobs.run("sales", APP, ui.url());
            poll();
            next.answer("local-2", "statistics", Answer.json(load("statistics-starting.json")))
                    .answer("local-2", "receivers", Answer.json(load("receivers-starting.json")))
                    .answer("local-2", "batches", Answer.json(load("batches-starting.json")));

            jobs.run("sales", "local-2", next.url());
            poll();

            JobMetricsSnapshot snapshot = poller.latest("sales").orElseThrow();
            assertThat(snapshot.appId()).isEqualTo("local-2");
            assertThat(snapshot.statistics().numTotalCompletedBatches()).isZero();
            assertThat(registry.get("streaming.batches.completed").functionCounter().count()).isZero();
            assertThat(registry.get("streaming.batch.processing.time").gauge().value())
                    .as("no batch of the new driver completed").isNaN();
            assertThat(jobMeters("sales")).hasSize(12);
        }
    }

    @Test
    void aSlowOrDeadDriverDoesNotHoldUpTheOthers() throws Exception {
        MetricsProperties patient = new MetricsProperties(Duration.ofSeconds(1), Duration.ofMillis(500),
                Duration.ofSeconds(5), 1, 5);
        JobMetricsPoller poller = new JobMetricsPoller(jobs, new SparkMonitoringClient(patient), registry, patient);
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = socket.getLocalPort();
        }
        try (FakeSparkUi healthy = FakeSparkUi.running(APP); FakeSparkUi slow = FakeSparkUi.running(APP)) {
            slow.answer(APP, "statistics", Answer.json(load("statistics.json")).after(Duration.ofSeconds(2)));
            jobs.run("slow", APP, slow.url()).run("dead", APP, "http://127.0.0.1:" + deadPort)
                    .run("healthy", APP, healthy.url());
            long start = System.nanoTime();

            CompletableFuture<Void> round = poller.pollOnce();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the scheduler thread never waits")
                    .isLessThan(Duration.ofMillis(500));
            await().atMost(Duration.ofMillis(1500)).pollInterval(Duration.ofMillis(20))
                    .until(() -> poller.latest("healthy").orElseThrow().collectedAt() != null
                            && poller.latest("dead").orElseThrow().lastError() != null);
            assertThat(poller.latest("slow").orElseThrow().collectedAt()).as("still waiting for the slow one").isNull();
            assertThat(poller.latest("dead").orElseThrow().lastError()).contains("ConnectException");
            round.get(10, TimeUnit.SECONDS);
            assertThat(poller.latest("slow").orElseThrow().collectedAt()).isNotNull();

            CompletableFuture<Void> busy = poller.pollOnce();
            assertThat(poller.pollOnce()).as("the slow driver's poll is still under way").isNotDone();
            busy.get(10, TimeUnit.SECONDS);
            assertThat(slow.requests(APP, "statistics")).as("one poll per job at a time").isEqualTo(2);
        } finally {
            poller.destroy();
        }
    }

    private void poll() throws Exception {
        poller.pollOnce().get(10, TimeUnit.SECONDS);
    }

    private double failedBatches() {
        return registry.get("streaming.batches.failed").tag("job", "sales").counter().count();
    }

    private List<Meter> jobMeters(String job) {
        return registry.getMeters().stream().filter(m -> job.equals(m.getId().getTag("job"))).toList();
    }
}
