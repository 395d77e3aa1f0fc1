package io.streamcontrol.bench;

import io.streamcontrol.bench.SparkStreamingStats.Batch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The streaming figures of one measured window: the batches whose batch time lies in (windowStart, windowEnd], and
 * whether they show a sustained rate.
 *
 * @param batches    batch times in the window
 * @param unfinished of those, batches not completed when the figures were taken
 * @param inputRate  records received per second of the window (sum of input sizes / batches / interval)
 */
record BatchFigures(
        int batches,
        int unfinished,
        long inputRecords,
        double inputRate,
        double avgProcessingMs,
        long maxProcessingMs,
        long schedulingDelayFirstMs,
        long schedulingDelayLastMs,
        double schedulingDelayFirstThirdMs,
        double schedulingDelayLastThirdMs,
        long totalDelayP50Ms,
        long totalDelayP99Ms) {

    static final double MAX_PROCESSING_SHARE = 0.8;
    static final double MIN_INPUT_SHARE = 0.95;

    static boolean inWindow(Batch batch, long windowStart, long windowEnd) {
        return batch.batchTime() > windowStart && batch.batchTime() <= windowEnd;
    }

    static BatchFigures of(List<Batch> all, long windowStart, long windowEnd, Duration batchInterval) {
        List<Batch> window = all.stream().filter(b -> inWindow(b, windowStart, windowEnd)).toList();
        List<Batch> completed = window.stream().filter(Batch::completed).toList();
        long input = window.stream().mapToLong(Batch::inputSize).sum();
        double seconds = window.size() * batchInterval.toMillis() / 1000.0;
        List<Long> scheduling = new ArrayList<>();
        completed.forEach(b -> scheduling.add(b.schedulingDelay() == null ? 0 : b.schedulingDelay()));
        int third = Math.max(1, scheduling.size() / 3);
        return new BatchFigures(
                window.size(),
                window.size() - completed.size(),
                input,
                seconds > 0 ? input / seconds : Double.NaN,
                completed.stream().mapToLong(Batch::processingTime).average().orElse(Double.NaN),
                completed.stream().mapToLong(Batch::processingTime).max().orElse(-1),
                scheduling.isEmpty() ? -1 : scheduling.get(0),
                scheduling.isEmpty() ? -1 : scheduling.get(scheduling.size() - 1),
                mean(scheduling.subList(0, Math.min(third, scheduling.size()))),
                mean(scheduling.subList(Math.max(0, scheduling.size() - third), scheduling.size())),
                Percentiles.of(completed.stream().mapToLong(b -> b.totalDelay() == null ? 0 : b.totalDelay()).toArray()).at(50),
                Percentiles.of(completed.stream().mapToLong(b -> b.totalDelay() == null ? 0 : b.totalDelay()).toArray()).at(99));
    }

    /** Why the window does not show a sustained rate; empty when it does. */
    List<String> unsustainedReasons(Duration batchInterval, int targetRate) {
        long interval = batchInterval.toMillis();
        List<String> reasons = new ArrayList<>();
        if (batches == unfinished) {
            reasons.add("no batch of the window completed");
            return reasons;
        }
        if (!(avgProcessingMs < MAX_PROCESSING_SHARE * interval)) {
            reasons.add(String.format(Locale.ROOT, "average processing time %.0f ms is not below %.0f%% of the %d ms interval",
                    avgProcessingMs, MAX_PROCESSING_SHARE * 100, interval));
        }
        if (schedulingDelayLastThirdMs - schedulingDelayFirstThirdMs > interval) {
            reasons.add(String.format(Locale.ROOT, "scheduling delay grew: mean %.0f ms in the first third, %.0f ms in the last",
                    schedulingDelayFirstThirdMs, schedulingDelayLastThirdMs));
        }
        if (schedulingDelayLastMs >= interval) {
            reasons.add("last batch's scheduling delay " + schedulingDelayLastMs + " ms is not below the interval");
        }
        if (unfinished > 0) {
            reasons.add(unfinished + " batch(es) of the window still queued or running after a grace of one interval + 5 s");
        }
        if (!(inputRate >= MIN_INPUT_SHARE * targetRate)) {
            reasons.add(String.format(Locale.ROOT, "input %.0f records/s is below %.0f%% of the target %d/s",
                    inputRate, MIN_INPUT_SHARE * 100, targetRate));
        }
        return reasons;
    }

    private static double mean(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).average().orElse(Double.NaN);
    }
}
