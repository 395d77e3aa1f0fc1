package io.streamcontrol.job.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcontrol.contract.events.SalesEvent;
import io.streamcontrol.contract.rollups.Dimension;
import io.streamcontrol.contract.rollups.Granularity;
import io.streamcontrol.contract.settings.InvalidSettingException;
import io.streamcontrol.contract.settings.LineFormat;
import io.streamcontrol.job.event.ParsedLine;
import io.streamcontrol.job.rollup.Aggregate;
import io.streamcontrol.job.rollup.Analytics;
import io.streamcontrol.job.rollup.AnalyticsChanges.TopNWindow;
import io.streamcontrol.job.rollup.AnalyticsConfig;
import io.streamcontrol.job.rollup.AnalyticsInput;
import io.streamcontrol.job.rollup.AnalyticsState;
import io.streamcontrol.job.rollup.AnalyticsState.TotalKey;
import io.streamcontrol.job.rollup.Cell;
import io.streamcontrol.job.seed.StateSeed.BucketRow;
import io.streamcontrol.job.seed.StateSeed.PartitionRead;
import io.streamcontrol.job.seed.StateSeed.Seed;
import io.streamcontrol.job.seed.StateSeed.SourceRow;
import io.streamcontrol.job.seed.StateSeed.TotalRow;
import io.streamcontrol.job.sequence.SequencedBatch;
import io.streamcontrol.job.sequence.SourceSequencer;
import io.streamcontrol.job.sequence.SourceState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StateSeedTest {

    static final List<Dimension> DIMENSIONS = List.of(Dimension.PRODUCT, Dimension.REGION);
    static final List<Granularity> GRANULARITIES = List.of(Granularity.MINUTE, Granularity.HOUR, Granularity.DAY);
    static final long LATENESS = 30_000;
    static final AnalyticsConfig CONFIG = new AnalyticsConfig(DIMENSIONS, GRANULARITIES, 4, 180_000, 60_000, LATENESS,
            2);
    /** Other top-N settings: size, window and slide. */
    static final AnalyticsConfig RECONFIGURED = new AnalyticsConfig(DIMENSIONS, GRANULARITIES, 2, 360_000, 120_000,
            LATENESS, 2);
    /** Crosses a day, a month and a year boundary: every kind of rollup partition has two periods. */
    static final long START = Instant.parse("2025-12-31T23:56:00Z").toEpochMilli();

    /**
     * Line n of a deterministic stream: source n % 2, mostly in time order (500 ms apart), some late (accepted), some
     * too late (rejected), some malformed.
     */
    static ParsedLine line(long n) {
        int source = (int) (n % 2);
        if (n % 37 == 5) {
            return ParsedLine.rejected(source, n, 0, "bad number", "garbage " + n);
        }
        long time = START + n * 500;
        if (n % 11 == 3) {
            time -= 20_000;
        } else if (n % 29 == 7) {
            time -= 120_000;
        }
        String amount = (n * 7 % 50 + 1) + "." + (n % 10) + "5";
        SalesEvent event = new SalesEvent(n, Instant.ofEpochMilli(time), (int) (n % 4 + 1), BigDecimal.ZERO,
                BigDecimal.ONE, new BigDecimal(amount), "c" + n, "S" + n % 3, "R" + n % 4, "P" + (n * 3 % 7),
                BigDecimal.ZERO);
        return ParsedLine.accepted(source, n, 0, event);
    }

    static List<ParsedLine> lines(long from, long to) {
        List<ParsedLine> lines = new ArrayList<>();
        for (long n = from; n < to; n++) {
            lines.add(line(n));
        }
        return lines;
    }

    /** The job's pure steps over batches of lines, and the whole values it would have written to its tables. */
    static final class Run {
        final AnalyticsConfig config;
        final Map<Integer, SourceState> sources = new TreeMap<>();
        AnalyticsState analytics = AnalyticsState.empty();
        final Map<Cell, Aggregate> rollups = new HashMap<>();
        final Map<TotalKey, Aggregate> totals = new HashMap<>();
        final Map<String, TopNWindow> topN = new HashMap<>();

        Run(AnalyticsConfig config) {
            this.config = config;
        }

        /** A run started from a seed, with the tables the seeded run found. */
        Run(AnalyticsConfig config, Seed seed, Run tablesOf) {
            this(config);
            seed.sources().forEach(s -> sources.put(s.source(), s));
            analytics = seed.analytics();
            rollups.putAll(tablesOf.rollups);
            totals.putAll(tablesOf.totals);
            topN.putAll(tablesOf.topN);
            StateSeed.openWindows(seed.analytics(), config).forEach(this::write);
        }

        Run feed(List<ParsedLine> lines, int batchSize) {
            for (int from = 0; from < lines.size(); from += batchSize) {
                batch(lines.subList(from, Math.min(lines.size(), from + batchSize)));
            }
            return this;
        }

        void batch(List<ParsedLine> lines) {
            Map<Integer, List<ParsedLine>> bySource = lines.stream().collect(Collectors.groupingBy(ParsedLine::source));
            List<SalesEvent> accepted = new ArrayList<>();
            List<AnalyticsInput> progress = new ArrayList<>();
            bySource.forEach((source, sourceLines) -> {
                SequencedBatch batch = SourceSequencer.sequence(sources.getOrDefault(source, SourceState.empty(source)),
                        sourceLines, config.latenessMillis(), LineFormat.CSV);
                sources.put(source, batch.state());
                batch.accepted().forEach(l -> accepted.add(l.event()));
                progress.add(new AnalyticsInput.SourceProgress(batch.state()));
            });
            List<AnalyticsInput> inputs = new ArrayList<>(Analytics.aggregate(accepted.iterator(), config));
            inputs.addAll(progress);
            Analytics.Step step = Analytics.apply(analytics, inputs, config);
            analytics = step.state();
            step.changes().buckets().forEach(b -> rollups.put(b.cell(), b.aggregate()));
            step.changes().totals().forEach(t -> totals.put(t.key(), t.aggregate()));
            step.changes().windows().forEach(this::write);
        }

        void write(TopNWindow window) {
            topN.put(window.dimension() + "|" + window.end(), window);
        }

        List<SourceRow> sourceRows() {
            return sources.values().stream().map(s -> new SourceRow(s.source(), s.highestSeq(), s.highestSeq(),
                    s.hasEventTime() ? s.maxEventTime() : null, s.accepted(), s.malformed(), s.tooLate(),
                    s.duplicates(), null)).toList();
        }

        List<TotalRow> totalRows() {
            return totals.entrySet().stream()
                    .map(e -> new TotalRow(e.getKey().dimension(), e.getKey().key(), e.getValue())).toList();
        }

        List<BucketRow> bucketRows() {
            return rollups.entrySet().stream().map(e -> new BucketRow(e.getKey().dimension(), e.getKey().granularity(),
                    e.getKey().key(), e.getKey().start(), e.getValue())).toList();
        }

        /** The rows a partition read returns. */
        List<BucketRow> read(List<PartitionRead> reads) {
            return bucketRows().stream().filter(row -> reads.stream().anyMatch(read ->
                    read.dimension() == row.dimension() && read.granularity() == row.granularity()
                            && read.key().equals(row.key())
                            && read.period().equals(row.granularity().period(row.start()))
                            && row.start() >= read.fromStart())).toList();
        }

        Map<Dimension, List<String>> keys() {
            Map<Dimension, List<String>> keys = new HashMap<>();
            totals.keySet().forEach(k -> keys.computeIfAbsent(k.dimension(), d -> new ArrayList<>()).add(k.key()));
            return keys;
        }

        Seed seed(AnalyticsConfig seedConfig) {
            return StateSeed.build(sourceRows(), totalRows(),
                    read(StateSeed.plan(sourceRows(), keys(), seedConfig)), seedConfig);
        }
    }

    @Test
    void theSeedIsTheStateOfTheRunThatWroteTheRows() {
        Run run = new Run(CONFIG).feed(lines(0, 700), 23);
        Seed seed = run.seed(CONFIG);

        assertThat(seed.analytics()).isEqualTo(run.analytics);
        assertThat(seed.sources()).containsExactlyElementsOf(run.sources.values());
        assertThat(run.analytics.buckets().size()).as("some buckets are still open").isPositive();
        assertThat(run.analytics.slideSums()).isPositive();
        assertThat(run.sources.values()).allSatisfy(s -> {
            assertThat(s.malformed()).isPositive();
            assertThat(s.tooLate()).isPositive();
        });
    }

    @Test
    void thePlanReadsOnlyTheBucketsThatCanStillChangeAndTheSlidesTheWindowsNeed() {
        Run run = new Run(CONFIG).feed(lines(0, 700), 50);
        List<PartitionRead> plan = StateSeed.plan(run.sourceRows(), run.keys(), CONFIG);
        List<BucketRow> read = run.read(plan);

        assertThat(read.size()).as("rows read of " + run.bucketRows().size()).isLessThan(run.bucketRows().size());
        assertThat(StateSeed.build(run.sourceRows(), run.totalRows(), read, CONFIG)).isEqualTo(
                StateSeed.build(run.sourceRows(), run.totalRows(), run.bucketRows(), CONFIG));
        assertThat(plan).extracting(PartitionRead::granularity, PartitionRead::period).contains(
                org.assertj.core.groups.Tuple.tuple(Granularity.MINUTE, java.time.LocalDate.of(2026, 1, 1)),
                org.assertj.core.groups.Tuple.tuple(Granularity.HOUR, java.time.LocalDate.of(2026, 1, 1)),
                org.assertj.core.groups.Tuple.tuple(Granularity.DAY, java.time.LocalDate.of(2026, 1, 1)));
    }

    @Test
    void aSeededRunContinuesExactlyLikeTheUninterruptedRun() {
        Run uninterrupted = new Run(CONFIG).feed(lines(0, 500), 31);
        Run seeded = new Run(CONFIG, uninterrupted.seed(CONFIG), uninterrupted);

        uninterrupted.feed(lines(500, 1200), 31);
        seeded.feed(lines(500, 1200), 17);

        assertThat(seeded.analytics).isEqualTo(uninterrupted.analytics);
        assertThat(seeded.sources).isEqualTo(uninterrupted.sources);
        assertThat(seeded.rollups).isEqualTo(uninterrupted.rollups);
        assertThat(seeded.totals).isEqualTo(uninterrupted.totals);
        assertThat(seeded.topN).isEqualTo(uninterrupted.topN);
    }

    @Test
    void aSeedWithOtherTopNSettingsIsTheStateOfARunWithThoseSettingsFromTheStart() {
        Run old = new Run(CONFIG).feed(lines(0, 500), 40);
        Run withNewSettings = new Run(RECONFIGURED).feed(lines(0, 500), 40);
        Seed seed = old.seed(RECONFIGURED);
        assertThat(seed.analytics()).isEqualTo(withNewSettings.analytics);

        Run reconfigured = new Run(RECONFIGURED, seed, old);
        List<TopNWindow> open = StateSeed.openWindows(seed.analytics(), RECONFIGURED);
        assertThat(open).isNotEmpty().allSatisfy(window -> assertThat(window)
                .isEqualTo(withNewSettings.topN.get(window.dimension() + "|" + window.end())));
        assertThat(open).as("the rankings the next batches start from").allSatisfy(window -> assertThat(
                seed.analytics().topN().get(window.dimension()).rankings().get(window.end()))
                .isEqualTo(window.ranking()));

        reconfigured.feed(lines(500, 1200), 40);
        withNewSettings.feed(lines(500, 1200), 40);
        assertThat(reconfigured.analytics).isEqualTo(withNewSettings.analytics);
        assertThat(reconfigured.rollups).isEqualTo(withNewSettings.rollups);
        assertThat(reconfigured.totals).isEqualTo(withNewSettings.totals);
        // every window the reconfigured run wrote (at its start or since) is the one of the run with the new settings
        List<TopNWindow> written = reconfigured.topN.values().stream()
                .filter(window -> window.end() - window.start() == RECONFIGURED.windowMillis()).toList();
        assertThat(written).hasSizeGreaterThan(open.size()).allSatisfy(window -> assertThat(window)
                .isEqualTo(withNewSettings.topN.get(window.dimension() + "|" + window.end())));
    }

    @Test
    void untilEverySourceHasAnEventEveryBucketIsKept() {
        List<ParsedLine> lines = lines(0, 400).stream()
                .map(l -> l.source() == 1 ? ParsedLine.rejected(1, l.seq(), 0, "bad number", "x") : l).toList();
        Run run = new Run(CONFIG).feed(lines, 25);
        Seed seed = StateSeed.build(run.sourceRows(), run.totalRows(), run.bucketRows(), CONFIG);

        assertThat(seed.analytics()).isEqualTo(run.analytics);
        assertThat(seed.analytics().buckets().size()).isEqualTo(run.rollups.size());
        assertThat(seed.sources()).extracting(SourceState::hasEventTime).containsExactly(true, false);
        assertThatThrownBy(() -> StateSeed.plan(run.sourceRows(), run.keys(), CONFIG))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sourcesWithoutProcessedLinesAreNotSeeded() {
        List<SourceRow> rows = List.of(new SourceRow(0, 10L, 10L, 5_000L, 9, 1, 0, 0, null),
                new SourceRow(1, 7L, null, null, 0, 0, 0, 0, null));
        Seed seed = StateSeed.build(rows, List.of(), List.of(), CONFIG);
        assertThat(seed.sources()).containsExactly(new SourceState(0, 10, 5_000, 9, 1, 0, 0));
        assertThat(seed.analytics().sourceMaxTimes()).containsExactly(Map.entry(0, 5_000L));
    }

    @Test
    void theNumberOfReceiversMustMatchTheSourcePartitionsAlreadyProcessed() {
        List<SourceRow> two = List.of(new SourceRow(0, 1L, 1L, 1L, 1, 0, 0, 0, null),
                new SourceRow(1, 2L, 2L, 2L, 1, 0, 0, 0, null));
        StateSeed.checkSources(two, 2);
        StateSeed.checkSources(List.of(), 5);
        assertThatThrownBy(() -> StateSeed.checkSources(two, 3))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("invalid setting --receivers: 3 does not match the 2 source partitions")
                .extracting(e -> ((InvalidSettingException) e).setting()).isEqualTo("receivers");
        assertThatThrownBy(() -> StateSeed.checkSources(two, 1)).isInstanceOf(InvalidSettingException.class);
    }
}
