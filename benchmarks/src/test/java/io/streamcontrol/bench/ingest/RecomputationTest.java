package io.streamcontrol.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcontrol.contract.events.SalesEvent;
import io.streamcontrol.contract.rollups.Granularity;
import io.streamcontrol.contract.settings.LineFormat;
import io.streamcontrol.generator.GeneratorSettings;
import io.streamcontrol.generator.SalesEventSource;
import io.streamcontrol.testkit.ExpectedResults;
import io.streamcontrol.testkit.KnownLines;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The streaming recomputation against the test kit's reference, ExpectedResults, on the ITs' known lines. */
class RecomputationTest {

    static final long LATENESS = 60_000;
    static final long WINDOW = 600_000;
    static final long SLIDE = 60_000;

    static ExpectedResults reference;
    static Recomputation recomputation;
    static LongFunction<SalesEvent> lines;

    @BeforeAll
    static void recompute() {
        // 2% malformed, 3% late by 5 s, 1% too late by 2 min, 40 products; 30,000 lines 20 ms apart = 10 minutes
        GeneratorSettings settings = KnownLines.settings(7, 30_000, 1_000, LineFormat.CSV);
        SalesEventSource source = new SalesEventSource(settings);
        lines = n -> source.line(n).event();
        // uneven partitions, as processed_seq leaves them after a stop
        long[] lastSeqs = {29_998, 29_001, 28_502};
        reference = new ExpectedResults(lines, lastSeqs, LATENESS);
        recomputation = Recomputation.of(lines, lastSeqs, LATENESS);
    }

    @Test
    void acceptsAndRejectsTheSameLines() {
        Set<Long> accepted = recomputation.accepted.stream().mapToObj(i -> (long) i).collect(Collectors.toCollection(TreeSet::new));
        assertThat(accepted).isEqualTo(reference.acceptedIds);
        TreeSet<Long> rejected = new TreeSet<>();
        recomputation.malformed.stream().forEach(i -> rejected.add((long) i));
        recomputation.tooLate.stream().forEach(i -> rejected.add((long) i));
        assertThat(rejected).isEqualTo(reference.rejectedSeqs());
        assertThat(recomputation.tooLate.cardinality()).as("the input has too-late lines").isPositive();
    }

    @Test
    void aggregatesTheSameRollupsAndTotals() {
        assertThat(recomputation.rollupTexts()).isEqualTo(reference.rollups());
        assertThat(recomputation.totalTexts()).isEqualTo(reference.totals());
    }

    @Test
    void ranksTheSameTopN() {
        long first = Granularity.MINUTE.bucketStart(reference.accepted().get(0).orderTime().toEpochMilli());
        long last = reference.newestEventTime();
        for (long end = first + SLIDE; end <= last + SLIDE; end += SLIDE) {
            for (int d = 0; d < ExpectedResults.DIMENSIONS.size(); d++) {
                List<String> want = reference.topN(ExpectedResults.DIMENSIONS.get(d), java.time.Instant.ofEpochMilli(end),
                        WINDOW, 10);
                assertThat(recomputation.topN(d, end, WINDOW, 10)).as("top-N %s ending %d", d, end).isEqualTo(want);
            }
        }
    }

    @Test
    void rowDigestsCompareDecimalsByValue() {
        SalesEvent e = reference.accepted().get(0);
        int digest = recomputation.rowDigests[(int) e.orderId()];
        String day = Granularity.day(e.orderTime().toEpochMilli()).toString();
        assertThat(Recomputation.rawDigest(e.productKey(), day, e.orderTime().toEpochMilli(), e.quantity(),
                e.discountPct().setScale(4), e.rate().setScale(3), e.saleAmount().setScale(5), e.customerName(), e.state(),
                e.region(), e.profitMargin().setScale(6))).isEqualTo(digest);
        assertThat(Recomputation.rawDigest(e.productKey(), day, e.orderTime().toEpochMilli(), e.quantity() + 1,
                e.discountPct(), e.rate(), e.saleAmount(), e.customerName(), e.state(), e.region(), e.profitMargin()))
                .isNotEqualTo(digest);
    }

    @Test
    void centsAreExactOrRefused() {
        assertThat(Recomputation.cents(new BigDecimal("12.5"))).isEqualTo(1250);
        assertThat(Recomputation.text(3, 7, null, BigDecimal.ONE, BigDecimal.TEN)).isEqualTo("3/7/null/1/10");
    }
}
