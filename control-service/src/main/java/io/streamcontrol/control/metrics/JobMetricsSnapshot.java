package io.streamcontrol.control.metrics;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The latest metrics collected from one job's driver: what it last answered ({@code collectedAt}, statistics,
 * receivers, its newest batches first) and why the last poll failed, if it did.
 */
record JobMetricsSnapshot(
        String job,
        String appId,
        @Nullable Instant collectedAt,
        @Nullable String lastError,
        @Nullable SparkStatistics statistics,
        List<SparkReceiver> receivers,
        List<SparkBatch> batches) {

    JobMetricsSnapshot {
        receivers = List.copyOf(receivers);
        batches = List.copyOf(batches);
    }

    /** A driver not polled yet. */
    static JobMetricsSnapshot none(String job, String appId) {
        return new JobMetricsSnapshot(job, appId, null, null, null, List.of(), List.of());
    }

    JobMetricsSnapshot collected(Instant at, SparkStreamingStatus status, int recentBatches) {
        return new JobMetricsSnapshot(job, appId, at, null, status.statistics(), status.receivers(),
                status.newestBatches(recentBatches));
    }

    /** The last answer stays; only the error is new. */
    JobMetricsSnapshot failed(String error) {
        return new JobMetricsSnapshot(job, appId, collectedAt, error, statistics, receivers, batches);
    }
}
