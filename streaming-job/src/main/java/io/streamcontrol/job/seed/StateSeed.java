package io.streamcontrol.job.seed;

import io.streamcontrol.contract.rollups.Dimension;
import io.streamcontrol.contract.rollups.Granularity;
import io.streamcontrol.contract.settings.InvalidSettingException;
import io.streamcontrol.job.rollup.Aggregate;
import io.streamcontrol.job.rollup.Analytics;
import io.streamcontrol.job.rollup.AnalyticsChanges.TopNWindow;
import io.streamcontrol.job.rollup.AnalyticsConfig;
import io.streamcontrol.job.rollup.AnalyticsState;
import io.streamcontrol.job.rollup.AnalyticsState.TotalKey;
import io.streamcontrol.job.rollup.Cell;
import io.streamcontrol.job.rollup.SlidingTopN;
import io.streamcontrol.job.sequence.SourceState;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The job's state rebuilt from what it already wrote to Cassandra, for a start without a checkpoint (a new checkpoint
 * directory after a reconfiguration, or a lost one). Pure functions: rows in, state out; {@link SeedStore} reads the
 * rows.
 *
 * <p>The rows hold whole values, so the rebuilt state is the one a run with the new settings would hold had it
 * processed the same events: per source its {@link SourceState}; the running totals; every rollup bucket an accepted
 * event can still reach; the top-N slides some still-changing window holds, summed from the finest rollup buckets
 * (which is why the slide must be a multiple of the finest granularity).
 *
 * <p>Assumptions: the rows were written by a run that ended cleanly (a graceful stop completes every batch; after a
 * crash recover from the old checkpoint instead: a half-written batch cannot be told apart), and the dimensions,
 * granularities and number of sources are those of that run (the number of sources is checked here; the control
 * service refuses to change dimensions and granularities). Batch interval, lateness, top-N size, window and slide and
 * every tuning setting may change.
 */
public final class StateSeed {

    /** A {@code sources} row; absent columns are null. */
    public record SourceRow(int source, Long lastStoredSeq, Long processedSeq, Long maxEventTime, long accepted,
            long malformed, long tooLate, long duplicates, Long batchTime) {
    }

    /** A {@code running_totals} row. */
    public record TotalRow(Dimension dimension, String key, Aggregate aggregate) {
    }

    /** A {@code rollups} row. */
    public record BucketRow(Dimension dimension, Granularity granularity, String key, long start, Aggregate aggregate) {
    }

    /** One rollup partition to read: its buckets that start at {@code fromStart} (epoch ms) or later. */
    public record PartitionRead(Dimension dimension, Granularity granularity, String key, LocalDate period,
            long fromStart) {
    }

    /** The rebuilt state: the sources that made progress, and the analytics state. */
    public record Seed(List<SourceState> sources, AnalyticsState analytics) implements Serializable {

        public int bucketCount() {
            return analytics.buckets().size();
        }
    }

    private StateSeed() {
    }

    /**
     * Source partitions cannot change for an existing job: receiver i resumes partition i of the source by the
     * sequence numbers it processed, which mean nothing in another partitioning.
     */
    public static void checkSources(List<SourceRow> rows, int receivers) {
        checkSourcePartitions(rows.stream().map(SourceRow::source).toList(), receivers);
    }

    /** {@link #checkSources} given the source partitions of the rows of {@code sources}. */
    public static void checkSourcePartitions(Collection<Integer> sources, int receivers) {
        int partitions = sources.stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        if (!sources.isEmpty() && partitions != receivers) {
            throw new InvalidSettingException("receivers", receivers + " does not match the " + partitions
                    + " source partitions this job already processed (rows of its sources table): the number of"
                    + " receivers of an existing job cannot change");
        }
    }

    /** Each source's newest accepted event time, as the analytics state keeps it. */
    public static Map<Integer, Long> sourceMaxTimes(List<SourceRow> rows) {
        Map<Integer, Long> times = new HashMap<>();
        rows.stream().filter(r -> r.processedSeq() != null && r.maxEventTime() != null)
                .forEach(r -> times.put(r.source(), r.maxEventTime()));
        return times;
    }

    /**
     * The rollup partitions that hold every bucket the state needs, given the keys of each dimension (from the running
     * totals). Only when {@link Analytics#closedBefore} is known; otherwise every bucket ever written is needed.
     */
    public static List<PartitionRead> plan(List<SourceRow> rows, Map<Dimension, ? extends Collection<String>> keys,
            AnalyticsConfig config) {
        Map<Integer, Long> maxTimes = sourceMaxTimes(rows);
        long closedBefore = Analytics.closedBefore(maxTimes, config).orElseThrow(() -> new IllegalArgumentException(
                "some source has no event yet: every bucket is needed"));
        long newest = maxTimes.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        Granularity finest = Analytics.finest(config);
        long slide = config.slideMillis();
        List<PartitionRead> reads = new ArrayList<>();
        for (Granularity granularity : config.granularities()) {
            long from = granularity.bucketStart(closedBefore);
            if (granularity == finest) {
                // the slides are summed from these buckets: one slide more than the oldest one the state keeps
                from = Math.min(from, Math.floorDiv(closedBefore - config.windowMillis(), slide) * slide - slide);
            }
            LocalDate last = granularity.period(granularity.bucketStart(newest));
            for (LocalDate period = granularity.period(granularity.bucketStart(from)); !period.isAfter(last);
                    period = granularity.nextPeriod(period)) {
                for (Dimension dimension : config.dimensions()) {
                    Collection<String> dimensionKeys = keys.get(dimension);
                    for (String key : dimensionKeys == null ? List.<String>of() : dimensionKeys) {
                        reads.add(new PartitionRead(dimension, granularity, key, period, from));
                    }
                }
            }
        }
        return reads;
    }

    /** A whole rollup partition, for when every bucket is needed. */
    public static PartitionRead wholePartition(Dimension dimension, Granularity granularity, String key,
            LocalDate period) {
        return new PartitionRead(dimension, granularity, key, period,
                period.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
    }

    /**
     * The state a run would hold after writing these rows. Rows the state would not hold (closed buckets, old slides,
     * other dimensions or granularities) are ignored, so reading more than {@link #plan} asks is harmless.
     */
    public static Seed build(List<SourceRow> sourceRows, List<TotalRow> totalRows, List<BucketRow> bucketRows,
            AnalyticsConfig config) {
        List<SourceState> sources = new ArrayList<>();
        sourceRows.stream().filter(r -> r.processedSeq() != null).sorted(Comparator.comparingInt(SourceRow::source))
                .forEach(r -> sources.add(new SourceState(r.source(), r.processedSeq(),
                        r.maxEventTime() == null ? SourceState.NONE : r.maxEventTime(), r.accepted(), r.malformed(),
                        r.tooLate(), r.duplicates())));

        AnalyticsState state = AnalyticsState.empty();
        state.sourceMaxTimes().putAll(sourceMaxTimes(sourceRows));
        for (TotalRow row : totalRows) {
            if (config.dimensions().contains(row.dimension())) {
                state.putTotal(new TotalKey(row.dimension(), row.key()), row.aggregate());
            }
        }

        Granularity finest = Analytics.finest(config);
        long slide = config.slideMillis();
        for (BucketRow row : bucketRows) {
            if (!config.dimensions().contains(row.dimension()) || !config.granularities().contains(row.granularity())) {
                continue;
            }
            state.buckets().add(new Cell(row.dimension(), row.granularity(), row.key(), row.start()), row.aggregate());
            if (row.granularity() == finest) {
                state.topNOf(row.dimension()).add(Math.floorDiv(row.start(), slide) * slide, row.key(),
                        row.aggregate().saleSum());
            }
        }
        Analytics.evictClosed(state, config);
        return new Seed(sources, state);
    }

    /**
     * Every top-N window that events can still change, as a run with these settings would have written it: per
     * dimension, the windows ending after the oldest slide events can still reach, up to the one right after the newest
     * slide. Written at a seeded start, they replace what an earlier run wrote with other top-N settings; their
     * rankings are kept in {@code state}, so the batches that follow rank only the keys they touch.
     */
    public static List<TopNWindow> openWindows(AnalyticsState state, AnalyticsConfig config) {
        long slide = config.slideMillis();
        long window = config.windowMillis();
        OptionalLong closedBefore = Analytics.closedBefore(state.sourceMaxTimes(), config);
        List<TopNWindow> windows = new ArrayList<>();
        for (Dimension dimension : config.dimensions()) {
            SlidingTopN topN = state.topN().get(dimension);
            if (topN == null) {
                continue;
            }
            NavigableSet<Long> starts = topN.slideStarts();
            long oldest = closedBefore.isPresent() ? Math.floorDiv(closedBefore.getAsLong(), slide) * slide
                    : starts.first();
            for (long end = oldest + slide; end <= starts.last() + slide; end += slide) {
                if (!starts.subSet(end - window, end).isEmpty()) {
                    windows.add(new TopNWindow(dimension, end - window, end, topN.rank(end, config, Stream.empty())));
                }
            }
        }
        return windows;
    }
}
