package io.streamcontrol.job.rollup;

import io.streamcontrol.contract.rollups.Dimension;
import java.io.Serializable;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the rollups need to be written as whole values: the open rollup buckets, the running totals since the
 * first start, per dimension the sale sums of the top-N slides still inside some window that can change (with those
 * windows' last rankings), and each source's newest event time (which decides when a bucket can no longer change and
 * is dropped). Mutable: it lives in the driver, and each batch updates the keys it touches in place
 * ({@link Analytics#apply}).
 *
 * <p>Held lean, for key spaces of millions: each dimension's keys are numbered once ({@link KeyDictionary}), and
 * buckets, totals and slides hold numbers and primitive sums ({@link AggregateTable}, {@link DecimalSums}) instead of
 * strings and objects per entry. Two states are equal when they hold the same values under the same keys, however
 * their keys are numbered.
 */
public final class AnalyticsState implements Serializable {

    private final Map<Integer, Long> sourceMaxTimes;
    private final EnumMap<Dimension, KeyDictionary> keys = new EnumMap<>(Dimension.class);
    private final OpenBuckets buckets;
    private final EnumMap<Dimension, AggregateTable> totals = new EnumMap<>(Dimension.class);
    private final Map<Dimension, SlidingTopN> topN = new EnumMap<>(Dimension.class);

    public record TotalKey(Dimension dimension, String key) implements Serializable {
    }

    private AnalyticsState(Map<Integer, Long> sourceMaxTimes) {
        this.sourceMaxTimes = sourceMaxTimes;
        for (Dimension dimension : Dimension.values()) {
            keys.put(dimension, new KeyDictionary());
            totals.put(dimension, new AggregateTable());
        }
        this.buckets = new OpenBuckets(keys);
    }

    public static AnalyticsState empty() {
        return new AnalyticsState(new HashMap<>());
    }

    /** Each source's newest event time, by source; mutable. */
    public Map<Integer, Long> sourceMaxTimes() {
        return sourceMaxTimes;
    }

    /** The numbers of {@code dimension}'s keys. */
    KeyDictionary keys(Dimension dimension) {
        return keys.get(dimension);
    }

    public OpenBuckets buckets() {
        return buckets;
    }

    /** The running totals, a read-only view for tests and logs (see {@link #total} and {@link #addTotal}). */
    public Map<TotalKey, Aggregate> totals() {
        return new TotalsView();
    }

    /** The running total of key {@code id} of {@code dimension}; null if it has none. */
    Aggregate total(Dimension dimension, int id) {
        return totals.get(dimension).get(id);
    }

    /** Merges {@code aggregate} into the running total of key {@code id} of {@code dimension}. */
    void addTotal(Dimension dimension, int id, AggregateTable.Packed aggregate) {
        totals.get(dimension).add(id, aggregate);
    }

    /** Sets the running total of {@code key}. */
    public void putTotal(TotalKey key, Aggregate aggregate) {
        totals.get(key.dimension()).put(keys(key.dimension()).id(key.key()), aggregate);
    }

    /** The top-N of each dimension that has slides. */
    public Map<Dimension, SlidingTopN> topN() {
        return topN;
    }

    /** The top-N of {@code dimension}, a new one if it has no slide yet. */
    public SlidingTopN topNOf(Dimension dimension) {
        return topN.computeIfAbsent(dimension, d -> new SlidingTopN(keys(d)));
    }

    /** How many sale sums the slides hold: a key's in one slide is one. */
    public int slideSums() {
        return topN.values().stream().mapToInt(SlidingTopN::slideSums).sum();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AnalyticsState state && sourceMaxTimes.equals(state.sourceMaxTimes)
                && buckets.equals(state.buckets) && totals().equals(state.totals()) && topN.equals(state.topN);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sourceMaxTimes, buckets, totals(), topN);
    }

    @Override
    public String toString() {
        return "AnalyticsState[sourceMaxTimes=" + sourceMaxTimes + ", buckets=" + buckets + ", totals=" + totals()
                + ", topN=" + topN + "]";
    }

    /** The running totals as a map, read-only. */
    private final class TotalsView extends AbstractMap<TotalKey, Aggregate> {

        @Override
        public Aggregate get(Object key) {
            if (!(key instanceof TotalKey total)) {
                return null;
            }
            int id = keys(total.dimension()).find(total.key());
            return id == KeyDictionary.ABSENT ? null : total(total.dimension(), id);
        }

        @Override
        public boolean containsKey(Object key) {
            return get(key) != null;
        }

        @Override
        public int size() {
            return totals.values().stream().mapToInt(AggregateTable::size).sum();
        }

        @Override
        public Set<Entry<TotalKey, Aggregate>> entrySet() {
            List<Entry<TotalKey, Aggregate>> entries = new ArrayList<>();
            totals.forEach((dimension, table) -> table.forEach((aggregate, id) ->
                    entries.add(Map.entry(new TotalKey(dimension, keys(dimension).key(id)), aggregate))));
            return Set.copyOf(entries);
        }
    }
}
