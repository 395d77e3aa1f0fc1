package io.streamcontrol.job.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecimalSumsTest {

    /** Amounts that pack, and some that do not (negative scale, scale 15, beyond 59 bits), or whose sums do not. */
    static final String[] AMOUNTS = {"0", "0.00", "1.5", "1.50", "2.25", "7.3", "10", "1E+3", "0.000000000000001",
        "999999999999999999", "300000000000000000", "0.00000000000001"};

    static BigDecimal amount(Random random) {
        return new BigDecimal(AMOUNTS[random.nextInt(AMOUNTS.length)]);
    }

    static Map<Integer, BigDecimal> asMap(DecimalSums sums) {
        Map<Integer, BigDecimal> map = new HashMap<>();
        sums.forEach((id, packed, unpacked) -> {
            assertThat(unpacked == null).as("packed or not").isEqualTo(packed != PackedDecimal.NONE);
            assertThat(map.put(id, unpacked != null ? unpacked : PackedDecimal.toBigDecimal(packed))).isNull();
        });
        return map;
    }

    @Test
    void sumsAreThoseOfBigDecimalValueAndScaleWhetherTheyPackOrNot() {
        Random random = new Random(3);
        DecimalSums sums = new DecimalSums();
        Map<Integer, BigDecimal> expected = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            int id = random.nextInt(300);
            BigDecimal amount = amount(random);
            sums.add(id, amount);
            expected.merge(id, amount, BigDecimal::add);
        }
        assertThat(asMap(sums)).isEqualTo(expected);
        assertThat(sums.size()).isEqualTo(expected.size());
        expected.forEach((id, sum) -> {
            assertThat(sums.get(id)).isEqualTo(sum);
            assertThat(sums.containsKey(id)).isTrue();
        });
        assertThat(sums.get(300)).isNull();
        assertThat(sums.containsKey(300)).isFalse();
    }

    @Test
    void sumsAddUpAcrossInstances() {
        Random random = new Random(5);
        DecimalSums[] slides = {new DecimalSums(), new DecimalSums(), new DecimalSums()};
        Map<Integer, BigDecimal> expected = new HashMap<>();
        for (int i = 0; i < 5_000; i++) {
            int id = random.nextInt(200);
            BigDecimal amount = amount(random);
            slides[random.nextInt(slides.length)].add(id, amount);
            expected.merge(id, amount, BigDecimal::add);
        }
        DecimalSums all = new DecimalSums();
        for (DecimalSums slide : slides) {
            all.addAll(slide);
        }
        assertThat(asMap(all)).isEqualTo(expected);

        DecimalSums some = new DecimalSums();
        for (int id = 0; id < 210; id += 3) {
            for (DecimalSums slide : slides) {
                some.addFrom(slide, id);
            }
        }
        expected.keySet().removeIf(id -> id % 3 != 0);
        assertThat(asMap(some)).isEqualTo(expected);
    }

    @Test
    void frozenSumsReadAsTheyWereAndAChangeThawsThem() {
        Random random = new Random(11);
        DecimalSums sums = new DecimalSums();
        Map<Integer, BigDecimal> expected = new HashMap<>();
        for (int i = 0; i < 5_000; i++) {
            int id = random.nextInt(400) * 3;
            BigDecimal amount = amount(random);
            sums.add(id, amount);
            expected.merge(id, amount, BigDecimal::add);
        }
        sums.freeze();
        assertThat(sums.isFrozen()).isTrue();
        assertThat(asMap(sums)).isEqualTo(expected);
        assertThat(sums.size()).isEqualTo(expected.size());
        for (int id = -1; id < 1_210; id++) {
            assertThat(sums.get(id)).as("id %d", id).isEqualTo(expected.get(id));
            assertThat(sums.containsKey(id)).isEqualTo(expected.containsKey(id));
        }
        DecimalSums copy = new DecimalSums();
        copy.addAll(sums);
        DecimalSums some = new DecimalSums();
        expected.keySet().forEach(id -> some.addFrom(sums, id));
        assertThat(asMap(copy)).isEqualTo(expected).isEqualTo(asMap(some));
        int[] everyOther = java.util.stream.IntStream.range(-1, 1_210).filter(id -> id % 2 == 0).toArray();
        int[] few = {0, 3, 600, 1_197, 5_000};
        for (int[] ids : List.of(everyOther, few)) { // walked along, and searched
            DecimalSums fromFrozen = new DecimalSums();
            fromFrozen.addFrom(sums, ids);
            DecimalSums fromMap = new DecimalSums();
            fromMap.addFrom(copy, ids);
            Map<Integer, BigDecimal> expectedOfIds = new HashMap<>();
            for (int id : ids) {
                if (expected.containsKey(id)) {
                    expectedOfIds.put(id, expected.get(id));
                }
            }
            assertThat(asMap(fromFrozen)).isEqualTo(expectedOfIds).isEqualTo(asMap(fromMap));
        }

        sums.add(3, new BigDecimal("1.5"));
        expected.merge(3, new BigDecimal("1.5"), BigDecimal::add);
        assertThat(sums.isFrozen()).isFalse();
        assertThat(asMap(sums)).isEqualTo(expected);
        new DecimalSums().freeze(); // nothing to keep
    }

    @Test
    void aSumThatOutgrowsALongIsKeptExactly() {
        DecimalSums sums = new DecimalSums();
        BigDecimal large = new BigDecimal("500000000000000000.25");
        sums.add(1, large);
        sums.add(1, large);
        sums.add(1, new BigDecimal("1"));
        assertThat(sums.get(1)).isEqualTo(new BigDecimal("1000000000000000001.50"));
        assertThat(sums.size()).isEqualTo(1);
    }
}
