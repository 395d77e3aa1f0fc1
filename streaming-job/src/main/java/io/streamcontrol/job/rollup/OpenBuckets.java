package io.streamcontrol.job.rollup;

import io.streamcontrol.contract.rollups.Dimension;
import io.streamcontrol.contract.rollups.Granularity;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The rollup buckets accepted events can still reach, by granularity and start: the buckets that close are dropped
 * without looking at the others. Per granularity, start and dimension, the buckets' aggregates by key number
 * ({@link KeyDictionary}, the state's). Mutable, like the {@link AnalyticsState} it is part of.
 */
public final class OpenBuckets implements Serializable {

    private final Map<Dimension, KeyDictionary> keys;
    private final Map<Granularity, TreeMap<Long, Map<Dimension, AggregateTable>>> byStart =
            new EnumMap<>(Granularity.class);

    OpenBuckets(Map<Dimension, KeyDictionary> keys) {
        this.keys = keys;
    }

    public Aggregate get(Cell bucket) {
        int id = keys.get(bucket.dimension()).find(bucket.key());
        return id == KeyDictionary.ABSENT ? null
                : get(bucket.granularity(), bucket.start(), bucket.dimension(), id);
    }

    /** The bucket of key {@code id}; null if it has none. */
    Aggregate get(Granularity granularity, long start, Dimension dimension, int id) {
        TreeMap<Long, Map<Dimension, AggregateTable>> starts = byStart.get(granularity);
        Map<Dimension, AggregateTable> tables = starts == null ? null : starts.get(start);
        AggregateTable table = tables == null ? null : tables.get(dimension);
        return table == null ? null : table.get(id);
    }

    /** Merges {@code aggregate} into the bucket. */
    public void add(Cell bucket, Aggregate aggregate) {
        add(bucket.granularity(), bucket.start(), bucket.dimension(), keys.get(bucket.dimension()).id(bucket.key()),
                AggregateTable.Packed.of(aggregate));
    }

    /** Merges {@code aggregate} into the bucket of key {@code id}. */
    void add(Granularity granularity, long start, Dimension dimension, int id, AggregateTable.Packed aggregate) {
        byStart.computeIfAbsent(granularity, g -> new TreeMap<>())
                .computeIfAbsent(start, s -> new EnumMap<>(Dimension.class))
                .computeIfAbsent(dimension, d -> new AggregateTable())
                .add(id, aggregate);
    }

    /** Drops the buckets that end at {@code closedBefore} or earlier: no accepted event can reach them any more. */
    void closeBefore(long closedBefore) {
        byStart.forEach((granularity, starts) -> starts.headMap(closedBefore - granularity.millis(), true).clear());
        byStart.values().removeIf(Map::isEmpty);
    }

    public int size() {
        return byStart.values().stream().flatMap(starts -> starts.values().stream())
                .flatMap(tables -> tables.values().stream()).mapToInt(AggregateTable::size).sum();
    }

    public void forEach(BiConsumer<Cell, Aggregate> action) {
        byStart.forEach((granularity, starts) -> starts.forEach((start, tables) -> tables.forEach((dimension, table) ->
                table.forEach((aggregate, id) -> action.accept(
                        new Cell(dimension, granularity, keys.get(dimension).key(id), start), aggregate)))));
    }

    /** Every bucket, for tests and logs. */
    private Map<Cell, Aggregate> toMap() {
        Map<Cell, Aggregate> buckets = new HashMap<>();
        forEach(buckets::put);
        return buckets;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OpenBuckets buckets && toMap().equals(buckets.toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    @Override
    public String toString() {
        return toMap().toString();
    }
}
