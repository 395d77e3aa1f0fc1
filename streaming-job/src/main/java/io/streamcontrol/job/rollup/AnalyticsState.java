package io.streamcontrol.job.rollup;

import io.streamcontrol.job.event.Dimension;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Everything the rollups need to be written as whole values: the open rollup buckets, the running totals since the
 * first start, per dimension the sale sums of the top-N slides still inside some window that can change (with those
 * windows' last rankings), and each source's newest event time (which decides when a bucket can no longer change and
 * is dropped). Mutable: it lives in the driver, and each batch updates the keys it touches in place
 * ({@link Analytics#apply}).
 */
public record AnalyticsState(
        Map<Integer, Long> sourceMaxTimes,
        OpenBuckets buckets,
        Map<TotalKey, Aggregate> totals,
        Map<Dimension, SlidingTopN> topN) implements Serializable {

    public record TotalKey(Dimension dimension, String key) implements Serializable {
    }

    public static AnalyticsState empty() {
        return new AnalyticsState(new HashMap<>(), new OpenBuckets(), new HashMap<>(), new EnumMap<>(Dimension.class));
    }

    /** The top-N of {@code dimension}, a new one if it has no slide yet. */
    public SlidingTopN topNOf(Dimension dimension) {
        return topN.computeIfAbsent(dimension, d -> new SlidingTopN());
    }

    /** How many sale sums the slides hold: a key's in one slide is one. */
    public int slideSums() {
        return topN.values().stream().flatMap(t -> t.slides().values().stream()).mapToInt(Map::size).sum();
    }
}
