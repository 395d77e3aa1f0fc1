package io.streamcontrol.job.rollup;

import io.streamcontrol.contract.events.SalesEvent;
import java.io.Serializable;
import java.math.BigDecimal;

/** Count, quantity and sale amount statistics of a set of events; merging is associative and commutative. */
public record Aggregate(long count, long quantity, BigDecimal saleSum, BigDecimal saleMin, BigDecimal saleMax)
        implements Serializable {

    public static Aggregate of(SalesEvent event) {
        BigDecimal sale = event.saleAmount();
        return new Aggregate(1, event.quantity(), sale, sale, sale);
    }

    public Aggregate merge(Aggregate other) {
        return new Aggregate(count + other.count, quantity + other.quantity, saleSum.add(other.saleSum),
                saleMin.min(other.saleMin), saleMax.max(other.saleMax));
    }
}
