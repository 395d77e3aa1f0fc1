package io.streamcontrol.job.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcontrol.contract.events.SalesEvent;
import io.streamcontrol.contract.rollups.Dimension;
import io.streamcontrol.contract.rollups.Granularity;
import io.streamcontrol.job.rollup.AnalyticsChanges.Ranked;
import io.streamcontrol.job.rollup.AnalyticsChanges.TopNWindow;
import io.streamcontrol.job.sequence.SourceState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class AnalyticsTest {

    static final AnalyticsConfig CONFIG = new AnalyticsConfig(List.of(Dimension.PRODUCT, Dimension.REGION),
            List.of(Granularity.MINUTE, Granularity.HOUR), 2, 120_000, 60_000, 30_000, 1);

    static SalesEvent sale(long id, long time, String product, String amount) {
        return new SalesEvent(id, Instant.ofEpochMilli(time), 2, BigDecimal.ZERO, BigDecimal.ONE,
                new BigDecimal(amount), "c", "CA", "R1", product, BigDecimal.ZERO);
    }

    /** The inputs the pipeline would hand over for these events: cell aggregates plus the source's progress. */
    static List<AnalyticsInput> inputs(List<SalesEvent> events) {
        Map<Cell, Aggregate> cells = new HashMap<>();
        long maxTime = SourceState.NONE;
        for (SalesEvent e : events) {
            for (Cell cell : Analytics.cellsOf(e, CONFIG)) {
                cells.merge(cell, Aggregate.of(e), Aggregate::merge);
            }
            maxTime = Math.max(maxTime, e.orderTime().toEpochMilli());
        }
        List<AnalyticsInput> inputs = new ArrayList<>();
        cells.forEach((cell, agg) -> inputs.add(new AnalyticsInput.CellUpdate(cell, agg)));
        inputs.add(new AnalyticsInput.SourceProgress(new SourceState(0, 0, maxTime, 0, 0, 0, 0)));
        return inputs;
    }

    @Test
    void eachEventFeedsAFinestBucketAndASlidePerDimension() {
        List<Cell> cells = Analytics.cellsOf(sale(1, 90_500, "P1", "1.00"), CONFIG);
        assertThat(cells).containsExactly(
                new Cell(Dimension.PRODUCT, Granularity.MINUTE, "P1", 60_000),
                new Cell(Dimension.PRODUCT, null, "P1", 60_000),
                new Cell(Dimension.REGION, Granularity.MINUTE, "R1", 60_000),
                new Cell(Dimension.REGION, null, "R1", 60_000));
    }

    @Test
    void aPartitionsAggregatesAreThoseOfItsEventsCellByCell() {
        AnalyticsConfig slideOfTwoMinutes = new AnalyticsConfig(CONFIG.dimensions(), CONFIG.granularities(), 2,
                240_000, 120_000, 30_000, 1);
        AnalyticsConfig slideOfTenSeconds = new AnalyticsConfig(CONFIG.dimensions(), CONFIG.granularities(), 2,
                40_000, 10_000, 30_000, 1);
        java.util.Random random = new java.util.Random(7);
        List<SalesEvent> events = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            events.add(new SalesEvent(i, Instant.ofEpochMilli(random.nextInt(1_800_000)), 1 + random.nextInt(5),
                    BigDecimal.ZERO, BigDecimal.ONE, BigDecimal.valueOf(random.nextInt(100_000), 2), "c", "CA",
                    "R" + random.nextInt(3), "P" + random.nextInt(20), BigDecimal.ZERO));
        }
        for (AnalyticsConfig config : List.of(CONFIG, slideOfTwoMinutes, slideOfTenSeconds)) {
            Map<Cell, Aggregate> perEvent = new HashMap<>();
            for (SalesEvent e : events) {
                Analytics.cellsOf(e, config).forEach(cell -> perEvent.merge(cell, Aggregate.of(e), Aggregate::merge));
            }
            Map<Cell, Aggregate> aggregated = new HashMap<>();
            Analytics.aggregate(events.iterator(), config).forEach(input -> {
                AnalyticsInput.CellUpdate update = (AnalyticsInput.CellUpdate) input;
                assertThat(aggregated.put(update.cell(), update.aggregate())).as("one input per cell").isNull();
            });
            assertThat(aggregated).as("slide %d ms", config.slideMillis()).isEqualTo(perEvent);
        }
    }

    @Test
    void coarserBucketsAreDerivedFromTheFinest() {
        Analytics.Step step = Analytics.apply(AnalyticsState.empty(),
                inputs(List.of(sale(1, 10_000, "P1", "1"), sale(2, 70_000, "P1", "2"))), CONFIG);
        assertThat(step.changes().buckets()).filteredOn(b -> b.cell().dimension() == Dimension.PRODUCT)
                .extracting(b -> b.cell().granularity() + "@" + b.cell().start() + "=" + b.aggregate().count())
                .containsExactlyInAnyOrder("MINUTE@0=1", "MINUTE@60000=1", "HOUR@0=2");
    }

    @Test
    void partitionAggregatesSumPerCell() {
        List<AnalyticsInput> inputs = Analytics.aggregate(
                List.of(sale(1, 1_000, "P1", "1.50"), sale(2, 2_000, "P1", "2.50")).iterator(), CONFIG);
        assertThat(inputs).hasSize(4).contains(new AnalyticsInput.CellUpdate(
                new Cell(Dimension.PRODUCT, Granularity.MINUTE, "P1", 0),
                new Aggregate(2, 4, new BigDecimal("4.00"), new BigDecimal("1.50"), new BigDecimal("2.50"))));
    }

    @Test
    void bucketsAndTotalsAreWholeValues() {
        Analytics.Step first = Analytics.apply(AnalyticsState.empty(),
                inputs(List.of(sale(1, 1_000, "P1", "10.00"), sale(2, 2_000, "P1", "5.50"))), CONFIG);
        Analytics.Step second = Analytics.apply(first.state(), inputs(List.of(sale(3, 3_000, "P1", "7.25"))), CONFIG);

        Aggregate minute = second.changes().buckets().stream()
                .filter(b -> b.cell().equals(new Cell(Dimension.PRODUCT, Granularity.MINUTE, "P1", 0)))
                .findFirst().orElseThrow().aggregate();
        assertThat(minute).isEqualTo(new Aggregate(3, 6, new BigDecimal("22.75"), new BigDecimal("5.50"),
                new BigDecimal("10.00")));
        assertThat(second.changes().totals()).anySatisfy(t -> {
            assertThat(t.key().key()).isEqualTo("P1");
            assertThat(t.aggregate()).isEqualTo(minute);
        });
    }

    @Test
    void topNRanksBySaleSumThenKeyAndKeepsN() {
        SlidingTopN topN = new SlidingTopN();
        topN.add(0, "A", new BigDecimal("5"));
        topN.add(0, "B", new BigDecimal("7"));
        topN.add(60_000, "C", new BigDecimal("2"));
        topN.add(60_000, "A", new BigDecimal("2"));
        topN.add(120_000, "D", new BigDecimal("100"));
        assertThat(topN.rank(120_000, CONFIG, Stream.empty()))
                .containsExactly(new Ranked("A", new BigDecimal("7")), new Ranked("B", new BigDecimal("7")));
    }

    @Test
    void touchedWindowsAreRecomputedUpToTheNewestSlide() {
        Analytics.Step step = Analytics.apply(AnalyticsState.empty(),
                inputs(List.of(sale(1, 10_000, "P1", "1"), sale(2, 70_000, "P2", "3"))), CONFIG);
        List<TopNWindow> product = step.changes().windows().stream()
                .filter(w -> w.dimension() == Dimension.PRODUCT).toList();
        assertThat(product).extracting(TopNWindow::end).containsExactly(60_000L, 120_000L);
        assertThat(product.get(1).ranking()).containsExactly(new Ranked("P2", new BigDecimal("3")),
                new Ranked("P1", new BigDecimal("1")));
    }

    @Test
    void closedBucketsAndOldSlidesAreDroppedOnlyWhenNoEventCanReachThem() {
        Analytics.Step step = Analytics.apply(AnalyticsState.empty(), inputs(List.of(sale(1, 10_000, "P1", "1"))), CONFIG);
        step = Analytics.apply(step.state(), inputs(List.of(sale(2, 85_000, "P1", "1"))), CONFIG);
        assertThat(step.state().buckets().get(new Cell(Dimension.PRODUCT, Granularity.MINUTE, "P1", 0))).isNotNull();
        step = Analytics.apply(step.state(), inputs(List.of(sale(3, 95_000, "P1", "1"))), CONFIG);
        assertThat(step.state().buckets().get(new Cell(Dimension.PRODUCT, Granularity.MINUTE, "P1", 0))).isNull();
        assertThat(step.state().buckets().get(new Cell(Dimension.PRODUCT, Granularity.HOUR, "P1", 0))).isNotNull();
        assertThat(step.state().topN().get(Dimension.PRODUCT).slides().get(0L)).containsKey("P1");
        assertThat(step.state().totals().get(new AnalyticsState.TotalKey(Dimension.PRODUCT, "P1")).count()).isEqualTo(3L);
    }

    @Test
    void sameEventsInOtherBatchesGiveTheSameFinalValues() {
        List<SalesEvent> events = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            events.add(sale(i, i * 997L, "P" + (i % 7), (i % 13) + ".25"));
        }
        Analytics.Step whole = Analytics.apply(AnalyticsState.empty(), inputs(events), CONFIG);
        Map<Cell, Aggregate> finalBuckets = new HashMap<>();
        AnalyticsState state = AnalyticsState.empty();
        for (int from = 0; from < events.size(); from += 23) {
            Analytics.Step step = Analytics.apply(state, inputs(events.subList(from, Math.min(events.size(), from + 23))), CONFIG);
            step.changes().buckets().forEach(b -> finalBuckets.put(b.cell(), b.aggregate()));
            state = step.state();
        }
        Map<Cell, Aggregate> wholeBuckets = new HashMap<>();
        whole.changes().buckets().forEach(b -> wholeBuckets.put(b.cell(), b.aggregate()));
        assertThat(finalBuckets).isEqualTo(wholeBuckets);
        assertThat(state.totals()).isEqualTo(whole.state().totals());
    }
}
