package io.streamcontrol.bench.ingest;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.streamcontrol.bench.baseline.BaselineJob;
import io.streamcontrol.bench.harness.SourcesTable;
import io.streamcontrol.contract.tables.Schema;
import io.streamcontrol.generator.SalesEventSource;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * After a graceful stop: do the job's tables hold exactly what its input makes them hold? The input is what the
 * {@code sources} table says the job processed (processed_seq per source partition); the expectation is the
 * generator's lines recomputed ({@link Recomputation}); the tables are paged through ({@link #PAGE_SIZE} rows per
 * request) and compared row by row ({@link TableComparison}). Also the baseline's row count check.
 */
final class ExactnessCheck {

    static final int PAGE_SIZE = 5_000;
    static final Duration PAGE_TIMEOUT = Duration.ofSeconds(60);

    /** The verdict of one check: every table's tally, and what was compared. */
    record Result(boolean exact, List<String> tables, long[] lastSeqs, long inputLines, long rowsRead, long millis) {

        String summary() {
            return (exact ? "exact" : "NOT EXACT") + String.format(Locale.ROOT, " (%,d lines, %,d rows read in %.0f s)",
                    inputLines, rowsRead, millis / 1000.0);
        }
    }

    private ExactnessCheck() {
    }

    /** The job's tables in {@code keyspace} against lines 0..processed_seq of each of its sources. */
    static Result job(CqlSession session, String keyspace, String jobName, SalesEventSource source, int receivers,
            long latenessMs, long topNWindowMs, long topNSlideMs, int topN) {
        long started = System.currentTimeMillis();
        SourcesTable sources = new SourcesTable(session, keyspace, jobName, receivers);
        long[] lastSeqs = sources.longs("processed_seq");
        if (lastSeqs.length != receivers) {
            return new Result(false, List.of("no sources rows: the job processed nothing"), lastSeqs, 0, 0,
                    System.currentTimeMillis() - started);
        }
        Recomputation expected = Recomputation.of(n -> source.line(n).event(), lastSeqs, latenessMs);
        TableComparison comparison = new TableComparison(expected, topNWindowMs, topNSlideMs, topN);
        long[] rows = {0};
        String ks = keyspace + ".";
        page(session, "SELECT order_id, product_key, day, order_time, quantity, discount_pct, rate, sale_amount,"
                + " customer_name, state, region, profit_margin FROM " + ks + Schema.RAW_EVENTS, r -> {
                    rows[0]++;
                    comparison.rawRow(r.getLong(0), Recomputation.rawDigest(r.getString(1), String.valueOf(r.getLocalDate(2)),
                            r.isNull(3) ? Long.MIN_VALUE : r.getInstant(3).toEpochMilli(), r.getInt(4),
                            r.getBigDecimal(5), r.getBigDecimal(6), r.getBigDecimal(7), r.getString(8), r.getString(9),
                            r.getString(10), r.getBigDecimal(11)));
                });
        page(session, "SELECT seq, reason FROM " + ks + Schema.REJECTS, r -> {
            rows[0]++;
            comparison.reject(r.getLong(0), r.getString(1));
        });
        page(session, "SELECT dimension, granularity, key, bucket_start, event_count, quantity_sum, sale_sum, sale_min,"
                + " sale_max FROM " + ks + Schema.ROLLUPS, r -> {
                    rows[0]++;
                    comparison.rollup(r.getString(0), r.getString(1), r.getString(2),
                            r.isNull(3) ? Long.MIN_VALUE : r.getInstant(3).toEpochMilli(), r.getLong(4), r.getLong(5),
                            r.getBigDecimal(6), r.getBigDecimal(7), r.getBigDecimal(8));
                });
        page(session, "SELECT dimension, key, event_count, quantity_sum, sale_sum, sale_min, sale_max FROM " + ks
                + Schema.RUNNING_TOTALS, r -> {
                    rows[0]++;
                    comparison.total(r.getString(0), r.getString(1), r.getLong(2), r.getLong(3), r.getBigDecimal(4),
                            r.getBigDecimal(5), r.getBigDecimal(6));
                });
        page(session, "SELECT dimension, window_end, rank, key, sale_sum FROM " + ks + Schema.TOP_N, r -> {
            rows[0]++;
            comparison.topNRow(r.getString(0), r.getInstant(1).toEpochMilli(), r.getInt(2), r.getString(3),
                    r.getBigDecimal(4));
        });
        comparison.counters(sum(sources.longs("accepted")), sum(sources.longs("rejected_too_late")),
                sum(sources.longs("rejected_malformed")));
        List<TableComparison.Tally> tallies = comparison.finish();
        long lines = 0;
        for (int p = 0; p < lastSeqs.length; p++) {
            lines += lastSeqs[p] < p ? 0 : (lastSeqs[p] - p) / lastSeqs.length + 1;
        }
        return new Result(tallies.stream().allMatch(TableComparison.Tally::exact),
                tallies.stream().map(TableComparison.Tally::summary).toList(), lastSeqs, lines, rows[0],
                System.currentTimeMillis() - started);
    }

    /**
     * The baseline's table against the lines it received (the first {@code received} lines of the generator, as it
     * reads one plain connection from sequence 0): one row per distinct order_id among them.
     */
    static Result baseline(CqlSession session, String keyspace, String table, SalesEventSource source, long received) {
        long started = System.currentTimeMillis();
        BitSet ids = new BitSet();
        Set<Long> otherIds = new HashSet<>(); // order_ids of garbage lines that happen to start with a number
        for (long n = 0; n < received; n++) {
            Long id = BaselineJob.orderId(source.line(n).payload());
            if (id != null && id >= 0 && id < Integer.MAX_VALUE) {
                ids.set(id.intValue());
            } else if (id != null) {
                otherIds.add(id);
            }
        }
        long expected = ids.cardinality() + otherIds.size();
        long[] rows = {0};
        long[] unexpected = {0};
        page(session, "SELECT order_id FROM " + keyspace + "." + table, r -> {
            rows[0]++;
            long id = r.getLong(0);
            boolean known = id >= 0 && id < Integer.MAX_VALUE ? ids.get((int) id) : otherIds.contains(id);
            if (!known) {
                unexpected[0]++;
            }
        });
        boolean exact = rows[0] == expected && unexpected[0] == 0;
        String line = String.format(Locale.ROOT, "%s: %,d rows for %,d lines received (%,d distinct order_ids)%s",
                table, rows[0], received, expected, unexpected[0] > 0 ? ", " + unexpected[0] + " rows of lines never sent" : "");
        return new Result(exact, List.of(line), new long[0], received, rows[0], System.currentTimeMillis() - started);
    }

    private static void page(CqlSession session, String query, Consumer<Row> each) {
        for (Row row : session.execute(SimpleStatement.newInstance(query).setPageSize(PAGE_SIZE)
                .setTimeout(PAGE_TIMEOUT))) {
            each.accept(row);
        }
    }

    private static long sum(long[] values) {
        return Arrays.stream(values).filter(v -> v > 0).sum();
    }
}
