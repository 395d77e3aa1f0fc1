package io.streamcontrol.job.rollup;

import io.streamcontrol.contract.events.SalesEvent;
import io.streamcontrol.contract.rollups.Dimension;
import io.streamcontrol.contract.rollups.Granularity;
import io.streamcontrol.job.rollup.AnalyticsChanges.BucketValue;
import io.streamcontrol.job.rollup.AnalyticsChanges.TopNWindow;
import io.streamcontrol.job.rollup.AnalyticsChanges.TotalValue;
import io.streamcontrol.job.rollup.AnalyticsInput.CellUpdate;
import io.streamcontrol.job.rollup.AnalyticsInput.SourceProgress;
import io.streamcontrol.job.rollup.AnalyticsState.TotalKey;
import it.unimi.dsi.fastutil.ints.IntOpenHashSet;
import it.unimi.dsi.fastutil.ints.IntSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.TreeMap;

/** The rollup state machine: pure functions from a batch's inputs and the previous state to the next state. */
public final class Analytics {

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
        OpenBuckets buckets = state.buckets();

        Map<Cell, Aggregate> bucketsBefore = new LinkedHashMap<>();
        Map<TotalKey, Aggregate> totalsBefore = new LinkedHashMap<>();
        Map<Dimension, NavigableMap<Long, IntSet>> touchedSlides = new HashMap<>();

        for (AnalyticsInput input : inputs) {
            if (input instanceof SourceProgress progress) {
                if (progress.state().hasEventTime()) {
                    sourceMaxTimes.merge(progress.state().source(), progress.state().maxEventTime(), Math::max);
                }
            } else if (input instanceof CellUpdate update) {
                Cell cell = update.cell();
                Dimension dimension = cell.dimension();
                KeyDictionary keys = state.keys(dimension);
                int id = keys.id(cell.key());
                if (cell.isSlide()) {
                    state.topNOf(dimension).add(cell.start(), id, update.aggregate().saleSum());
                    touchedSlides.computeIfAbsent(dimension, d -> new TreeMap<>())
                            .computeIfAbsent(cell.start(), start -> new IntOpenHashSet()).add(id);
                } else {
                    // the state's own key string, which the changes then refer to
                    String key = keys.key(id);
                    AggregateTable.Packed aggregate = AggregateTable.Packed.of(update.aggregate());
                    for (Granularity granularity : config.granularities()) {
                        long start = granularity.bucketStart(cell.start());
                        Cell bucket = new Cell(dimension, granularity, key, start);
                        if (!bucketsBefore.containsKey(bucket)) {
                            bucketsBefore.put(bucket, buckets.get(granularity, start, dimension, id));
                        }
                        buckets.add(granularity, start, dimension, id, aggregate);
                    }
                    TotalKey total = new TotalKey(dimension, key);
                    if (!totalsBefore.containsKey(total)) {
                        totalsBefore.put(total, state.total(dimension, id));
                    }
                    state.addTotal(dimension, id, aggregate);
                }
            }
        }

        List<TopNWindow> windows = new ArrayList<>();
        touchedSlides.forEach((dimension, touched) ->
                windows.addAll(state.topNOf(dimension).rankWindowsChanged(dimension, touched, config)));

        List<BucketValue> changedBuckets = new ArrayList<>(bucketsBefore.size());
        bucketsBefore.forEach((cell, before) -> changedBuckets.add(new BucketValue(cell, buckets.get(cell), before)));
        List<TotalValue> changedTotals = new ArrayList<>(totalsBefore.size());
        totalsBefore.forEach((key, before) -> changedTotals.add(new TotalValue(key,
                state.total(key.dimension(), state.keys(key.dimension()).find(key.key())), before)));

        evictClosed(state, config);
        return new Step(state, new AnalyticsChanges(changedBuckets, changedTotals, windows));
    }

    /**
     * Drops what no event can change any more. An event is accepted only if it is at most the lateness behind its
     * source's newest event, so once every source is past {@code t + lateness}, nothing before {@code t} moves.
     */
    public static void evictClosed(AnalyticsState state, AnalyticsConfig config) {
        OptionalLong closed = closedBefore(state.sourceMaxTimes(), config);
        if (closed.isEmpty()) {
            return;
        }
        state.buckets().closeBefore(closed.getAsLong());
        state.topN().values().forEach(topN -> topN.closeBefore(closed.getAsLong(), config));
        state.topN().values().removeIf(SlidingTopN::isEmpty);
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
}
