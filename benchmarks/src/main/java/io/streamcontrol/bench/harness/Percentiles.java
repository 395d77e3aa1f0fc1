package io.streamcontrol.bench.harness;

import java.util.Arrays;

/** Nearest-rank percentiles of a set of values (milliseconds; the query benchmark's latencies are microseconds). */
public final class Percentiles {

    private final long[] sorted;

    private Percentiles(long[] values) {
        this.sorted = values.clone();
        Arrays.sort(sorted);
    }

    public static Percentiles of(long[] values) {
        return new Percentiles(values);
    }

    public int count() {
        return sorted.length;
    }

    public boolean isEmpty() {
        return sorted.length == 0;
    }

    /** The value at or below which {@code p} percent of the values lie; -1 when there are none. */
    public long at(double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public long max() {
        return sorted.length == 0 ? -1 : sorted[sorted.length - 1];
    }
}
