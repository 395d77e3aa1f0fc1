package io.streamcontrol.job.rollup;

import io.streamcontrol.job.event.SalesEvent;
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
    private final Map<Cell, Sums> cells = new HashMap<>();

    public CellAggregator(AnalyticsConfig config) {
        this.config = config;
    }

    public void add(SalesEvent event) {
        for (Cell cell : Analytics.cellsOf(event, config)) {
            Sums sums = cells.get(cell);
            if (sums == null) {
                cells.put(cell, new Sums(event));
            } else {
                sums.add(event);
            }
        }
    }

    public List<AnalyticsInput> inputs() {
        List<AnalyticsInput> inputs = new ArrayList<>(cells.size());
        cells.forEach((cell, sums) -> inputs.add(new CellUpdate(cell, sums.aggregate())));
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
