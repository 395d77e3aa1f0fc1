package io.streamcontrol.control.metrics;

import static io.streamcontrol.control.metrics.SparkPayloads.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcontrol.control.metrics.FakeSparkUi.Answer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The client against a real HTTP server answering with the captured payloads. */
class SparkMonitoringClientTest {

    static final String APP = "local-1795250119775";
    static final MetricsProperties FAST = new MetricsProperties(Duration.ofSeconds(1), Duration.ofMillis(500),
            Duration.ofMillis(300), 2, 20);

    final SparkMonitoringClient client = new SparkMonitoringClient(FAST);

    @Test
    void readsStatisticsReceiversAndBatches() throws Exception {
        try (FakeSparkUi ui = FakeSparkUi.running(APP)) {
            SparkStreamingStatus status = client.fetch(ui.url() + "/", APP);

            assertThat(status.statistics().numReceivedRecords()).isEqualTo(5522);
            assertThat(status.receivers()).hasSize(2);
            assertThat(status.batches()).hasSize(28);
            assertThat(status.lastCompletedBatch()).map(SparkBatch::processingTime).contains(2488L);
        }
    }

    @Test
    void retriesWhileTheUiIsStartingUp() throws Exception {
        try (FakeSparkUi ui = FakeSparkUi.running(APP)) {
            Answer starting = Answer.text(200, "text/html;charset=utf-8", load("ui-starting-up.html"));
            ui.answer(APP, "statistics", starting, starting, Answer.json(load("statistics.json")));

            assertThat(client.statistics(ui.url(), APP).numTotalCompletedBatches()).isEqualTo(9);
            assertThat(ui.requests(APP, "statistics")).isEqualTo(3);
        }
    }

    @Test
    void givesUpAfterTheRetries() throws Exception {
        try (FakeSparkUi ui = FakeSparkUi.running(APP)) {
            ui.answer(APP, "statistics", Answer.text(200, "text/html;charset=utf-8", load("ui-starting-up.html")));

            assertThatThrownBy(() -> client.statistics(ui.url(), APP))
                    .isInstanceOf(SparkMonitoringException.class)
                    .hasMessage("Driver not ready for statistics of " + APP
                            + ": Spark is starting up. Please wait a while until it's ready.");
            assertThat(ui.requests(APP, "statistics")).isEqualTo(1 + FAST.retries());
        }
    }

    @Test
    void doesNotRetryAnUnknownApplication() throws Exception {
        try (FakeSparkUi ui = FakeSparkUi.running(APP)) {
            ui.answer("nope", "statistics", Answer.text(404, "text/plain", load("unknown-app.txt")));

            assertThatThrownBy(() -> client.statistics(ui.url(), "nope"))
                    .isInstanceOf(SparkMonitoringException.class)
                    .hasMessage("Driver answered 404 for statistics of nope: no such app: nope");
            assertThat(ui.requests("nope", "statistics")).isEqualTo(1);
        }
    }

    @Test
    void retriesServerErrors() throws Exception {
        try (FakeSparkUi ui = FakeSparkUi.running(APP)) {
            ui.answer(APP, "receivers", Answer.text(500, "text/plain", "oops"), Answer.json(load("receivers.json")));

            assertThat(client.receivers(ui.url(), APP)).hasSize(2);
            assertThat(ui.requests(APP, "receivers")).isEqualTo(2);
        }
    }

    @Test
    void aSlowDriverTimesOut() throws Exception {
        try (FakeSparkUi ui = FakeSparkUi.running(APP)) {
            ui.answer(APP, "batches", Answer.json(load("batches.json")).after(Duration.ofSeconds(3)));
            long start = System.nanoTime();

            assertThatThrownBy(() -> client.batches(ui.url(), APP))
                    .isInstanceOf(SparkMonitoringException.class)
                    .hasMessageContaining("unreachable for batches of " + APP)
                    .hasMessageContaining("HttpTimeoutException");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofMillis(2500))
                    .isGreaterThanOrEqualTo(FAST.readTimeout().multipliedBy(1 + FAST.retries()));
            assertThat(ui.requests(APP, "batches")).isEqualTo(1 + FAST.retries());
        }
    }

    @Test
    void aDeadDriverFailsFast() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        long start = System.nanoTime();

        assertThatThrownBy(() -> client.fetch("http://127.0.0.1:" + port, APP))
                .isInstanceOf(SparkMonitoringException.class)
                .hasMessageStartingWith("Driver at http://127.0.0.1:" + port + " unreachable for statistics of " + APP)
                .hasMessageContaining("ConnectException");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
}
