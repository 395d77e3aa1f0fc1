package io.streamcontrol.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/** A job's tables compared with {@link ExpectedResults}: raw events, rejects, rollups, totals, top-N and counters. */
public final class JobTables {

    private JobTables() {
    }

    /** Asserts every table of the job equals the recomputation, with one top-N size throughout. */
    public static void assertMatch(CqlSession session, String ks, String jobName, ExpectedResults expected,
            long windowMs, long slideMs, int topN) {
        assertMatch(session, ks, jobName, expected, windowMs, slideMs, writtenAt -> topN);
    }

    /**
     * Asserts every table of the job equals the recomputation.
     *
     * @param topNAt the top-N size of the run that wrote a window last, from the newest write time of its rows
     */
    public static void assertMatch(CqlSession session, String ks, String jobName, ExpectedResults expected,
            long windowMs, long slideMs, Function<Instant, Integer> topNAt) {
        assertMatch(session, ks, jobName, expected, windowMs, slideMs, topNAt, false);
    }

    /**
     * Asserts every table of a job fed by a plain sender equals the recomputation: such a sender's lines carry no
     * sequence, so the receiver numbers them from an arbitrary start, and rejects are compared by their sequences
     * relative to the first reject's.
     */
    public static void assertMatchOfPlainSender(CqlSession session, String ks, String jobName,
            ExpectedResults expected, long windowMs, long slideMs, int topN) {
        assertMatch(session, ks, jobName, expected, windowMs, slideMs, writtenAt -> topN, true);
    }

    private static void assertMatch(CqlSession session, String ks, String jobName, ExpectedResults expected,
            long windowMs, long slideMs, Function<Instant, Integer> topNAt, boolean receiverSequences) {
        TreeSet<Long> rawIds = new TreeSet<>();
        session.execute("SELECT order_id FROM " + ks + ".raw_events").forEach(r -> rawIds.add(r.getLong(0)));
        assertThat(rawIds).as("raw events").hasSize(expected.acceptedIds.size()).isEqualTo(expected.acceptedIds);

        TreeSet<Long> tooLate = new TreeSet<>();
        TreeSet<Long> malformed = new TreeSet<>();
        session.execute("SELECT seq, reason FROM " + ks + ".rejects").forEach(r ->
                (r.getString(1).equals("too late") ? tooLate : malformed).add(r.getLong(0)));
        long shift = 0;
        if (receiverSequences && !malformed.isEmpty() && !tooLate.isEmpty()) {
            shift = Math.min(malformed.first(), tooLate.first())
                    - Math.min(expected.malformedSeqs.stream().findFirst().orElse(0L),
                            expected.tooLateSeqs.stream().findFirst().orElse(0L));
        }
        assertThat(shifted(malformed, shift)).as("malformed rejects").isEqualTo(expected.malformedSeqs).isNotEmpty();
        assertThat(shifted(tooLate, shift)).as("too-late rejects").isEqualTo(expected.tooLateSeqs).isNotEmpty();

        Map<String, String> rollups = new TreeMap<>();
        session.execute("SELECT dimension, granularity, key, bucket_start, event_count, quantity_sum, sale_sum,"
                + " sale_min, sale_max FROM " + ks + ".rollups").forEach(r -> rollups.put(
                        r.getString(0) + "|" + r.getString(1) + "|" + r.getString(2) + "|"
                                + r.getInstant(3).toEpochMilli(), aggregateText(r, 4)));
        assertThat(rollups).as("rollups").isEqualTo(expected.rollups);

        Map<String, String> totals = new TreeMap<>();
        session.execute("SELECT dimension, key, event_count, quantity_sum, sale_sum, sale_min, sale_max FROM " + ks
                + ".running_totals").forEach(r -> totals.put(r.getString(0) + "|" + r.getString(1), aggregateText(r, 2)));
        assertThat(totals).as("running totals").isEqualTo(expected.totals);

        Map<String, List<String>> windows = new TreeMap<>();
        Map<String, Instant> writtenAt = new HashMap<>();
        Map<String, Instant> newest = new HashMap<>();
        for (Row r : session.execute("SELECT dimension, window_end, rank, key, sale_sum, WRITETIME(key) FROM " + ks
                + ".top_n")) {
            String window = r.getString(0) + "|" + r.getInstant(1);
            writtenAt.merge(window, Instant.EPOCH.plus(r.getLong(5), ChronoUnit.MICROS), (a, b) -> a.isAfter(b) ? a : b);
            List<String> ranking = windows.computeIfAbsent(window, w -> new ArrayList<>());
            while (ranking.size() < r.getInt(2)) {
                ranking.add(null);
            }
            ranking.set(r.getInt(2) - 1, r.getString(3) + "=" + ExpectedResults.plain(r.getBigDecimal(4)));
            newest.merge(r.getString(0), r.getInstant(1), (a, b) -> a.isAfter(b) ? a : b);
        }
        assertThat(windows).as("top-N windows").isNotEmpty();
        windows.forEach((window, ranking) -> {
            String[] parts = window.split("\\|");
            assertThat(ranking).as("top-N of " + window)
                    .isEqualTo(expected.topN(parts[0], Instant.parse(parts[1]), windowMs,
                            topNAt.apply(writtenAt.get(window))));
        });
        long newestEnd = Math.floorDiv(expected.newestEventTime(), slideMs) * slideMs + slideMs;
        assertThat(newest).as("newest top-N window per dimension")
                .containsOnlyKeys(ExpectedResults.DIMENSIONS)
                .allSatisfy((dim, end) -> assertThat(end.toEpochMilli()).isEqualTo(newestEnd));

        long accepted = 0;
        long tooLateCount = 0;
        long malformedCount = 0;
        for (Row r : session.execute("SELECT accepted, rejected_too_late, rejected_malformed FROM " + ks
                + ".sources WHERE job_name = ?", jobName)) {
            accepted += r.getLong(0);
            tooLateCount += r.getLong(1);
            malformedCount += r.getLong(2);
        }
        assertThat(new long[] {accepted, tooLateCount, malformedCount}).as("counters")
                .containsExactly(expected.acceptedIds.size(), expected.tooLateSeqs.size(), expected.malformedSeqs.size());
    }

    private static TreeSet<Long> shifted(TreeSet<Long> seqs, long shift) {
        TreeSet<Long> result = new TreeSet<>();
        seqs.forEach(seq -> result.add(seq - shift));
        return result;
    }

    private static String aggregateText(Row r, int from) {
        return ExpectedResults.aggregate(r.getLong(from), r.getLong(from + 1), r.getBigDecimal(from + 2),
                r.getBigDecimal(from + 3), r.getBigDecimal(from + 4));
    }
}
