package io.streamcontrol.job.rollup;

import io.streamcontrol.job.event.Dimension;
import io.streamcontrol.job.event.Granularity;
import io.streamcontrol.job.event.SalesEvent;
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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The rollup state machine: pure functions from a batch's inputs and the previous state to the next state. */
public final class Analytics {

    private static final Comparator<Ranked> BEST_FIRST =
            Comparator.comparing(Ranked::saleSum).reversed().thenComparing(Ranked::key);

    private Analytics() {
    }

    /** The state after a batch and the whole values that batch changed. */
    public record Step(AnalyticsState state, AnalyticsChanges changes) {
    }

    /**
     * What one event contributes to: per dimension, a bucket of the finest configured granularity (coarser buckets are
     * derived from it in {@link #apply}) and a top-N slide.
     */
    public static List<Cell> cellsOf(SalesEvent event, AnalyticsConfig config) {
        long time = event.orderTime().toEpochMilli();
        Granularity finest = finest(config);
        List<Cell> cells = new ArrayList<>(config.dimensions().size() * 2);
        for (Dimension dimension : config.dimensions()) {
            String key = event.dimensionValue(dimension);
            cells.add(new Cell(dimension, finest, key, finest.bucketStart(time)));
            cells.add(new Cell(dimension, null, key, Math.floorDiv(time, config.slideMillis()) * config.slideMillis()));
        }
        return cells;
    }

    /** One partition's events summed per cell: what a batch hands to {@link #apply}, a few rows per partition. */
    public static List<AnalyticsInput> aggregate(Iterator<SalesEvent> events, AnalyticsConfig config) {
        CellAggregator cells = new CellAggregator(config);
        events.forEachRemaining(cells::add);
        return cells.inputs();
    }

    /** The finest configured granularity: what events are aggregated into, and what top-N slides are made of. */
    public static Granularity finest(AnalyticsConfig config) {
        Granularity finest = null;
        for (Granularity granularity : config.granularities()) {
            if (finest == null || granularity.millis() < finest.millis()) {
                finest = granularity;
            }
        }
        if (finest == null) {
            throw new IllegalArgumentException("no granularity configured");
        }
        return finest;
    }

    /**
     * Applies a batch's inputs to {@code state} in place (the state belongs to the driver and only the keys the batch
     * touches are updated) and returns the state with the whole values that changed, each with its value before the
     * batch (null where it did not exist): the rows keep it so a batch that crashed before its commit can be undone.
     */
    public static Step apply(AnalyticsState state, Iterable<AnalyticsInput> inputs, AnalyticsConfig config) {
        Map<Integer, Long> sourceMaxTimes = state.sourceMaxTimes();
        Map<Cell, Aggregate> buckets = state.buckets();
        Map<TotalKey, Aggregate> totals = state.totals();
        Map<Cell, BigDecimal> slides = state.slides();

        Map<Cell, Aggregate> bucketsBefore = new LinkedHashMap<>();
        Map<TotalKey, Aggregate> totalsBefore = new LinkedHashMap<>();
        Map<Dimension, Set<Long>> touchedSlides = new HashMap<>();

        for (AnalyticsInput input : inputs) {
            if (input instanceof SourceProgress progress) {
                if (progress.state().hasEventTime()) {
                    sourceMaxTimes.merge(progress.state().source(), progress.state().maxEventTime(), Math::max);
                }
            } else if (input instanceof CellUpdate update) {
                Cell cell = update.cell();
                if (cell.isSlide()) {
                    slides.merge(cell, update.aggregate().saleSum(), BigDecimal::add);
                    touchedSlides.computeIfAbsent(cell.dimension(), d -> new TreeSet<>()).add(cell.start());
                } else {
                    for (Granularity granularity : config.granularities()) {
                        Cell bucket = new Cell(cell.dimension(), granularity, cell.key(),
                                granularity.bucketStart(cell.start()));
                        Aggregate before = buckets.get(bucket);
                        if (!bucketsBefore.containsKey(bucket)) {
                            bucketsBefore.put(bucket, before);
                        }
                        buckets.put(bucket, before == null ? update.aggregate() : before.merge(update.aggregate()));
                    }
                    TotalKey key = new TotalKey(cell.dimension(), cell.key());
                    Aggregate before = totals.get(key);
                    if (!totalsBefore.containsKey(key)) {
                        totalsBefore.put(key, before);
                    }
                    totals.put(key, before == null ? update.aggregate() : before.merge(update.aggregate()));
                }
            }
        }

        List<TopNWindow> windows = new ArrayList<>();
        touchedSlides.forEach((dimension, starts) -> windows.addAll(windowsTouched(dimension, starts, slides, config)));

        List<BucketValue> changedBuckets = new ArrayList<>(bucketsBefore.size());
        bucketsBefore.forEach((cell, before) -> changedBuckets.add(new BucketValue(cell, buckets.get(cell), before)));
        List<TotalValue> changedTotals = new ArrayList<>(totalsBefore.size());
        totalsBefore.forEach((key, before) -> changedTotals.add(new TotalValue(key, totals.get(key), before)));

        evictClosed(sourceMaxTimes, buckets, slides, config);
        return new Step(state, new AnalyticsChanges(changedBuckets, changedTotals, windows));
    }

    /**
     * Windows whose content changed: those holding a touched slide, up to the window that ends right after the newest
     * slide of the dimension (windows further ahead would only repeat it).
     */
    private static List<TopNWindow> windowsTouched(Dimension dimension, Set<Long> touchedStarts,
            Map<Cell, BigDecimal> slides, AnalyticsConfig config) {
        long slide = config.slideMillis();
        long newestStart = slides.keySet().stream().filter(c -> c.dimension() == dimension)
                .mapToLong(Cell::start).max().orElseThrow();
        Set<Long> ends = new TreeSet<>();
        for (long start : touchedStarts) {
            for (long end = start + slide; end <= start + config.windowMillis() && end <= newestStart + slide; end += slide) {
                ends.add(end);
            }
        }
        List<TopNWindow> windows = new ArrayList<>(ends.size());
        for (long end : ends) {
            windows.add(topN(dimension, end - config.windowMillis(), end, slides, config.topN()));
        }
        return windows;
    }

    /** The top {@code n} keys of {@code dimension} by sale sum over the slides in {@code [start, end)}, best first. */
    public static TopNWindow topN(Dimension dimension, long start, long end, Map<Cell, BigDecimal> slides, int n) {
        Map<String, BigDecimal> sums = new HashMap<>();
        slides.forEach((cell, sum) -> {
            if (cell.dimension() == dimension && cell.start() >= start && cell.start() < end) {
                sums.merge(cell.key(), sum, BigDecimal::add);
            }
        });
        List<Ranked> ranking = sums.entrySet().stream()
                .map(e -> new Ranked(e.getKey(), e.getValue()))
                .sorted(BEST_FIRST)
                .limit(n)
                .collect(Collectors.toCollection(ArrayList::new));
        return new TopNWindow(dimension, start, end, ranking);
    }

    /**
     * Drops what no event can change any more. An event is accepted only if it is at most the lateness behind its
     * source's newest event, so once every source is past {@code t + lateness}, nothing before {@code t} moves.
     */
    private static void evictClosed(Map<Integer, Long> sourceMaxTimes, Map<Cell, Aggregate> buckets,
            Map<Cell, BigDecimal> slides, AnalyticsConfig config) {
        OptionalLong closed = closedBefore(sourceMaxTimes, config);
        if (closed.isEmpty()) {
            return;
        }
        long closedBefore = closed.getAsLong();
        buckets.keySet().removeIf(cell -> !isOpen(cell, closedBefore));
        slides.keySet().removeIf(cell -> !isKept(cell, closedBefore, config));
    }

    /**
     * The event time before which nothing can change any more: every accepted event is at least this recent. Empty
     * while some source has no event yet (its first event may have any time).
     */
    public static OptionalLong closedBefore(Map<Integer, Long> sourceMaxTimes, AnalyticsConfig config) {
        if (sourceMaxTimes.size() < config.sources()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(sourceMaxTimes.values().stream().mapToLong(Long::longValue).min().orElseThrow()
                - config.latenessMillis());
    }

    /** Whether the state keeps a rollup bucket: an event at {@code closedBefore} or later can still reach it. */
    public static boolean isOpen(Cell bucket, long closedBefore) {
        return bucket.start() + bucket.granularity().millis() > closedBefore;
    }

    /** Whether the state keeps a top-N slide: some window that can still change holds it. */
    public static boolean isKept(Cell slide, long closedBefore, AnalyticsConfig config) {
        return slide.start() >= closedBefore - config.windowMillis();
    }
}
