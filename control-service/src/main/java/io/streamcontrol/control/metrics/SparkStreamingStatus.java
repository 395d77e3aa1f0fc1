package io.streamcontrol.control.metrics;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** What one poll read from a driver: its statistics, its receivers and its retained batches (newest first). */
record SparkStreamingStatus(SparkStatistics statistics, List<SparkReceiver> receivers, List<SparkBatch> batches) {

    static final Comparator<SparkBatch> NEWEST_FIRST = Comparator.comparing(SparkBatch::batchTime).reversed();

    SparkStreamingStatus {
        receivers = List.copyOf(receivers);
        batches = batches.stream().sorted(NEWEST_FIRST).toList();
    }

    Optional<SparkBatch> lastCompletedBatch() {
        return batches.stream().filter(SparkBatch::completed).findFirst();
    }

    List<SparkBatch> newestBatches(int limit) {
        return batches.size() <= limit ? batches : batches.subList(0, limit);
    }
}
