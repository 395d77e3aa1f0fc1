package io.streamcontrol.job.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AggregateTableTest {

    static Aggregate aggregate(Random random) {
        BigDecimal a = DecimalSumsTest.amount(random);
        BigDecimal b = DecimalSumsTest.amount(random);
        BigDecimal min = a.min(b);
        return new Aggregate(1 + random.nextInt(3), random.nextInt(40), a.add(b), min, min == a ? b : a);
    }

    static Map<Integer, Aggregate> asMap(AggregateTable table) {
        Map<Integer, Aggregate> map = new HashMap<>();
        table.forEach((aggregate, id) -> assertThat(map.put(id, aggregate)).isNull());
        return map;
    }

    @Test
    void aggregatesMergeAsAggregateMergesThemTiesAndScalesIncluded() {
        Random random = new Random(11);
        AggregateTable table = new AggregateTable();
        Map<Integer, Aggregate> expected = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            // over 1,000 keys: rows on several pages
            int id = random.nextInt(i < 10_000 ? 1_500 : 40);
            Aggregate aggregate = aggregate(random);
            table.add(id, AggregateTable.Packed.of(aggregate));
            expected.merge(id, aggregate, Aggregate::merge);
        }
        assertThat(asMap(table)).isEqualTo(expected);
        assertThat(table.size()).isEqualTo(expected.size());
        expected.forEach((id, aggregate) -> assertThat(table.get(id)).isEqualTo(aggregate));
        assertThat(table.get(1_500)).isNull();
    }

    @Test
    void onATieTheMinimumAndMaximumHeldStayAsBigDecimalKeepsThem() {
        AggregateTable table = new AggregateTable();
        BigDecimal one = new BigDecimal("1.5");
        table.add(7, AggregateTable.Packed.of(new Aggregate(1, 1, one, one, one)));
        BigDecimal same = new BigDecimal("1.50");
        table.add(7, AggregateTable.Packed.of(new Aggregate(1, 1, same, same, same)));
        assertThat(table.get(7)).isEqualTo(new Aggregate(2, 2, new BigDecimal("3.00"), one, one));
    }

    @Test
    void putReplacesPackedOrNot() {
        AggregateTable table = new AggregateTable();
        Aggregate packs = new Aggregate(2, 3, new BigDecimal("4.00"), new BigDecimal("1.00"), new BigDecimal("3.00"));
        Aggregate doesNotPack = new Aggregate(1, 1, new BigDecimal("1E+3"), new BigDecimal("1E+3"),
                new BigDecimal("1E+3"));
        table.put(1, packs);
        table.put(2, doesNotPack);
        assertThat(table.get(1)).isEqualTo(packs);
        assertThat(table.get(2)).isEqualTo(doesNotPack);
        table.put(1, doesNotPack);
        table.put(2, packs);
        assertThat(asMap(table)).isEqualTo(Map.of(1, doesNotPack, 2, packs));
    }
}
