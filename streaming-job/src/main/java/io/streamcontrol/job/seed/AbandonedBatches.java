package io.streamcontrol.job.seed;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The batch times whose writes no commit covers. Each start records one interval: after the last commit (or from the
 * beginning when there was none) up to its own first batch. A batch that wrote rows in such an interval was in flight
 * when its driver died, so its rows count at their value before it. Intervals recorded after the same commit nest
 * (the later one is kept), and intervals after different commits are disjoint: a commit comes after the start that
 * recorded the previous interval.
 */
public final class AbandonedBatches {

    /** Interval start (exclusive) to interval end (exclusive), in batch time (epoch ms). */
    private final NavigableMap<Long, Long> intervals;

    public AbandonedBatches(Map<Long, Long> intervals) {
        this.intervals = new TreeMap<>(intervals);
    }

    /** Whether a row written by the batch of this time was never committed. */
    public boolean contains(long batchTime) {
        Map.Entry<Long, Long> interval = intervals.lowerEntry(batchTime);
        return interval != null && batchTime < interval.getValue();
    }

    public int size() {
        return intervals.size();
    }

    @Override
    public String toString() {
        return intervals.toString();
    }
}
