package io.streamcontrol.control.metrics;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One element of {@code GET /api/v1/applications/{appId}/streaming/batches}, with Spark's field names. Durations are
 * milliseconds; the delays are absent until the batch starts ({@code schedulingDelay}) or completes.
 */
record SparkBatch(
        long batchId,
        Instant batchTime,
        String status,
        long batchDuration,
        long inputSize,
        @Nullable Long schedulingDelay,
        @Nullable Long processingTime,
        @Nullable Long totalDelay,
        int numActiveOutputOps,
        int numCompletedOutputOps,
        int numFailedOutputOps,
        int numTotalOutputOps,
        @Nullable String firstFailureReason) {

    /** Spark's status of a batch whose output operations have all ended (successfully or not). */
    static final String COMPLETED = "COMPLETED";

    boolean completed() {
        return COMPLETED.equals(status);
    }

    boolean failed() {
        return numFailedOutputOps > 0;
    }
}
