package io.streamcontrol.job.rollup;

import io.streamcontrol.contract.events.SalesEvent;
import io.streamcontrol.contract.rollups.Dimension;
import io.streamcontrol.contract.rollups.Granularity;
import io.streamcontrol.job.rollup.AnalyticsInput.CellUpdate;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sums events per cell as they go by: what one task hands to {@link Analytics#apply}, a few rows per key. The sums
 * are updated in place (one task, one thread): per event and cell only the sale sum allocates.
 */
public final class CellAggregator {

    private final AnalyticsConfig config;
    private final Granularity finest;
    private final boolean slidesFromBuckets;
    private final Map<Cell, Sums> cells = new HashMap<>();

    public CellAggregator(AnalyticsConfig config) {
        this.config = config;
        this.finest = Analytics.finest(config);
        this.slidesFromBuckets = config.slideMillis() % finest.millis() == 0;
    }

    public void add(SalesEvent event) {
        if (!slidesFromBuckets) {
            Analytics.cellsOf(event, config).forEach(cell -> add(cell, event));
            return;
        }
        long time = event.orderTime().toEpochMilli();
        for (Dimension dimension : config.dimensions()) {
            add(new Cell(dimension, finest, event.dimensionValue(dimension), finest.bucketStart(time)), event);
        }
    }

    private void add(Cell cell, SalesEvent event) {
        Sums sums = cells.get(cell);
        if (sums == null) {
            cells.put(cell, new Sums(event));
        } else {
            sums.add(event);
        }
    }

    /**
     * The cells of {@link Analytics#cellsOf} with their sums. When a top-N slide is a whole number of finest buckets
     * (the job's settings require it), events are summed into the buckets only and each slide sums its buckets: one
     * cell per event and dimension instead of two.
     */
    public List<AnalyticsInput> inputs() {
        List<AnalyticsInput> inputs = new ArrayList<>(cells.size() * 2);
        Map<Cell, Aggregate> slides = new HashMap<>();
        long slide = config.slideMillis();
        cells.forEach((cell, sums) -> {
            Aggregate aggregate = sums.aggregate();
            inputs.add(new CellUpdate(cell, aggregate));
            if (slidesFromBuckets) {
                slides.merge(new Cell(cell.dimension(), null, cell.key(), Math.floorDiv(cell.start(), slide) * slide),
                        aggregate, Aggregate::merge);
            }
        });
        slides.forEach((cell, aggregate) -> inputs.add(new CellUpdate(cell, aggregate)));
        return inputs;
    }

    /** An {@link Aggregate} being summed. */
    private static final class Sums {
        private long count;
        private long quantity;
        private BigDecimal saleSum;
        private BigDecimal saleMin;
        private BigDecimal saleMax;

        Sums(SalesEvent first) {
            count = 1;
            quantity = first.quantity();
            saleSum = first.saleAmount();
            saleMin = saleSum;
            saleMax = saleSum;
        }

        void add(SalesEvent event) {
            BigDecimal sale = event.saleAmount();
            count++;
            quantity += event.quantity();
            saleSum = saleSum.add(sale);
            saleMin = saleMin.min(sale);
            saleMax = saleMax.max(sale);
        }

        Aggregate aggregate() {
            return new Aggregate(count, quantity, saleSum, saleMin, saleMax);
        }
    }
}
