package io.streamcontrol.bench.ingest;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The job's tables, row by row as they are paged in, against a {@link Recomputation}: the same comparisons as the
 * test kit's {@code JobTables.assertMatch} (raw events, rejects, rollups, running totals, top-N, the sources'
 * counters), but without holding a table in memory, and reporting what differs instead of stopping at the first
 * difference. One use only: rows are marked as matched.
 */
final class TableComparison {

    static final int EXAMPLES = 5;

    /** What one table held against what it should hold. */
    static final class Tally {
        final String table;
        long expected;
        long found;
        long missing;
        long unexpected;
        long duplicated;
        long differing;
        final List<String> examples = new ArrayList<>();

        Tally(String table) {
            this.table = table;
        }

        boolean exact() {
            return missing == 0 && unexpected == 0 && duplicated == 0 && differing == 0;
        }

        void example(String text) {
            if (examples.size() < EXAMPLES) {
                examples.add(text);
            }
        }

        String summary() {
            if (exact()) {
                return String.format(Locale.ROOT, "%s: %,d rows, all as expected", table, found);
            }
            List<String> parts = new ArrayList<>();
            parts.add(String.format(Locale.ROOT, "%,d rows, %,d expected", found, expected));
            if (missing > 0) {
                parts.add(String.format(Locale.ROOT, "%,d missing", missing));
            }
            if (unexpected > 0) {
                parts.add(String.format(Locale.ROOT, "%,d unexpected", unexpected));
            }
            if (duplicated > 0) {
                parts.add(String.format(Locale.ROOT, "%,d duplicated", duplicated));
            }
            if (differing > 0) {
                parts.add(String.format(Locale.ROOT, "%,d with other values", differing));
            }
            return table + " DIFFERS: " + String.join(", ", parts) + (examples.isEmpty() ? ""
                    : "; e.g. " + String.join("; ", examples));
        }
    }

    private final Recomputation expected;
    private final long windowMs;
    private final long slideMs;
    private final int topN;
    private final Tally raw = new Tally("raw_events");
    private final Tally rejects = new Tally("rejects");
    private final Tally rollups = new Tally("rollups");
    private final Tally totals = new Tally("running_totals");
    private final Tally topNTally = new Tally("top_n");
    private final Tally counters = new Tally("sources counters");
    private final BitSet rawSeen = new BitSet();
    private final BitSet rejectSeen = new BitSet();
    /** "dimension|windowEnd" -> ranking as "key=sum" by rank (1-based, index rank - 1). */
    private final Map<String, List<String>> windows = new TreeMap<>();

    TableComparison(Recomputation expected, long topNWindowMs, long topNSlideMs, int topN) {
        this.expected = expected;
        this.windowMs = topNWindowMs;
        this.slideMs = topNSlideMs;
        this.topN = topN;
    }

    void rawRow(long orderId, int digest) {
        raw.found++;
        if (orderId < 0 || orderId >= expected.rowDigests.length || !expected.accepted.get((int) orderId)) {
            raw.unexpected++;
            raw.example("order_id " + orderId + " not an accepted line");
        } else if (rawSeen.get((int) orderId)) {
            raw.duplicated++;
            raw.example("order_id " + orderId + " more than once");
        } else {
            rawSeen.set((int) orderId);
            if (expected.rowDigests[(int) orderId] != digest) {
                raw.differing++;
                raw.example("order_id " + orderId + " has other column values than the generated event");
            }
        }
    }

    void reject(long seq, String reason) {
        rejects.found++;
        boolean tooLate = "too late".equals(reason);
        boolean known = seq >= 0 && seq < Integer.MAX_VALUE
                && (tooLate ? expected.tooLate : expected.malformed).get((int) seq);
        if (!known) {
            rejects.unexpected++;
            rejects.example("seq " + seq + " rejected as '" + reason + "'");
        } else if (rejectSeen.get((int) seq)) {
            rejects.duplicated++;
            rejects.example("seq " + seq + " rejected more than once");
        } else {
            rejectSeen.set((int) seq);
        }
    }

    void rollup(String dimension, String granularity, String key, long bucketStartMillis, long count, long quantity,
            BigDecimal sum, BigDecimal min, BigDecimal max) {
        rollups.found++;
        int d = Recomputation.DIMENSIONS.indexOf(dimension);
        int g = indexOfGranularity(granularity);
        int keyId = d < 0 ? -1 : expected.existingKeyId(d, key);
        String name = dimension + "|" + granularity + "|" + key + "|" + bucketStartMillis;
        long[] agg = keyId < 0 || g < 0 ? null : expected.buckets.get(Recomputation.bucketKey(d, g, keyId,
                bucketStartMillis / Recomputation.GRANULARITIES.get(g).millis()));
        compare(rollups, name, agg, count, quantity, sum, min, max);
    }

    void total(String dimension, String key, long count, long quantity, BigDecimal sum, BigDecimal min, BigDecimal max) {
        totals.found++;
        int d = Recomputation.DIMENSIONS.indexOf(dimension);
        int keyId = d < 0 ? -1 : expected.existingKeyId(d, key);
        long[] agg = keyId < 0 ? null : expected.totals.get(Recomputation.totalKey(d, keyId));
        compare(totals, dimension + "|" + key, agg, count, quantity, sum, min, max);
    }

    private static void compare(Tally tally, String name, long[] agg, long count, long quantity, BigDecimal sum,
            BigDecimal min, BigDecimal max) {
        String found = Recomputation.text(count, quantity, sum, min, max);
        if (agg == null) {
            tally.unexpected++;
            tally.example(name + " = " + found + " not expected");
        } else if (agg[Recomputation.SEEN] != 0) {
            tally.duplicated++;
            tally.example(name + " more than once");
        } else {
            agg[Recomputation.SEEN] = 1;
            String want = Recomputation.text(agg);
            if (!want.equals(found)) {
                tally.differing++;
                tally.example(name + " = " + found + ", expected " + want);
            }
        }
    }

    void topNRow(String dimension, long windowEndMillis, int rank, String key, BigDecimal sum) {
        topNTally.found++;
        List<String> ranking = windows.computeIfAbsent(dimension + "|" + windowEndMillis, w -> new ArrayList<>());
        while (ranking.size() < rank) {
            ranking.add(null);
        }
        ranking.set(rank - 1, key + "=" + Recomputation.plain(sum));
    }

    void counters(long accepted, long tooLate, long malformed) {
        counters.found = 1;
        counters.expected = 1;
        long[] want = {expected.acceptedCount(), expected.tooLate.cardinality(), expected.malformed.cardinality()};
        long[] got = {accepted, tooLate, malformed};
        if (!java.util.Arrays.equals(want, got)) {
            counters.differing++;
            counters.example(String.format(Locale.ROOT, "accepted/too late/malformed %,d/%,d/%,d, expected %,d/%,d/%,d",
                    got[0], got[1], got[2], want[0], want[1], want[2]));
        }
    }

    /** Finishes the comparison: what was expected but never found. Every table, exact or not. */
    List<Tally> finish() {
        raw.expected = expected.acceptedCount();
        BitSet missingRaw = (BitSet) expected.accepted.clone();
        missingRaw.andNot(rawSeen);
        raw.missing = missingRaw.cardinality();
        missingRaw.stream().limit(EXAMPLES).forEach(id -> raw.example("order_id " + id + " missing"));

        BitSet wantRejects = (BitSet) expected.malformed.clone();
        wantRejects.or(expected.tooLate);
        rejects.expected = wantRejects.cardinality();
        wantRejects.andNot(rejectSeen);
        rejects.missing = wantRejects.cardinality();
        wantRejects.stream().limit(EXAMPLES).forEach(seq -> rejects.example("seq " + seq + " not in rejects"));

        missing(rollups, expected.buckets, "bucket");
        missing(totals, expected.totals, "total");
        compareTopN();
        return List.of(raw, rejects, rollups, totals, topNTally, counters);
    }

    private static void missing(Tally tally, Map<Long, long[]> aggregates, String what) {
        tally.expected = aggregates.size();
        for (long[] agg : aggregates.values()) {
            if (agg[Recomputation.SEEN] == 0) {
                tally.missing++;
            }
        }
        if (tally.missing > 0) {
            tally.example(tally.missing + " expected " + what + "(s) without a row");
        }
    }

    private void compareTopN() {
        if (windows.isEmpty()) {
            if (expected.acceptedCount() > 0) {
                topNTally.missing++;
                topNTally.example("no top-N window at all");
            }
            return;
        }
        topNTally.expected = topNTally.found;
        long newestEnd = Math.floorDiv(expected.newestEventTime, slideMs) * slideMs + slideMs;
        Map<String, Long> newest = new TreeMap<>();
        windows.forEach((window, ranking) -> {
            String[] parts = window.split("\\|");
            int d = Recomputation.DIMENSIONS.indexOf(parts[0]);
            long end = Long.parseLong(parts[1]);
            newest.merge(parts[0], end, Math::max);
            List<String> want = d < 0 ? List.of() : expected.topN(d, end, windowMs, topN);
            if (!want.equals(ranking)) {
                topNTally.differing++;
                topNTally.example("window " + window + " ranks " + ranking + ", expected " + want);
            }
        });
        for (String dimension : Recomputation.DIMENSIONS) {
            Long end = newest.get(dimension);
            if (end == null || end != newestEnd) {
                topNTally.missing++;
                topNTally.example("newest " + dimension + " window ends " + end + ", expected " + newestEnd);
            }
        }
    }

    private static int indexOfGranularity(String label) {
        for (int g = 0; g < Recomputation.GRANULARITIES.size(); g++) {
            if (Recomputation.GRANULARITIES.get(g).label().equals(label)) {
                return g;
            }
        }
        return -1;
    }
}
