package io.streamcontrol.job.rollup;

import io.streamcontrol.job.event.SalesEvent;
import io.streamcontrol.job.rollup.AnalyticsInput.CellUpdate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Sums events per cell as they go by: what one task hands to {@link Analytics#apply}, a few rows per key. */
public final class CellAggregator {

    private final AnalyticsConfig config;
    private final Map<Cell, Aggregate> cells = new HashMap<>();

    public CellAggregator(AnalyticsConfig config) {
        this.config = config;
    }

    public void add(SalesEvent event) {
        Aggregate one = Aggregate.of(event);
        for (Cell cell : Analytics.cellsOf(event, config)) {
            cells.merge(cell, one, Aggregate::merge);
        }
    }

    public List<AnalyticsInput> inputs() {
        List<AnalyticsInput> inputs = new ArrayList<>(cells.size());
        cells.forEach((cell, aggregate) -> inputs.add(new CellUpdate(cell, aggregate)));
        return inputs;
    }
}
