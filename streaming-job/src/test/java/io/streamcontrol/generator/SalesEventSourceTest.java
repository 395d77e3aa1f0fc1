package io.streamcontrol.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamcontrol.generator.GeneratedLine.Kind;
import io.streamcontrol.job.event.LineFormat;
import io.streamcontrol.job.event.SalesEvent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SalesEventSourceTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private static GeneratorSettings.Builder settings() {
        return GeneratorSettings.builder().seed(7).rate(1000).startTime(START)
                .malformedShare(0.05).lateShare(0.10).lateBy(Duration.ofSeconds(20))
                .veryLateShare(0.02).veryLateBy(Duration.ofMinutes(10));
    }

    @Test
    void lineIsAPureFunctionOfSeedSequenceAndSettings() {
        SalesEventSource source = new SalesEventSource(settings().build());
        SalesEventSource sameSeed = new SalesEventSource(settings().build());
        SalesEventSource otherSeed = new SalesEventSource(settings().seed(8).build());

        for (long n : new long[] {0, 1, 99, 100, 12_345, 1_000_000_007L}) {
            assertThat(sameSeed.line(n)).isEqualTo(source.line(n));
            assertThat(otherSeed.line(n).payload()).isNotEqualTo(source.line(n).payload());
        }
        // evaluation order does not matter
        GeneratedLine late = source.line(5_000);
        source.line(4_999);
        assertThat(source.line(5_000)).isEqualTo(late);
    }

    @Test
    void fieldsAreWithinTheirRangesAndSaleAmountFollowsTheFormula() {
        GeneratorSettings settings = settings().products(100).regions(5).states(50).customers(10_000).build();
        SalesEventSource source = new SalesEventSource(settings);
        Set<String> regions = new HashSet<>();
        for (long n = 0; n < 20_000; n++) {
            GeneratedLine line = source.line(n);
            assertThat(line.seq()).isEqualTo(n);
            if (line.kind() == Kind.MALFORMED) {
                assertThat(line.event()).isNull();
                continue;
            }
            SalesEvent e = line.event();
            assertThat(e.orderId()).isEqualTo(n);
            assertThat(e.quantity()).isBetween(1, 20);
            assertThat(e.rate()).isBetween(new BigDecimal("5.00"), new BigDecimal("500.00"));
            assertThat(e.rate().scale()).isEqualTo(2);
            assertThat(e.discountPct()).isBetween(new BigDecimal("0.00"), new BigDecimal("30.00"));
            assertThat(e.discountPct().scale()).isEqualTo(2);
            assertThat(e.profitMargin()).isBetween(new BigDecimal("0.0500"), new BigDecimal("0.4000"));
            assertThat(e.profitMargin().scale()).isEqualTo(4);
            BigDecimal expected = e.rate().multiply(BigDecimal.valueOf(e.quantity()))
                    .multiply(BigDecimal.ONE.subtract(e.discountPct().movePointLeft(2)))
                    .setScale(2, RoundingMode.HALF_UP);
            assertThat(e.saleAmount()).isEqualTo(expected);
            assertThat(e.productKey()).matches("P\\d{4}");
            assertThat(Integer.parseInt(e.productKey().substring(1))).isBetween(0, 99);
            assertThat(SalesEventSource.US_STATES).contains(e.state());
            int stateIndex = SalesEventSource.US_STATES.indexOf(e.state());
            assertThat(e.region()).isEqualTo("R" + (stateIndex % 5 + 1));
            regions.add(e.region());
            assertThat(e.customerName()).matches("Customer \\d+");
            assertThat(Integer.parseInt(e.customerName().substring(9))).isBetween(0, 9_999);
            assertThat(line.payload()).isEqualTo(e.toCsv());
        }
        assertThat(regions).containsExactlyInAnyOrder("R1", "R2", "R3", "R4", "R5");
    }

    @Test
    void theFiftyStatesAreDistinctAndFewerStatesUseTheFirstOnes() {
        assertThat(SalesEventSource.US_STATES).hasSize(50).doesNotHaveDuplicates().allMatch(s -> s.matches("[A-Z]{2}"));
        SalesEventSource source = new SalesEventSource(settings().states(3).build());
        Set<String> seen = new HashSet<>();
        LongStream.range(0, 2_000).mapToObj(source::line).filter(l -> l.event() != null)
                .forEach(l -> seen.add(l.event().state()));
        assertThat(seen).containsExactlyInAnyOrder("CA", "TX", "FL");
    }

    @Test
    void validLinesHaveElevenCsvColumnsOrTheElevenJsonFields() {
        SalesEventSource csv = new SalesEventSource(settings().format(LineFormat.CSV).build());
        SalesEventSource json = new SalesEventSource(settings().format(LineFormat.JSON).build());
        for (long n = 0; n < 1_000; n++) {
            if (csv.line(n).kind() != Kind.MALFORMED) {
                assertThat(csv.line(n).payload().split(",", -1)).hasSize(11);
                String jsonLine = json.line(n).payload();
                assertThat(jsonLine).startsWith("{").endsWith("}").isEqualTo(json.line(n).event().toJson());
                for (String field : SalesEvent.FIELDS) {
                    assertThat(jsonLine).contains("\"" + field + "\":");
                }
            }
        }
    }

    @Test
    void kindSharesMatchTheSettingsWithinStatisticalTolerance() {
        SalesEventSource source = new SalesEventSource(settings().build());
        int total = 100_000;
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        for (long n = 100; n < 100 + total; n++) {
            counts.merge(source.line(n).kind(), 1, Integer::sum);
        }
        assertShare(counts.get(Kind.MALFORMED), total, 0.05);
        assertShare(counts.get(Kind.LATE), total, 0.10);
        assertShare(counts.get(Kind.VERY_LATE), total, 0.02);
        assertShare(counts.get(Kind.VALID), total, 0.83);
    }

    private static void assertShare(int count, int total, double share) {
        double fiveSigma = 5 * Math.sqrt(total * share * (1 - share));
        assertThat((double) count).isCloseTo(total * share, within(fiveSigma));
    }

    @Test
    void skewMakesTheTopProductMoreFrequentThanTheMedianOne() {
        Map<String, Integer> skewed = productCounts(new SalesEventSource(settings().skew(1.0).build()));
        Map<String, Integer> uniform = productCounts(new SalesEventSource(settings().skew(0).build()));

        assertThat(skewed.get("P0000")).isGreaterThan(10 * skewed.get("P0050"));
        assertThat(uniform.get("P0000")).isBetween(uniform.get("P0050") / 2, uniform.get("P0050") * 2);
    }

    private static Map<String, Integer> productCounts(SalesEventSource source) {
        Map<String, Integer> counts = new HashMap<>();
        LongStream.range(0, 20_000).mapToObj(source::line).filter(l -> l.event() != null)
                .forEach(l -> counts.merge(l.event().productKey(), 1, Integer::sum));
        return counts;
    }

    @Test
    void theFirstHundredEventsAreAlwaysValid() {
        SalesEventSource source = new SalesEventSource(
                settings().malformedShare(0.4).lateShare(0.3).veryLateShare(0.3).build());
        for (long n = 0; n < SalesEventSource.ALWAYS_VALID_BELOW; n++) {
            assertThat(source.line(n).kind()).isEqualTo(Kind.VALID);
            assertThat(source.line(n).event().orderTime()).isEqualTo(START.plusMillis(n));
        }
        assertThat(source.line(100).kind()).isNotEqualTo(Kind.VALID);
    }

    @Test
    void lateEventsAreShiftedBackByTheirLateness() {
        SalesEventSource source = new SalesEventSource(settings().eventSpacing(Duration.ofMillis(3)).build());
        Map<Kind, Integer> checked = new EnumMap<>(Kind.class);
        for (long n = 0; n < 2_000; n++) {
            GeneratedLine line = source.line(n);
            Instant normal = START.plusMillis(3 * n);
            switch (line.kind()) {
                case VALID -> assertThat(line.event().orderTime()).isEqualTo(normal);
                case LATE -> assertThat(line.event().orderTime()).isEqualTo(normal.minusSeconds(20));
                case VERY_LATE -> assertThat(line.event().orderTime()).isEqualTo(normal.minus(Duration.ofMinutes(10)));
                case MALFORMED -> { }
            }
            checked.merge(line.kind(), 1, Integer::sum);
        }
        assertThat(checked).containsKeys(Kind.VALID, Kind.LATE, Kind.VERY_LATE, Kind.MALFORMED);
    }

    @Test
    void malformedLinesAreSingleLinesOfEveryVariety() {
        for (LineFormat format : LineFormat.values()) {
            SalesEventSource source = new SalesEventSource(settings().format(format).malformedShare(1)
                    .lateShare(0).veryLateShare(0).build());
            Set<String> varieties = new HashSet<>();
            for (long n = 100; n < 2_100; n++) {
                String payload = source.line(n).payload();
                assertThat(payload).doesNotContain("\n", "\r");
                varieties.add(variety(payload, format));
            }
            assertThat(varieties).as(format.name())
                    .containsExactlyInAnyOrder("missing field", "bad number", "negative quantity", "garbage",
                            "too long");
        }
    }

    private static String variety(String payload, LineFormat format) {
        if (payload.length() > SalesEventSource.LONG_LINE_THRESHOLD) {
            return "too long";
        }
        if (payload.contains("abc") && (format == LineFormat.CSV ? payload.split(",").length == 11
                : payload.contains("\"quantity\":\"abc\"") || payload.contains("\"sale_amount\":\"abc\""))) {
            return "bad number";
        }
        if (format == LineFormat.CSV ? payload.matches("\\d+,[^,]+,-\\d+,.*") : payload.contains("\"quantity\":-")) {
            return "negative quantity";
        }
        if (format == LineFormat.CSV ? payload.matches("\\d+,\\d{4}-[^,]+(,[^,]+){8}")
                : payload.startsWith("{\"order_id\":") && !payload.contains("\"quantity\"")) {
            return "missing field";
        }
        return "garbage";
    }

    @Test
    void productKeysArePaddedToFitTheCardinality() {
        assertThat(new SalesEventSource(settings().products(100).build()).productKey(7)).isEqualTo("P0007");
        assertThat(new SalesEventSource(settings().products(10_000).build()).productKey(7)).isEqualTo("P0007");
        assertThat(new SalesEventSource(settings().products(100_000).build()).productKey(7)).isEqualTo("P00007");
    }

    @Test
    void settingsAreValidatedNamingTheSetting() {
        assertThatThrownBy(() -> settings().states(51).build()).hasMessageContaining("states");
        assertThatThrownBy(() -> settings().malformedShare(-0.1).build()).hasMessageContaining("malformedShare");
        assertThatThrownBy(() -> settings().rate(-1).build()).hasMessageContaining("rate");
        assertThatThrownBy(() -> settings().count(-2).build()).hasMessageContaining("count");
        assertThatThrownBy(() -> settings().eventSpacing(Duration.ZERO).build()).hasMessageContaining("eventSpacing");
        assertThat(settings().rate(250).build().eventSpacing()).isEqualTo(Duration.ofMillis(4));
        assertThat(settings().rate(0).build().eventSpacing()).isEqualTo(Duration.ofMillis(1));
        assertThat(settings().duration(null).build().duration()).isEqualTo(Duration.ZERO);
    }
}
