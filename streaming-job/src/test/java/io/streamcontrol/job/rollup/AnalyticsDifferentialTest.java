package io.streamcontrol.job.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcontrol.contract.events.SalesEvent;
import io.streamcontrol.contract.rollups.Dimension;
import io.streamcontrol.contract.rollups.Granularity;
import io.streamcontrol.job.sequence.SourceState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Analytics#apply} against {@link ReferenceAnalytics} over long random streams of batches. */
class AnalyticsDifferentialTest {

    static final int BATCHES = 400;
    static final long BATCH_MILLIS = 5_000;

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("three dimensions, windows of 4 slides", 11L, new AnalyticsConfig(
                        List.of(Dimension.PRODUCT, Dimension.REGION, Dimension.STATE),
                        List.of(Granularity.MINUTE, Granularity.HOUR), 3, 40_000, 10_000, 25_000, 3), Sources.AMOUNTS),
                Arguments.of("top 1, window of one slide, lateness over a window", 12L, new AnalyticsConfig(
                        List.of(Dimension.STATE, Dimension.PRODUCT), List.of(Granularity.MINUTE), 1, 60_000,
                        60_000, 90_000, 2), Sources.AMOUNTS),
                Arguments.of("top 10 of 5 regions, little lateness", 13L, new AnalyticsConfig(
                        List.of(Dimension.REGION, Dimension.PRODUCT), List.of(Granularity.HOUR, Granularity.MINUTE),
                        10, 120_000, 20_000, 5_000, 3), Sources.AMOUNTS),
                Arguments.of("sale amounts and sums the state cannot hold as packed longs", 14L, new AnalyticsConfig(
                        List.of(Dimension.PRODUCT, Dimension.REGION), List.of(Granularity.MINUTE, Granularity.HOUR),
                        3, 40_000, 10_000, 25_000, 2), Sources.UNPACKED_AMOUNTS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void everyBatchChangesWhatTheReferenceChanges(String name, long seed, AnalyticsConfig config, String[] amounts) {
        Sources sources = new Sources(new Random(seed), config, amounts);
        ReferenceAnalytics reference = new ReferenceAnalytics(config);
        AnalyticsState state = AnalyticsState.empty();
        int windows = 0;
        for (int batch = 0; batch < BATCHES; batch++) {
            List<AnalyticsInput> inputs = sources.nextBatch();

            AnalyticsChanges expected = reference.apply(inputs);
            Analytics.Step step = Analytics.apply(state, inputs, config);
            state = step.state();

            assertThat(step.changes()).as("batch %d", batch).isEqualTo(expected);
            assertHoldsWhatCanStillChange(state, reference, batch);
            windows += expected.windows().size();
        }
        assertThat(windows).as("windows rewritten").isGreaterThan(BATCHES);
        assertThat(reference.closedBefore()).as("every source has events").isPresent();
    }

    /**
     * The state holds every bucket and slide that can still change, as the reference has them, and nothing else; and
     * only rankings of windows that can still change, each the one the reference gives.
     */
    static void assertHoldsWhatCanStillChange(AnalyticsState state, ReferenceAnalytics reference, int batch) {
        OptionalLong closedBefore = reference.closedBefore();
        assertThat(state.totals()).as("totals after batch %d", batch).isEqualTo(reference.totals());
        Map<Cell, Aggregate> buckets = new HashMap<>();
        state.buckets().forEach(buckets::put);
        Map<Cell, BigDecimal> slides = new HashMap<>();
        state.topN().forEach((dimension, topN) -> topN.slides().forEach((start, sums) -> sums.forEach((key, sum) ->
                slides.put(new Cell(dimension, null, key, start), sum))));
        assertThat(slides).as("slides after batch %d", batch).isEqualTo(reference.slides());
        state.topN().forEach((dimension, topN) -> topN.rankings().forEach((end, ranking) -> {
            assertThat(end).as("end of a ranked window after batch %d", batch)
                    .isGreaterThan(closedBefore.orElse(Long.MIN_VALUE));
            assertThat(ranking).as("ranking of %s %d after batch %d", dimension, end, batch)
                    .isEqualTo(reference.topN(dimension, end - reference.windowMillis(), end).ranking());
        }));
        if (closedBefore.isPresent()) {
            assertThat(buckets).as("buckets after batch %d", batch)
                    .isEqualTo(reference.openBuckets(closedBefore.getAsLong()));
        }
    }

    /**
     * Sources that each send a random number of events per batch, mostly in time order and some late (inside the
     * lateness), at their own pace: each one trails a common clock by its own varying lag, and one starts later.
     * Products are skewed (a few sell most), states uniform; sale amounts repeat often so sums tie.
     */
    static final class Sources {
        static final String[] AMOUNTS = {"0", "0.00", "1", "1.5", "1.50", "2.25", "10", "7.3"};
        /** Some amounts of a negative scale, of scale 15, or beyond 59 bits, and some large enough that sums are. */
        static final String[] UNPACKED_AMOUNTS = {"0", "1.5", "1.50", "2.25", "1E+3", "0.000000000000001",
            "999999999999999999", "100000000000000000.5"};
        static final int PRODUCTS = 400;
        static final int STATES = 40;
        static final int REGIONS = 5;

        final Random random;
        final AnalyticsConfig config;
        final String[] amounts;
        final long[] maxTimes;
        long clock = 1_700_000_000_000L;
        long orderId;
        int batch;

        Sources(Random random, AnalyticsConfig config, String[] amounts) {
            this.random = random;
            this.config = config;
            this.amounts = amounts;
            this.maxTimes = new long[config.sources()];
            Arrays.fill(maxTimes, SourceState.NONE);
        }

        List<AnalyticsInput> nextBatch() {
            clock += random.nextInt(50) == 0 ? 3 * config.windowMillis() : BATCH_MILLIS;
            List<SalesEvent> events = new ArrayList<>();
            List<AnalyticsInput> progress = new ArrayList<>();
            for (int source = 0; source < maxTimes.length; source++) {
                if (source == maxTimes.length - 1 && batch < 7) {
                    progress.add(new AnalyticsInput.SourceProgress(SourceState.empty(source)));
                    continue;
                }
                long lag = (long) (source * 20_000 * (1 + Math.sin(batch / (5.0 + source))));
                int count = random.nextInt(40 / (source + 1) + 1);
                for (int i = 0; i < count; i++) {
                    events.add(event(source, lag));
                }
                progress.add(new AnalyticsInput.SourceProgress(
                        new SourceState(source, orderId, maxTimes[source], 0, 0, 0, 0)));
            }
            batch++;
            List<AnalyticsInput> inputs = new ArrayList<>(Analytics.aggregate(events.iterator(), config));
            inputs.addAll(progress);
            return inputs;
        }

        SalesEvent event(int source, long lag) {
            long newest = maxTimes[source];
            long time;
            if (newest != SourceState.NONE && (random.nextInt(8) == 0 || newest >= clock - lag)) {
                time = newest - (long) (random.nextDouble() * config.latenessMillis());
            } else {
                long from = newest == SourceState.NONE ? clock - lag - BATCH_MILLIS : newest;
                time = from + (long) (random.nextDouble() * Math.max(1, clock - lag - from));
            }
            // whole seconds: the bounds of what can still change often fall on a slide's or bucket's edge
            time = Math.floorDiv(time, 1000) * 1000;
            maxTimes[source] = Math.max(newest, time);
            String product = "P" + (int) (Math.pow(random.nextDouble(), 4) * PRODUCTS);
            String state = "S" + random.nextInt(STATES);
            String region = "R" + random.nextInt(REGIONS);
            BigDecimal amount = new BigDecimal(amounts[random.nextInt(amounts.length)]);
            return new SalesEvent(orderId++, Instant.ofEpochMilli(time), 1 + random.nextInt(3), BigDecimal.ZERO,
                    BigDecimal.ONE, amount, "c", state, region, product, BigDecimal.ZERO);
        }
    }
}
