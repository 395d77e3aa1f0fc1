package io.streamcontrol.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcontrol.bench.harness.Percentiles;
import io.streamcontrol.bench.harness.SparkStreamingStats.Batch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

class BatchFiguresTest {

    static final Duration INTERVAL = Duration.ofSeconds(5);
    static final long START = 1_000_000_000L;
    static final long WINDOW = 600_000; // 10 minutes: 120 batches of 5 s

    /** 120 completed batches of {@code records} each, with the given scheduling delay and processing time per batch. */
    private static List<Batch> batches(long records, IntToLongFunction delay, long processing) {
        List<Batch> batches = new ArrayList<>();
        for (int i = 1; i <= WINDOW / INTERVAL.toMillis(); i++) {
            long d = delay.applyAsLong(i);
            batches.add(new Batch(START + i * INTERVAL.toMillis(), "COMPLETED", records, d, processing, d + processing));
        }
        return batches;
    }

    private static GeneratorLag flatLag(long lagMs) {
        long[] times = new long[600];
        long[] lags = new long[600];
        for (int i = 0; i < times.length; i++) {
            times[i] = START + i * 1_000L;
            lags[i] = lagMs + (i % 7) * 20; // jitter of the 50 ms flushes
        }
        return GeneratorLag.of(times, lags, WINDOW);
    }

    @Test
    void aFlatScheduleDelayWithInputAtTheTargetIsSustained() {
        // jitter up to 2 s, no trend
        BatchFigures f = BatchFigures.of(batches(50_000, i -> (i * 37L) % 2_000, 3_000), START, START + WINDOW, INTERVAL);
        assertThat(f.batches()).isEqualTo(120);
        assertThat(f.inputRate()).isEqualTo(10_000);
        assertThat(Math.abs(f.schedulingDelayRiseMs())).isLessThan(INTERVAL.toMillis());
        assertThat(f.unsustainedReasons(INTERVAL, 10_000, flatLag(1_200))).isEmpty();
    }

    @Test
    void aSlowlyGrowingDelayIsNotSustainedAlthoughItsMedianIsBelowTheInterval() {
        // grows 50 ms per batch: 6 s over the window, while processing (4.9 s) stays below the interval
        BatchFigures f = BatchFigures.of(batches(50_000, i -> i * 50L, 4_900), START, START + WINDOW, INTERVAL);
        assertThat(f.schedulingDelayMedianMs()).isLessThan(INTERVAL.toMillis());
        assertThat(f.unsustainedReasons(INTERVAL, 10_000, flatLag(1_200)))
                .singleElement().asString().startsWith("scheduling delay grows: fitted rise 6000 ms over the 600 s window"
                        + " (600.0 ms/min)");
    }

    @Test
    void aDelayRisingLessThanOneIntervalOverTheWindowCountsAsFlat() {
        BatchFigures f = BatchFigures.of(batches(50_000, i -> i * 40L, 4_900), START, START + WINDOW, INTERVAL);
        assertThat(f.schedulingDelayRiseMs()).isCloseTo(4_800, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(f.unsustainedReasons(INTERVAL, 10_000, flatLag(1_200))).isEmpty();
    }

    @Test
    void aStandingBacklogIsNotSustainedEvenIfFlat() {
        BatchFigures f = BatchFigures.of(batches(50_000, i -> 20_000, 4_000), START, START + WINDOW, INTERVAL);
        assertThat(f.unsustainedReasons(INTERVAL, 10_000, flatLag(1_200)))
                .singleElement().asString().startsWith("standing backlog: median scheduling delay 20000 ms");
    }

    @Test
    void aGrowingGeneratorLagIsNotSustained() {
        long[] times = new long[600];
        long[] lags = new long[600];
        for (int i = 0; i < times.length; i++) {
            times[i] = START + i * 1_000L;
            lags[i] = 1_000 + i * 10L; // receivers fall 6 s behind over the window
        }
        BatchFigures f = BatchFigures.of(batches(50_000, i -> 100, 3_000), START, START + WINDOW, INTERVAL);
        assertThat(f.unsustainedReasons(INTERVAL, 10_000, GeneratorLag.of(times, lags, WINDOW)))
                .singleElement().asString().startsWith("generator lag grows: fitted rise 6000 ms");
    }

    @Test
    void inputBelowTheTargetAndSlowProcessingAreNamed() {
        BatchFigures f = BatchFigures.of(batches(40_000, i -> 100, 5_200), START, START + WINDOW, INTERVAL);
        assertThat(f.unsustainedReasons(INTERVAL, 10_000, flatLag(1_200))).containsExactly(
                "input 8000 records/s is below 95% of the target 10000/s",
                "average processing time 5200 ms is not below the 5000 ms interval");
    }

    @Test
    void batchesOutsideTheWindowAndUnfinishedOnesCount() {
        List<Batch> all = new ArrayList<>(batches(50_000, i -> 100, 3_000));
        all.add(new Batch(START, "COMPLETED", 1, 99_000L, 1L, 99_001L)); // at the window's start: not in it
        all.add(new Batch(START + WINDOW, "PROCESSING", 50_000, 100L, null, null));
        all.removeIf(b -> b.batchTime() == START + WINDOW && b.completed());
        BatchFigures f = BatchFigures.of(all, START, START + WINDOW, INTERVAL);
        assertThat(f.batches()).isEqualTo(120);
        assertThat(f.unfinished()).isEqualTo(1);
        assertThat(f.unsustainedReasons(INTERVAL, 10_000, flatLag(1_200)))
                .containsExactly("1 batch(es) of the window still queued or running after a grace of one interval + 5 s");
    }

    @Test
    void freshnessAboveTwoIntervalsAtTheNinetyNinthPercentileIsNamed() {
        long[] delays = new long[1_000];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = 4_000 + i * 6; // 4.0 s to 9.994 s: p99 9.940 s
        }
        assertThat(BatchFigures.stalenessReason(Percentiles.of(delays), INTERVAL)).isEmpty();
        for (int i = 989; i < delays.length; i++) {
            delays[i] = 10_500; // eleven of a thousand: the 99th percentile is one of them
        }
        assertThat(BatchFigures.stalenessReason(Percentiles.of(delays), INTERVAL)).contains(
                "freshness p99 10500 ms is above 2 batch intervals (10000 ms)");
        assertThat(BatchFigures.stalenessReason(Percentiles.of(new long[0]), INTERVAL))
                .contains("no event's freshness was measured");
    }

    @Test
    void trendFitsAStraightLine() {
        Trend t = Trend.fit(new double[] {0, 1, 2, 3}, new double[] {1, 3, 5, 7});
        assertThat(t.slope()).isEqualTo(2.0);
        assertThat(t.atEnd()).isEqualTo(7.0);
        assertThat(t.riseOver(10)).isEqualTo(20.0);
        assertThat(Trend.fit(new double[] {1}, new double[] {4}).slope()).isNaN();
    }

    @Test
    void theBacklogOfTheFirstBatchesIsGoneOnceTheNewestWasScheduledWithinAFifthOfAnInterval() {
        Batch late = new Batch(START, "COMPLETED", 250_000, 4_700L, 4_600L, 9_300L);
        Batch onTime = new Batch(START + 5_000, "COMPLETED", 250_000, 1_000L, 4_000L, 5_000L);
        Batch processing = new Batch(START + 10_000, "PROCESSING", 250_000, 0L, null, null);
        Batch queued = new Batch(START + 15_000, "QUEUED", 250_000, null, null, null);

        assertThat(BatchFigures.caughtUp(List.of(), INTERVAL)).isFalse();
        assertThat(BatchFigures.caughtUp(List.of(late), INTERVAL)).as("4.7 s: within one interval, not a fifth").isFalse();
        assertThat(BatchFigures.caughtUp(List.of(late, onTime, processing), INTERVAL)).isTrue();
        assertThat(BatchFigures.caughtUp(List.of(late, onTime, processing, queued), INTERVAL)).as("one queued").isFalse();
    }
}
