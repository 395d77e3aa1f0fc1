package io.streamcontrol.bench.ingest;

import io.streamcontrol.bench.harness.Percentiles;
import io.streamcontrol.bench.harness.SparkStreamingStats.Batch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The streaming figures of one measured window, the batches whose batch time lies in (windowStart, windowEnd], and
 * the verdict whether the window shows a sustainable rate (see {@link #unsustainedReasons}).
 *
 * @param batches             batch times in the window
 * @param unfinished          of those, batches not completed when the figures were taken
 * @param inputRate           records received per second of the window (sum of input sizes / batches / interval)
 * @param schedulingDelay     least-squares line of the completed batches' scheduling delay (ms) over batch time (ms)
 */
record BatchFigures(
        int batches,
        int unfinished,
        long inputRecords,
        double inputRate,
        double avgProcessingMs,
        long maxProcessingMs,
        long schedulingDelayMedianMs,
        long schedulingDelayMaxMs,
        long schedulingDelayLastMs,
        Trend schedulingDelay,
        long totalDelayP50Ms,
        long totalDelayP99Ms,
        long windowMs) {

    static final double MIN_INPUT_SHARE = 0.95;
    /** A fitted rise (scheduling delay, generator lag) over the window below this many batch intervals is "flat". */
    static final double MAX_RISE_INTERVALS = 1.0;
    /** The generator's lag may rise by at least this much (its sending is flushed in 50 ms steps, sampled at 20 ms). */
    static final long MIN_LAG_RISE_MS = 1_000;
    /** The job's events must be counted in the rollups within this many batch intervals, at the 99th percentile. */
    static final int MAX_FRESHNESS_P99_INTERVALS = 2;

    /** A backlog is gone once the newest completed batch waited at most this share of an interval to start. */
    static final double CAUGHT_UP_SCHEDULING_DELAY_INTERVALS = 0.2;

    /**
     * Whether the application has worked off its backlog: the newest completed batch was scheduled within a fifth of
     * an interval and at most one batch is pending (the one being processed).
     */
    static boolean caughtUp(List<Batch> batches, Duration batchInterval) {
        List<Batch> completed = batches.stream().filter(Batch::completed).toList();
        if (completed.isEmpty() || batches.size() - completed.size() > 1) {
            return false;
        }
        Long delay = completed.get(completed.size() - 1).schedulingDelay();
        return delay != null && delay <= CAUGHT_UP_SCHEDULING_DELAY_INTERVALS * batchInterval.toMillis();
    }

    static boolean inWindow(Batch batch, long windowStart, long windowEnd) {
        return batch.batchTime() > windowStart && batch.batchTime() <= windowEnd;
    }

    static BatchFigures of(List<Batch> all, long windowStart, long windowEnd, Duration batchInterval) {
        List<Batch> window = all.stream().filter(b -> inWindow(b, windowStart, windowEnd)).toList();
        List<Batch> completed = window.stream().filter(Batch::completed).toList();
        long input = window.stream().mapToLong(Batch::inputSize).sum();
        double seconds = window.size() * batchInterval.toMillis() / 1000.0;
        double[] times = completed.stream().mapToDouble(Batch::batchTime).toArray();
        double[] delays = completed.stream().mapToDouble(BatchFigures::schedulingDelay).toArray();
        long[] delaysInOrder = completed.stream().mapToLong(b -> (long) schedulingDelay(b)).toArray();
        Percentiles scheduling = Percentiles.of(delaysInOrder);
        Percentiles total = Percentiles.of(completed.stream()
                .mapToLong(b -> b.totalDelay() == null ? 0 : b.totalDelay()).toArray());
        return new BatchFigures(
                window.size(),
                window.size() - completed.size(),
                input,
                seconds > 0 ? input / seconds : Double.NaN,
                completed.stream().mapToLong(Batch::processingTime).average().orElse(Double.NaN),
                completed.stream().mapToLong(Batch::processingTime).max().orElse(-1),
                scheduling.at(50),
                scheduling.max(),
                delaysInOrder.length == 0 ? -1 : delaysInOrder[delaysInOrder.length - 1],
                Trend.fit(times, delays),
                total.at(50),
                total.at(99),
                windowEnd - windowStart);
    }

    private static double schedulingDelay(Batch b) {
        return b.schedulingDelay() == null ? 0 : b.schedulingDelay();
    }

    /** The fitted rise of the scheduling delay over the window, in ms. */
    double schedulingDelayRiseMs() {
        return schedulingDelay.riseOver(windowMs);
    }

    /**
     * Why the window does not show a sustainable rate; empty when it does. Sustainable = input at least 95% of the
     * target; no standing backlog (median scheduling delay below one interval); the scheduling delay's fitted line
     * rises by less than one interval over the window; the generator's lag (how far its sending runs behind event
     * time: growing when the receivers stop reading) rises by less than one interval (at least 1 s); every batch of
     * the window finished within the grace; average processing time below the interval. A job's window must also be
     * fresh enough ({@link #stalenessReason}).
     */
    List<String> unsustainedReasons(Duration batchInterval, int targetRate, GeneratorLag lag) {
        long interval = batchInterval.toMillis();
        List<String> reasons = new ArrayList<>();
        if (batches == unfinished) {
            reasons.add("no batch of the window completed");
            return reasons;
        }
        if (!(inputRate >= MIN_INPUT_SHARE * targetRate)) {
            reasons.add(String.format(Locale.ROOT, "input %.0f records/s is below %.0f%% of the target %d/s",
                    inputRate, MIN_INPUT_SHARE * 100, targetRate));
        }
        if (schedulingDelayMedianMs >= interval) {
            reasons.add(String.format(Locale.ROOT, "standing backlog: median scheduling delay %d ms is not below the"
                    + " %d ms interval", schedulingDelayMedianMs, interval));
        }
        double rise = schedulingDelayRiseMs();
        if (Double.isNaN(rise) || rise >= MAX_RISE_INTERVALS * interval) {
            reasons.add(String.format(Locale.ROOT, "scheduling delay grows: fitted rise %.0f ms over the %.0f s window"
                    + " (%.1f ms/min) is not below %.0f ms", rise, windowMs / 1000.0, schedulingDelay.slope() * 60_000,
                    MAX_RISE_INTERVALS * interval));
        }
        if (lag != null) {
            double maxLagRise = Math.max(MIN_LAG_RISE_MS, MAX_RISE_INTERVALS * interval);
            double lagRise = lag.riseMs();
            if (Double.isNaN(lagRise) || lagRise >= maxLagRise) {
                reasons.add(String.format(Locale.ROOT, "generator lag grows: fitted rise %.0f ms over the window"
                        + " (from %d to %d ms) is not below %.0f ms: the receivers (or the generator) fall behind",
                        lagRise, lag.startMs(), lag.endMs(), maxLagRise));
            }
        }
        if (unfinished > 0) {
            reasons.add(unfinished + " batch(es) of the window still queued or running after a grace of one interval + 5 s");
        }
        if (!(avgProcessingMs < interval)) {
            reasons.add(String.format(Locale.ROOT, "average processing time %.0f ms is not below the %d ms interval",
                    avgProcessingMs, interval));
        }
        return reasons;
    }

    /**
     * Why the job's freshness in a window misses its target (p99 at most two batch intervals), empty when it meets
     * it: a rate at which the rollups run late is not one the job can claim.
     */
    static Optional<String> stalenessReason(Percentiles freshness, Duration batchInterval) {
        long limit = MAX_FRESHNESS_P99_INTERVALS * batchInterval.toMillis();
        if (freshness.isEmpty()) {
            return Optional.of("no event's freshness was measured");
        }
        long p99 = freshness.at(99);
        return p99 <= limit ? Optional.empty() : Optional.of(String.format(Locale.ROOT,
                "freshness p99 %d ms is above %d batch intervals (%d ms)", p99, MAX_FRESHNESS_P99_INTERVALS, limit));
    }
}
