package io.streamcontrol.control.metrics;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/v1/applications/{appId}/streaming/statistics} of a Spark driver, with Spark's field names; the
 * averages are absent until batches complete. Durations are milliseconds; the record counts are totals since start.
 */
record SparkStatistics(
        Instant startTime,
        long batchDuration,
        int numReceivers,
        int numActiveReceivers,
        int numInactiveReceivers,
        long numTotalCompletedBatches,
        long numRetainedCompletedBatches,
        long numActiveBatches,
        long numProcessedRecords,
        long numReceivedRecords,
        @Nullable Double avgInputRate,
        @Nullable Long avgSchedulingDelay,
        @Nullable Long avgProcessingTime,
        @Nullable Long avgTotalDelay) {
}
