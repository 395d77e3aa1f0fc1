package io.streamcontrol.control.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamcontrol.cassandra.LocalCassandra;
import io.streamcontrol.cassandra.LocalCassandraExtension;
import io.streamcontrol.generator.GeneratorServer;
import io.streamcontrol.generator.GeneratorSettings;
import io.streamcontrol.testkit.SparkSubmitJob;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client, poller and meters against a live driver: the packaged job run by spark-submit (2 receivers, 2 s
 * batches) with its UI on a free port, fed by the generator, writing to a real Cassandra.
 */
@ExtendWith(LocalCassandraExtension.class)
class JobMetricsIT {

    static final String JOB = "metrics-it";
    static final int RECEIVERS = 2;

    @Test
    void pollsALiveDriverAndDropsTheJobsMetersWhenItStops(@TempDir Path dir) throws Exception {
        LocalCassandra cassandra = LocalCassandraExtension.server();
        int uiPort = freePort();
        String uiUrl = "http://127.0.0.1:" + uiPort;
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TestMonitoredJobs jobs = new TestMonitoredJobs();
        MetricsProperties properties = MetricsProperties.defaults();
        JobMetricsPoller poller = new JobMetricsPoller(jobs, new SparkMonitoringClient(properties), registry,
                properties);
        GeneratorSettings events = GeneratorSettings.builder().port(0).seed(7).rate(100).build();
        try (GeneratorServer generator = new GeneratorServer(events).start();
                SparkSubmitJob job = SparkSubmitJob.start(Path.of("target", "it-logs", JOB + ".log"),
                        List.of("spark.ui.port=" + uiPort, "spark.ui.enabled=true"),
                        List.of("--job-name", JOB, "--keyspace", "it_metrics",
                                "--checkpoint", dir.resolve("checkpoint").toUri().toString(),
                                "--source-port", String.valueOf(generator.port()),
                                "--receivers", String.valueOf(RECEIVERS), "--batch-interval", "2s",
                                "--cassandra-port", String.valueOf(cassandra.nativePort())))) {
            String appId = awaitApplicationId(job, uiUrl);
            jobs.run(JOB, appId, uiUrl);

            AtomicReference<JobMetricsSnapshot> latest = new AtomicReference<>();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                assertThat(job.isAlive()).as("job alive; log:\n%s", job.logTail()).isTrue();
                poller.pollOnce().get(1, TimeUnit.MINUTES);
                JobMetricsSnapshot snapshot = poller.latest(JOB).orElseThrow();
                latest.set(snapshot);
                assertThat(snapshot.statistics()).as("statistics; last error: %s", snapshot.lastError()).isNotNull();
                assertThat(snapshot.statistics().numTotalCompletedBatches()).as("completed batches").isGreaterThan(2);
                assertThat(snapshot.statistics().numProcessedRecords()).as("processed records").isPositive();
                assertThat(snapshot.statistics().numActiveReceivers()).as("active receivers").isEqualTo(RECEIVERS);
            });
            JobMetricsSnapshot snapshot = latest.get();
            assertThat(snapshot.appId()).isEqualTo(appId);
            assertThat(snapshot.collectedAt()).isNotNull();
            assertThat(snapshot.lastError()).isNull();
            SparkStatistics statistics = snapshot.statistics();
            assertThat(statistics.batchDuration()).isEqualTo(2000);
            assertThat(statistics.numReceivers()).isEqualTo(RECEIVERS);
            assertThat(statistics.numReceivedRecords()).isGreaterThanOrEqualTo(statistics.numProcessedRecords());
            assertThat(statistics.avgInputRate()).isPositive();
            assertThat(statistics.avgProcessingTime()).isPositive();
            assertThat(snapshot.receivers()).hasSize(RECEIVERS).allSatisfy(receiver -> {
                assertThat(receiver.active()).isTrue();
                assertThat(receiver.executorHost()).isEqualTo("127.0.0.1");
                assertThat(receiver.avgEventRate()).isNotNull();
            });
            // newest first, so a job that lags shows queued batches here; the meters use the last completed one
            assertThat(snapshot.batches()).isNotEmpty().hasSizeLessThanOrEqualTo(properties.recentBatches())
                    .extracting(SparkBatch::batchTime).isSortedAccordingTo((a, b) -> b.compareTo(a));
            assertThat(snapshot.batches()).anySatisfy(batch -> assertThat(batch.inputSize()).isPositive());
            assertThat(snapshot.batches()).filteredOn(SparkBatch::completed).allSatisfy(batch -> {
                assertThat(batch.processingTime()).isPositive();
                assertThat(batch.totalDelay()).isGreaterThanOrEqualTo(batch.processingTime());
                assertThat(batch.numFailedOutputOps()).isZero();
            });

            assertThat(registry.get("streaming.records.received").functionCounter().count()).isPositive();
            assertThat(registry.get("streaming.records.processed").functionCounter().count()).isPositive();
            assertThat(registry.get("streaming.batches.completed").functionCounter().count()).isGreaterThanOrEqualTo(3);
            assertThat(registry.get("streaming.input.rate").gauge().value()).isPositive();
            assertThat(registry.get("streaming.batch.processing.time").gauge().value()).isPositive();
            assertThat(registry.get("streaming.batch.total.delay").gauge().value()).isPositive();
            assertThat(registry.get("streaming.batch.scheduling.delay").gauge().value()).isNotNaN();
            assertThat(registry.get("streaming.batch.interval").gauge().value()).isEqualTo(2.0);
            assertThat(registry.get("streaming.receivers").gauge().value()).isEqualTo(RECEIVERS);
            assertThat(registry.get("streaming.receivers.active").gauge().value()).isEqualTo(RECEIVERS);
            assertThat(registry.get("streaming.batches.failed").counter().count()).isZero();
            String scrape = registry.scrape();
            assertThat(scrape).contains(JobMetricsPollerTest.SCRAPED.stream()
                    .map(line -> line.replace("job=\"sales\"", "job=\"" + JOB + "\"")).toList());

            job.close();
            assertThat(job.isAlive()).isFalse();
            poller.pollOnce().get(1, TimeUnit.MINUTES);
            assertThat(poller.latest(JOB).orElseThrow().lastError()).as("the driver is gone")
                    .startsWith("Driver at " + uiUrl + " unreachable");
            assertThat(registry.get("streaming.metrics.poll.errors").counter().count()).isPositive();

            jobs.stop(JOB);
            poller.pollOnce().get(1, TimeUnit.MINUTES);
            assertThat(poller.latest(JOB)).isEmpty();
            assertThat(registry.getMeters()).isEmpty();
            assertThat(registry.scrape()).doesNotContain("job=\"" + JOB + "\"");
        } finally {
            poller.destroy();
        }
    }

    /** The driver's application id, from its UI once the UI serves JSON. */
    private static String awaitApplicationId(SparkSubmitJob job, String uiUrl) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1))
                .version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(uiUrl + "/api/v1/applications"))
                .timeout(Duration.ofSeconds(5)).build();
        AtomicReference<String> appId = new AtomicReference<>();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).ignoreExceptionsMatching(
                e -> e instanceof IOException).until(() -> {
                    assertThat(job.isAlive()).as("job alive; log:\n%s", job.logTail()).isTrue();
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200 || !response.body().startsWith("[")) {
                        return false; // "Spark is starting up. Please wait a while until it's ready."
                    }
                    appId.set(JsonMapper.builder().build().readTree(response.body()).get(0).get("id").asString());
                    return true;
                });
        return appId.get();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
