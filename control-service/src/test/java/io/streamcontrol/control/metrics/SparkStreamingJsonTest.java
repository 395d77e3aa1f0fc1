package io.streamcontrol.control.metrics;

import static io.streamcontrol.control.metrics.SparkPayloads.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing of payloads captured from a real Spark 3.5.7 driver. */
class SparkStreamingJsonTest {

    @Test
    void statisticsOfARunningJob() {
        SparkStatistics s = SparkStreamingJson.statistics(load("statistics.json"));

        assertThat(s).isEqualTo(new SparkStatistics(Instant.parse("2026-11-21T08:37:38.765Z"), 1000, 2, 2, 0, 9, 9, 19,
                4585, 5522, 841.9285714285714, 9205L, 2755L, 11142L));
    }

    @Test
    void statisticsBeforeTheFirstBatchCompletedLackTheAverages() {
        SparkStatistics s = SparkStreamingJson.statistics(load("statistics-starting.json"));

        assertThat(s.numTotalCompletedBatches()).isZero();
        assertThat(s.numInactiveReceivers()).isEqualTo(2);
        assertThat(s.avgInputRate()).isZero();
        assertThat(s.avgSchedulingDelay()).isEqualTo(21L);
        assertThat(s.avgProcessingTime()).isNull();
        assertThat(s.avgTotalDelay()).isNull();
    }

    @Test
    void receivers() {
        List<SparkReceiver> receivers = SparkStreamingJson.receivers(load("receivers.json"));

        assertThat(receivers).hasSize(2);
        assertThat(receivers.get(0)).isEqualTo(new SparkReceiver(0, "ResumableSocketReceiver-0", true, "driver",
                "127.0.0.1", null, null, null, 421.7857142857143));
        assertThat(receivers).extracting(SparkReceiver::streamId).containsExactly(0, 1);
    }

    @Test
    void receiversNotYetRegisteredHaveOnlyTheirStream() {
        List<SparkReceiver> receivers = SparkStreamingJson.receivers(load("receivers-starting.json"));

        assertThat(receivers).containsExactly(
                new SparkReceiver(0, "Pluggable stream [0]", null, null, null, null, null, null, 0.0),
                new SparkReceiver(1, "Pluggable stream [1]", null, null, null, null, null, null, 0.0));
    }

    @Test
    void receiversThatLostTheirSourceCarryTheError() {
        SparkReceiver receiver = SparkStreamingJson.receivers(load("receivers-source-closed.json")).get(0);

        assertThat(receiver.active()).isFalse();
        assertThat(receiver.lastErrorTime()).isEqualTo(Instant.parse("2026-11-21T08:38:14.986Z"));
        assertThat(receiver.lastErrorMessage()).startsWith("Restarting receiver with delay 2000ms: receiver 0 lost");
        assertThat(receiver.lastError()).startsWith("java.net.ConnectException: Connection refused");
    }

    @Test
    void batchesNewestFirstWithTheirDelaysOnceKnown() {
        List<SparkBatch> batches = SparkStreamingJson.batches(load("batches.json"));

        assertThat(batches).hasSize(28);
        assertThat(batches).extracting(SparkBatch::batchTime).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(batches.get(0).status()).isEqualTo("QUEUED");
        assertThat(batches.get(0).schedulingDelay()).isNull();
        SparkBatch completed = batches.stream().filter(SparkBatch::completed).findFirst().orElseThrow();
        assertThat(completed).isEqualTo(new SparkBatch(1795250267000L, Instant.parse("2026-11-21T08:37:47Z"),
                "COMPLETED", 1000, 1019, 15085L, 2488L, 17573L, 0, 4, 0, 4, null));
        SparkBatch processing = batches.stream().filter(b -> b.status().equals("PROCESSING")).findFirst().orElseThrow();
        assertThat(processing.schedulingDelay()).isEqualTo(16569L);
        assertThat(processing.processingTime()).isNull();
        assertThat(processing.numActiveOutputOps()).isEqualTo(2);
    }

    @Test
    void aFailedOutputOperation() {
        String json = SparkPayloads.withFailedBatch(load("batches.json"), 1795250267000L, "boom");

        SparkBatch batch = SparkStreamingJson.batches(json).stream().filter(b -> b.batchId() == 1795250267000L)
                .findFirst().orElseThrow();

        assertThat(batch.failed()).isTrue();
        assertThat(batch.numFailedOutputOps()).isEqualTo(1);
        assertThat(batch.firstFailureReason()).isEqualTo("boom");
    }

    @Test
    void sparkDatesAreGmt() {
        assertThat(SparkStreamingJson.parseDate("2026-11-21T08:30:00.000GMT"))
                .isEqualTo(Instant.parse("2026-11-21T08:30:00Z"));
        assertThat(SparkStreamingJson.parseDate("1969-12-31T23:59:59.999GMT")).isEqualTo(Instant.ofEpochMilli(-1));
    }

    @Test
    void whatIsNotJsonIsAnUnreadableAnswer() {
        assertThatThrownBy(() -> SparkStreamingJson.statistics(load("ui-starting-up.html")))
                .isInstanceOf(SparkMonitoringException.class)
                .hasMessageStartingWith("Unreadable Spark statistics");
        assertThatThrownBy(() -> SparkStreamingJson.batches("{\"batchTime\": \"yesterday\"}"))
                .isInstanceOf(SparkMonitoringException.class);
    }
}
