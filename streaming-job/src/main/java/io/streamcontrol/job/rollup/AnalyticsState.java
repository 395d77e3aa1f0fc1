package io.streamcontrol.job.rollup;

import io.streamcontrol.job.event.Dimension;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * Everything the rollups need to be written as whole values: the open rollup buckets, the running totals since the
 * first start, the sale sums of the top-N slides still inside some window, and each source's newest event time
 * (which decides when a bucket can no longer change and is dropped). Mutable: it lives in the driver, and each batch
 * updates the keys it touches in place ({@link Analytics#apply}).
 */
public record AnalyticsState(
        Map<Integer, Long> sourceMaxTimes,
        Map<Cell, Aggregate> buckets,
        Map<TotalKey, Aggregate> totals,
        Map<Cell, BigDecimal> slides) implements Serializable {

    public record TotalKey(Dimension dimension, String key) implements Serializable {
    }

    public static AnalyticsState empty() {
        return new AnalyticsState(new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>());
    }
}
