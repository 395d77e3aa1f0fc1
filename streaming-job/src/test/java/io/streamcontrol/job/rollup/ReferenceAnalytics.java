package io.streamcontrol.job.rollup;

import io.streamcontrol.contract.rollups.Dimension;
import io.streamcontrol.contract.rollups.Granularity;
import io.streamcontrol.job.rollup.AnalyticsChanges.BucketValue;
import io.streamcontrol.job.rollup.AnalyticsChanges.Ranked;
import io.streamcontrol.job.rollup.AnalyticsChanges.TopNWindow;
import io.streamcontrol.job.rollup.AnalyticsChanges.TotalValue;
import io.streamcontrol.job.rollup.AnalyticsInput.CellUpdate;
import io.streamcontrol.job.rollup.AnalyticsInput.SourceProgress;
import io.streamcontrol.job.rollup.AnalyticsState.TotalKey;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The rollups computed the plain way, to compare {@link Analytics} with: every bucket and total ever fed is kept, and
 * every window is ranked over all the slides of all dimensions, of which only those no window can need any more are
 * dropped.
 */
final class ReferenceAnalytics {

    static final Comparator<Ranked> BEST_FIRST =
            Comparator.comparing(Ranked::saleSum).reversed().thenComparing(Ranked::key);

    private final AnalyticsConfig config;
    private final Map<Integer, Long> sourceMaxTimes = new HashMap<>();
    private final Map<Cell, Aggregate> buckets = new HashMap<>();
    private final Map<TotalKey, Aggregate> totals = new HashMap<>();
    private final Map<Cell, BigDecimal> slides = new HashMap<>();

    ReferenceAnalytics(AnalyticsConfig config) {
        this.config = config;
    }

    AnalyticsChanges apply(List<AnalyticsInput> inputs) {
        Map<Cell, Aggregate> bucketsBefore = new LinkedHashMap<>();
        Map<TotalKey, Aggregate> totalsBefore = new LinkedHashMap<>();
        Map<Dimension, Set<Long>> touchedSlides = new HashMap<>();
        for (AnalyticsInput input : inputs) {
            if (input instanceof SourceProgress progress && progress.state().hasEventTime()) {
                sourceMaxTimes.merge(progress.state().source(), progress.state().maxEventTime(), Math::max);
            } else if (input instanceof CellUpdate update && update.cell().isSlide()) {
                slides.merge(update.cell(), update.aggregate().saleSum(), BigDecimal::add);
                touchedSlides.computeIfAbsent(update.cell().dimension(), d -> new TreeSet<>()).add(update.cell().start());
            } else if (input instanceof CellUpdate update) {
                Cell cell = update.cell();
                for (Granularity granularity : config.granularities()) {
                    Cell bucket = new Cell(cell.dimension(), granularity, cell.key(), granularity.bucketStart(cell.start()));
                    if (!bucketsBefore.containsKey(bucket)) {
                        bucketsBefore.put(bucket, buckets.get(bucket));
                    }
                    buckets.merge(bucket, update.aggregate(), Aggregate::merge);
                }
                TotalKey key = new TotalKey(cell.dimension(), cell.key());
                if (!totalsBefore.containsKey(key)) {
                    totalsBefore.put(key, totals.get(key));
                }
                totals.merge(key, update.aggregate(), Aggregate::merge);
            }
        }
        List<TopNWindow> windows = new ArrayList<>();
        touchedSlides.forEach((dimension, starts) -> {
            long slide = config.slideMillis();
            long newestStart = slides.keySet().stream().filter(c -> c.dimension() == dimension)
                    .mapToLong(Cell::start).max().orElseThrow();
            Set<Long> ends = new TreeSet<>();
            for (long start : starts) {
                for (long end = start + slide; end <= start + config.windowMillis() && end <= newestStart + slide;
                        end += slide) {
                    ends.add(end);
                }
            }
            ends.forEach(end -> windows.add(topN(dimension, end - config.windowMillis(), end)));
        });
        closedBefore().ifPresent(closed -> slides.keySet()
                .removeIf(cell -> cell.start() < closed - config.windowMillis()));
        List<BucketValue> changedBuckets = new ArrayList<>();
        bucketsBefore.forEach((cell, before) -> changedBuckets.add(new BucketValue(cell, buckets.get(cell), before)));
        List<TotalValue> changedTotals = new ArrayList<>();
        totalsBefore.forEach((key, before) -> changedTotals.add(new TotalValue(key, totals.get(key), before)));
        return new AnalyticsChanges(changedBuckets, changedTotals, windows);
    }

    /** The top keys of {@code dimension} by sale sum over every slide in {@code [start, end)}. */
    TopNWindow topN(Dimension dimension, long start, long end) {
        Map<String, BigDecimal> sums = new HashMap<>();
        slides.forEach((cell, sum) -> {
            if (cell.dimension() == dimension && cell.start() >= start && cell.start() < end) {
                sums.merge(cell.key(), sum, BigDecimal::add);
            }
        });
        List<Ranked> ranking = sums.entrySet().stream().map(e -> new Ranked(e.getKey(), e.getValue()))
                .sorted(BEST_FIRST).limit(config.topN()).collect(Collectors.toCollection(ArrayList::new));
        return new TopNWindow(dimension, start, end, ranking);
    }

    /** Every accepted event is at least this recent; empty while some source has no event yet. */
    OptionalLong closedBefore() {
        if (sourceMaxTimes.size() < config.sources()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(sourceMaxTimes.values().stream().mapToLong(Long::longValue).min().orElseThrow()
                - config.latenessMillis());
    }

    /** The buckets an event at {@code closedBefore} or later can still reach. */
    Map<Cell, Aggregate> openBuckets(long closedBefore) {
        return buckets.entrySet().stream()
                .filter(e -> e.getKey().start() + e.getKey().granularity().millis() > closedBefore)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** The slides of the windows that end at {@code closedBefore} or later. */
    Map<Cell, BigDecimal> slides() {
        return slides;
    }

    long windowMillis() {
        return config.windowMillis();
    }

    Map<TotalKey, Aggregate> totals() {
        return totals;
    }
}
