package io.streamcontrol.job.rollup;

import io.streamcontrol.contract.rollups.Dimension;
import io.streamcontrol.job.rollup.AnalyticsState.TotalKey;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.List;

/** The whole values a batch changed, ready to be upserted. */
public record AnalyticsChanges(
        List<BucketValue> buckets,
        List<TotalValue> totals,
        List<TopNWindow> windows) implements Serializable {

    /** A rollup bucket's whole value, and its value before the batch (null: the bucket is new). */
    public record BucketValue(Cell cell, Aggregate aggregate, Aggregate previous) implements Serializable {
    }

    /** A running total's whole value, and its value before the batch (null: the key is new). */
    public record TotalValue(TotalKey key, Aggregate aggregate, Aggregate previous) implements Serializable {
    }

    /** The top keys by sale amount of the window {@code [end - window, end)}, best first. */
    public record TopNWindow(Dimension dimension, long start, long end, List<Ranked> ranking) implements Serializable {
    }

    public record Ranked(String key, BigDecimal saleSum) implements Serializable {
    }

    public boolean isEmpty() {
        return buckets.isEmpty() && totals.isEmpty() && windows.isEmpty();
    }
}
