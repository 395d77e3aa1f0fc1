package io.streamcontrol.job.rollup;

import io.streamcontrol.job.event.Granularity;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The rollup buckets accepted events can still reach, by granularity and start: the buckets that close are dropped
 * without looking at the others. Mutable, like the {@link AnalyticsState} it is part of.
 */
public final class OpenBuckets implements Serializable {

    private final Map<Granularity, TreeMap<Long, Map<Cell, Aggregate>>> byStart = new EnumMap<>(Granularity.class);

    public Aggregate get(Cell bucket) {
        TreeMap<Long, Map<Cell, Aggregate>> starts = byStart.get(bucket.granularity());
        Map<Cell, Aggregate> cells = starts == null ? null : starts.get(bucket.start());
        return cells == null ? null : cells.get(bucket);
    }

    /** Merges {@code aggregate} into the bucket and returns the bucket's value before (null: it is new). */
    public Aggregate add(Cell bucket, Aggregate aggregate) {
        Map<Cell, Aggregate> cells = byStart.computeIfAbsent(bucket.granularity(), g -> new TreeMap<>())
                .computeIfAbsent(bucket.start(), start -> new HashMap<>());
        Aggregate before = cells.get(bucket);
        cells.put(bucket, before == null ? aggregate : before.merge(aggregate));
        return before;
    }

    /** Drops the buckets that end at {@code closedBefore} or earlier: no accepted event can reach them any more. */
    void closeBefore(long closedBefore) {
        byStart.forEach((granularity, starts) -> starts.headMap(closedBefore - granularity.millis(), true).clear());
        byStart.values().removeIf(Map::isEmpty);
    }

    public int size() {
        return byStart.values().stream().flatMap(starts -> starts.values().stream()).mapToInt(Map::size).sum();
    }

    public void forEach(BiConsumer<Cell, Aggregate> action) {
        byStart.values().forEach(starts -> starts.values().forEach(cells -> cells.forEach(action)));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OpenBuckets buckets && byStart.equals(buckets.byStart);
    }

    @Override
    public int hashCode() {
        return byStart.hashCode();
    }

    @Override
    public String toString() {
        return byStart.toString();
    }
}
