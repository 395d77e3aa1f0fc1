package io.streamcontrol.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcontrol.contract.events.SalesEvent;
import io.streamcontrol.contract.rollups.Granularity;
import io.streamcontrol.contract.settings.LineFormat;
import io.streamcontrol.generator.SalesEventSource;
import io.streamcontrol.testkit.ExpectedResults;
import io.streamcontrol.testkit.KnownLines;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Tables made from the reference (ExpectedResults), fed to the comparison as they would be paged in. */
class TableComparisonTest {

    static final long LATENESS = 60_000;
    static final long WINDOW = 600_000;
    static final long SLIDE = 60_000;
    static final long[] LAST_SEQS = {11_998, 11_999};

    static final SalesEventSource SOURCE = new SalesEventSource(KnownLines.settings(3, 12_000, 1_000, LineFormat.CSV));
    static final ExpectedResults REFERENCE = new ExpectedResults(n -> SOURCE.line(n).event(), LAST_SEQS, LATENESS);

    /** Every table as the job should write it, with {@code change} applied to the comparison before finishing. */
    private static Map<String, TableComparison.Tally> compare(Consumer<TableComparison> change) {
        TableComparison c = new TableComparison(Recomputation.of(n -> SOURCE.line(n).event(), LAST_SEQS, LATENESS),
                WINDOW, SLIDE, 10);
        change.accept(c);
        return c.finish().stream().collect(java.util.stream.Collectors.toMap(t -> t.table, t -> t));
    }

    private static void raw(TableComparison c, SalesEvent e) {
        c.rawRow(e.orderId(), Recomputation.rawDigest(e.productKey(),
                Granularity.day(e.orderTime().toEpochMilli()).toString(), e.orderTime().toEpochMilli(), e.quantity(),
                e.discountPct(), e.rate(), e.saleAmount(), e.customerName(), e.state(), e.region(), e.profitMargin()));
    }

    private static void exactTables(TableComparison c, boolean withRaw) {
        if (withRaw) {
            REFERENCE.accepted().forEach(e -> raw(c, e));
        }
        REFERENCE.rejectedSeqs().forEach(seq -> c.reject(seq, SOURCE.line(seq).event() == null ? "bad number" : "too late"));
        REFERENCE.rollups().forEach((k, v) -> {
            String[] key = k.split("\\|");
            String[] agg = v.split("/");
            c.rollup(key[0], key[1], key[2], Long.parseLong(key[3]), Long.parseLong(agg[0]), Long.parseLong(agg[1]),
                    new BigDecimal(agg[2]), new BigDecimal(agg[3]), new BigDecimal(agg[4]));
        });
        REFERENCE.totals().forEach((k, v) -> {
            String[] key = k.split("\\|");
            String[] agg = v.split("/");
            c.total(key[0], key[1], Long.parseLong(agg[0]), Long.parseLong(agg[1]), new BigDecimal(agg[2]),
                    new BigDecimal(agg[3]), new BigDecimal(agg[4]));
        });
        long newestEnd = Math.floorDiv(REFERENCE.newestEventTime(), SLIDE) * SLIDE + SLIDE;
        for (String dimension : ExpectedResults.DIMENSIONS) {
            for (long end = newestEnd - 3 * SLIDE; end <= newestEnd; end += SLIDE) {
                List<String> ranking = REFERENCE.topN(dimension, java.time.Instant.ofEpochMilli(end), WINDOW, 10);
                for (int rank = 1; rank <= ranking.size(); rank++) {
                    String[] entry = ranking.get(rank - 1).split("=");
                    c.topNRow(dimension, end, rank, entry[0], new BigDecimal(entry[1]));
                }
            }
        }
        c.counters(REFERENCE.acceptedIds.size(), REFERENCE.rejectedSeqs().size() - malformed(), malformed());
    }

    private static int malformed() {
        return (int) REFERENCE.rejectedSeqs().stream().filter(seq -> SOURCE.line(seq).event() == null).count();
    }

    @Test
    void tablesEqualToTheReferenceAreExact() {
        Map<String, TableComparison.Tally> tallies = compare(c -> exactTables(c, true));
        assertThat(tallies.values()).allSatisfy(t -> assertThat(t.exact()).as(t.summary()).isTrue());
        assertThat(tallies.get("raw_events").found).isEqualTo(REFERENCE.acceptedIds.size());
        assertThat(tallies.get("raw_events").summary()).endsWith("all as expected");
    }

    @Test
    void aLostRawRowAndADoubleCountedOneAreFound() {
        List<SalesEvent> accepted = REFERENCE.accepted();
        Map<String, TableComparison.Tally> tallies = compare(c -> {
            exactTables(c, false);
            accepted.stream().skip(1).forEach(e -> raw(c, e)); // the first one lost
            raw(c, accepted.get(5)); // one twice
        });
        TableComparison.Tally raw = tallies.get("raw_events");
        assertThat(raw.missing).isEqualTo(1);
        assertThat(raw.duplicated).isEqualTo(1);
        assertThat(raw.summary()).startsWith("raw_events DIFFERS:")
                .contains("order_id " + accepted.get(5).orderId() + " more than once")
                .contains("order_id " + accepted.get(0).orderId() + " missing");
    }

    @Test
    void aRollupCountedTwiceAndAnUnknownTotalAreFound() {
        Map<String, TableComparison.Tally> tallies = compare(c -> {
            exactTables(c, true);
            c.rollup("region", "hour", "R1", Granularity.HOUR.bucketStart(REFERENCE.newestEventTime()), 1, 1,
                    BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE); // the same bucket again, other values
            c.total("product", "P9999", 1, 1, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE);
        });
        assertThat(tallies.get("rollups").duplicated).isEqualTo(1);
        assertThat(tallies.get("running_totals").unexpected).isEqualTo(1);
        assertThat(tallies.get("running_totals").summary()).contains("product|P9999 = 1/1/1/1/1 not expected");
    }

    @Test
    void wrongValuesMissingBucketsAndCountersAreFound() {
        Map.Entry<String, String> someBucket = REFERENCE.rollups().entrySet().iterator().next();
        Map<String, TableComparison.Tally> tallies = compare(c -> {
            REFERENCE.accepted().forEach(e -> raw(c, e));
            // every rollup but one; one total with a count too high
            REFERENCE.rollups().forEach((k, v) -> {
                if (!k.equals(someBucket.getKey())) {
                    String[] key = k.split("\\|");
                    String[] agg = v.split("/");
                    c.rollup(key[0], key[1], key[2], Long.parseLong(key[3]), Long.parseLong(agg[0]),
                            Long.parseLong(agg[1]), new BigDecimal(agg[2]), new BigDecimal(agg[3]), new BigDecimal(agg[4]));
                }
            });
            Map.Entry<String, String> total = REFERENCE.totals().entrySet().iterator().next();
            String[] key = total.getKey().split("\\|");
            String[] agg = total.getValue().split("/");
            c.total(key[0], key[1], Long.parseLong(agg[0]) + 1, Long.parseLong(agg[1]), new BigDecimal(agg[2]),
                    new BigDecimal(agg[3]), new BigDecimal(agg[4]));
            c.counters(REFERENCE.acceptedIds.size() + 1, 0, 0);
        });
        assertThat(tallies.get("rollups").missing).isEqualTo(1);
        assertThat(tallies.get("running_totals").differing).isEqualTo(1);
        assertThat(tallies.get("running_totals").missing).isEqualTo(REFERENCE.totals().size() - 1);
        assertThat(tallies.get("sources counters").exact()).isFalse();
        assertThat(tallies.get("rejects").missing).isEqualTo(REFERENCE.rejectedSeqs().size());
        assertThat(tallies.get("top_n").summary()).contains("no top-N window at all");
    }
}
