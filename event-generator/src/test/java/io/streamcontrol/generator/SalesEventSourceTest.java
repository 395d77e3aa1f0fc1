package io.streamcontrol.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamcontrol.contract.events.SalesEvent;
import io.streamcontrol.contract.settings.LineFormat;
import io.streamcontrol.generator.GeneratedLine.Kind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
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

    /** Exact text of a few lines, recorded from the first version: replays and expected results depend on it. */
    @Test
    void linesKeepTheirExactText() {
        SalesEventSource csv = new SalesEventSource(settings().build());
        assertThat(csv.line(0).payload())
                .isEqualTo("0,2026-01-01T00:00:00Z,1,4.49,366.69,350.23,Customer 728,NY,R4,P0008,0.1932");
        assertThat(csv.line(1).payload())
                .isEqualTo("1,2026-01-01T00:00:00.001Z,18,8.18,368.34,6087.78,Customer 24,CA,R1,P0001,0.3447");
        assertThat(csv.line(102).payload()) // very late
                .isEqualTo("102,2025-12-31T23:50:00.102Z,14,19.58,435.85,4907.15,Customer 6,NY,R4,P0080,0.3356");
        assertThat(csv.line(108).payload()) // late
                .isEqualTo("108,2025-12-31T23:59:40.108Z,20,21.70,178.72,2798.76,Customer 51,PA,R5,P0058,0.3035");
        assertThat(csv.line(115).payload()) // bad number
                .isEqualTo("115,2026-01-01T00:00:00.115Z,3,11.37,394.88,abc,Customer 1012,TX,R2,P0022,0.1132");
        assertThat(csv.line(125).payload()) // missing field
                .isEqualTo("125,2026-01-01T00:00:00.125Z,29.53,99.77,843.70,Customer 908,NC,R4,P0007,0.2023");
        assertThat(csv.line(140).payload()) // negative quantity
                .isEqualTo("140,2026-01-01T00:00:00.140Z,-6,3.19,104.61,607.64,Customer 18,OH,R2,P0000,0.1284");
        assertThat(csv.line(181).payload()) // garbage
                .isEqualTo("D#Dj\"B5{Jm'[[:Cs)X6ERfr<Ie%6K7AsrAN}zzAhxy,0jjfT?,5%76X&,T(\\Pi)NR;'t(xO{Rej%P`7)\"[=roKT>2blHUBG"
                        + "|<W;MuuFoZA\\>Uxh");

        SalesEventSource json = new SalesEventSource(settings().format(LineFormat.JSON).build());
        assertThat(json.line(108).payload()).isEqualTo("{\"order_id\":108,\"order_time\":\"2025-12-31T23:59:40.108Z\","
                + "\"quantity\":20,\"discount_pct\":21.70,\"rate\":178.72,\"sale_amount\":2798.76,"
                + "\"customer_name\":\"Customer 51\",\"state\":\"PA\",\"region\":\"R5\",\"product_key\":\"P0058\","
                + "\"profit_margin\":0.3035}");
        assertThat(json.line(125).payload()).isEqualTo("{\"order_id\":125,\"order_time\":\"2026-01-01T00:00:00.125Z\","
                + "\"discount_pct\":29.53,\"rate\":99.77,\"sale_amount\":843.70,\"customer_name\":\"Customer 908\","
                + "\"state\":\"NC\",\"region\":\"R4\",\"product_key\":\"P0007\",\"profit_margin\":0.2023}");

        SalesEventSource nanos = new SalesEventSource(GeneratorSettings.builder().seed(3).rate(7)
                .startTime(Instant.parse("2026-03-01T23:59:59Z")).products(100_000).build());
        assertThat(nanos.line(1).payload())
                .isEqualTo("1,2026-03-01T23:59:59.142857143Z,17,19.15,74.16,1019.29,Customer 463,TX,R2,P00169,0.2604");
        assertThat(nanos.line(7).payload())
                .isEqualTo("7,2026-03-02T00:00:00.000000001Z,12,16.26,289.41,2908.22,Customer 14,CA,R1,P00003,0.3561");
        assertThat(nanos.line(1_000_000_007L).payload()).isEqualTo("1000000007,2030-09-10T10:32:23.000000001Z,12,4.79,"
                + "275.60,3148.79,Customer 5,MD,R3,P00298,0.1714");
    }

    @Test
    void appendPayloadWritesThePayloadsUtf8Bytes() {
        List<GeneratorSettings.Builder> variants = List.of(
                settings(),
                settings().format(LineFormat.JSON),
                settings().malformedShare(0.3).lateShare(0.3).veryLateShare(0.3),
                settings().format(LineFormat.JSON).malformedShare(0.3).lateShare(0.3).veryLateShare(0.3),
                settings().rate(7).products(100_000).customers(1_000_000).regions(3).skew(0),
                settings().format(LineFormat.JSON).eventSpacing(Duration.ofNanos(1_000)),
                settings().eventSpacing(Duration.ofNanos(7)).startTime(Instant.parse("0999-12-31T23:59:59Z")),
                settings().eventSpacing(Duration.ofHours(1)).startTime(Instant.parse("9999-12-01T00:00:00Z")),
                settings().eventSpacing(Duration.ofSeconds(Long.MAX_VALUE / 1_000)));
        LineBuffer buffer = new LineBuffer(64);
        for (GeneratorSettings.Builder variant : variants) {
            SalesEventSource source = new SalesEventSource(variant.build());
            LongStream sequences = LongStream.concat(LongStream.range(0, 2_000),
                    LongStream.of(1_000_000_007L, 123_456_789_012L, Long.MAX_VALUE / 3));
            sequences.forEach(n -> {
                GeneratedLine line;
                try {
                    line = source.line(n);
                } catch (DateTimeException | ArithmeticException e) {
                    return; // an order_time beyond the instants; appendPayload would fail alike
                }
                buffer.clear();
                source.appendPayload(n, buffer);
                assertThat(buffer.toString()).as("line %d of %s", n, source.settings()).isEqualTo(line.payload());
                assertThat(buffer.length()).isEqualTo(line.payload().getBytes(StandardCharsets.UTF_8).length);
            });
        }
    }

    @Test
    void saleAmountCentsIsTheFormulaRoundedHalfUp() {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 300_000; i++) {
            int quantity = random.nextInt(1, 21);
            long rateCents = random.nextLong(500, 50_001);
            long discount = random.nextLong(0, 3_001);
            BigDecimal expected = BigDecimal.valueOf(rateCents, 2).multiply(BigDecimal.valueOf(quantity))
                    .multiply(BigDecimal.ONE.subtract(BigDecimal.valueOf(discount, 4)))
                    .setScale(2, RoundingMode.HALF_UP);
            assertThat(SalesEventSource.saleAmountCents(quantity, rateCents, discount))
                    .isEqualTo(expected.unscaledValue().longValueExact());
        }
        assertThat(SalesEventSource.saleAmountCents(1, 50, 5_000)).isEqualTo(25); // 0.25 exactly
        assertThat(SalesEventSource.saleAmountCents(1, 1, 5_000)).isEqualTo(1); // 0.005 rounds up
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
