package io.streamcontrol.bench.ingest;

import io.streamcontrol.contract.events.SalesEvent;
import io.streamcontrol.contract.rollups.Granularity;
import io.streamcontrol.testkit.ExpectedResults;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * What the job must have written for the generator's lines 0..lastSeqs[p] of each source partition p: the rule of
 * the test kit {@link ExpectedResults} ({@link ExpectedResults#walk}: each partition in sequence order, malformed
 * lines and events older than the partition's newest accepted event minus the lateness rejected), but sized for
 * benchmark runs of tens of millions of events: ExpectedResults keeps every accepted event as an object (~0.5 KB
 * each), this keeps a bit per sequence, a 32-bit digest per accepted row, and the aggregates as arrays of longs
 * (sale amounts in cents). Its equality with ExpectedResults is unit-tested.
 */
final class Recomputation {

    static final List<String> DIMENSIONS = ExpectedResults.DIMENSIONS;
    static final List<Granularity> GRANULARITIES = List.of(Granularity.MINUTE, Granularity.HOUR, Granularity.DAY);

    /** Slots of an aggregate: count, quantity, sale sum, min and max in cents, and whether a table row matched it. */
    static final int COUNT = 0;
    static final int QUANTITY = 1;
    static final int SUM = 2;
    static final int MIN = 3;
    static final int MAX = 4;
    static final int SEEN = 5;

    final long[] lastSeqs;
    final BitSet accepted = new BitSet();
    final BitSet malformed = new BitSet();
    final BitSet tooLate = new BitSet();
    /** {@link #rawDigest} of each accepted sequence's row. */
    final int[] rowDigests;
    /** {@link #bucketKey} -> aggregate. */
    final Map<Long, long[]> buckets = new HashMap<>();
    /** {@link #totalKey} -> aggregate. */
    final Map<Long, long[]> totals = new HashMap<>();
    private final List<Map<String, Integer>> keyIds = new ArrayList<>();
    private final List<List<String>> keyNames = new ArrayList<>();
    long newestEventTime = Long.MIN_VALUE;
    private final Map<Integer, TreeMap<Long, List<long[]>>> minuteSums = new HashMap<>();

    private Recomputation(long[] lastSeqs) {
        this.lastSeqs = lastSeqs.clone();
        long max = -1;
        for (long last : lastSeqs) {
            max = Math.max(max, last);
        }
        if (max >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many sequences for one recomputation: " + (max + 1));
        }
        this.rowDigests = new int[(int) (max + 1)];
        for (int d = 0; d < DIMENSIONS.size(); d++) {
            keyIds.add(new HashMap<>());
            keyNames.add(new ArrayList<>());
        }
    }

    /**
     * @param lines          event of sequence n, or null when line n is malformed (as for ExpectedResults)
     * @param lastSeqs       the last sequence the job processed of each partition (p owns n % partitions == p)
     */
    static Recomputation of(LongFunction<SalesEvent> lines, long[] lastSeqs, long latenessMillis) {
        Recomputation r = new Recomputation(lastSeqs);
        ExpectedResults.walk(lines, lastSeqs, latenessMillis, new ExpectedResults.LineVisitor() {
            @Override
            public void accepted(long seq, SalesEvent event) {
                r.accept(seq, event);
            }

            @Override
            public void malformed(long seq) {
                r.malformed.set((int) seq);
            }

            @Override
            public void tooLate(long seq, SalesEvent event) {
                r.tooLate.set((int) seq);
            }
        });
        return r;
    }

    private void accept(long n, SalesEvent e) {
        accepted.set((int) n);
        rowDigests[(int) n] = rawDigest(e.productKey(), Granularity.day(e.orderTime().toEpochMilli()).toString(),
                e.orderTime().toEpochMilli(), e.quantity(), e.discountPct(), e.rate(), e.saleAmount(), e.customerName(),
                e.state(), e.region(), e.profitMargin());
        long t = e.orderTime().toEpochMilli();
        newestEventTime = Math.max(newestEventTime, t);
        long cents = cents(e.saleAmount());
        for (int d = 0; d < DIMENSIONS.size(); d++) {
            int keyId = keyId(d, ExpectedResults.key(e, DIMENSIONS.get(d)));
            for (int g = 0; g < GRANULARITIES.size(); g++) {
                add(buckets.computeIfAbsent(bucketKey(d, g, keyId, t / GRANULARITIES.get(g).millis()), k -> empty()),
                        e.quantity(), cents);
            }
            add(totals.computeIfAbsent(totalKey(d, keyId), k -> empty()), e.quantity(), cents);
        }
    }

    private int keyId(int dimension, String key) {
        return keyIds.get(dimension).computeIfAbsent(key, k -> {
            keyNames.get(dimension).add(k);
            return keyNames.get(dimension).size() - 1;
        });
    }

    /** The id of a key already seen in {@code dimension}; -1 if no accepted event has it. */
    int existingKeyId(int dimension, String key) {
        Integer id = keyIds.get(dimension).get(key);
        return id == null ? -1 : id;
    }

    String keyName(int dimension, int keyId) {
        return keyNames.get(dimension).get(keyId);
    }

    private static long[] empty() {
        return new long[] {0, 0, 0, Long.MAX_VALUE, Long.MIN_VALUE, 0};
    }

    private static void add(long[] agg, long quantity, long cents) {
        agg[COUNT]++;
        agg[QUANTITY] += quantity;
        agg[SUM] += cents;
        agg[MIN] = Math.min(agg[MIN], cents);
        agg[MAX] = Math.max(agg[MAX], cents);
    }

    static long bucketKey(int dimension, int granularity, int keyId, long bucketIndex) {
        return ((long) dimension << 62) | ((long) granularity << 60) | ((long) keyId << 32) | bucketIndex;
    }

    static long totalKey(int dimension, int keyId) {
        return ((long) dimension << 32) | keyId;
    }

    /** A decimal of at most two places as cents; ArithmeticException for finer values. */
    static long cents(BigDecimal value) {
        return value.setScale(2, RoundingMode.UNNECESSARY).unscaledValue().longValueExact();
    }

    /** The aggregate as ExpectedResults' comparable text. */
    static String text(long[] agg) {
        return ExpectedResults.aggregate(agg[COUNT], agg[QUANTITY], BigDecimal.valueOf(agg[SUM], 2),
                BigDecimal.valueOf(agg[MIN], 2), BigDecimal.valueOf(agg[MAX], 2));
    }

    /** A digest of a raw_events row's columns (decimals compared by value, as ExpectedResults does). */
    static int rawDigest(String productKey, String day, long orderTimeMillis, int quantity, BigDecimal discountPct,
            BigDecimal rate, BigDecimal saleAmount, String customerName, String state, String region,
            BigDecimal profitMargin) {
        return String.join("|", productKey, day, Long.toString(orderTimeMillis), Integer.toString(quantity),
                plain(discountPct), plain(rate), plain(saleAmount), customerName, state, region, plain(profitMargin))
                .hashCode();
    }

    /** A decimal compared by value (ExpectedResults' plain text); "null" for none. */
    static String plain(BigDecimal value) {
        return value == null ? "null" : ExpectedResults.plain(value);
    }

    /** An aggregate read from a table as ExpectedResults' comparable text; a missing decimal shows as "null". */
    static String text(long count, long quantity, BigDecimal sum, BigDecimal min, BigDecimal max) {
        return count + "/" + quantity + "/" + plain(sum) + "/" + plain(min) + "/" + plain(max);
    }

    long acceptedCount() {
        return accepted.cardinality();
    }

    /**
     * The top {@code n} keys of {@code dimension} by sale amount of the events in [end - windowMs, end), best first,
     * as "key=sum" (ties by key), from the minute buckets; windowMs and end must be whole minutes.
     */
    List<String> topN(int dimension, long end, long windowMs, int n) {
        long minute = Granularity.MINUTE.millis();
        Map<Integer, Long> sums = new HashMap<>();
        minuteSums(dimension).subMap((end - windowMs) / minute, end / minute).values()
                .forEach(list -> list.forEach(keySum -> sums.merge((int) keySum[0], keySum[1], Long::sum)));
        return sums.entrySet().stream()
                .sorted(Comparator.<Map.Entry<Integer, Long>>comparingLong(Map.Entry::getValue).reversed()
                        .thenComparing(e -> keyName(dimension, e.getKey())))
                .limit(n)
                .map(e -> keyName(dimension, e.getKey()) + "=" + ExpectedResults.plain(BigDecimal.valueOf(e.getValue(), 2)))
                .toList();
    }

    /** Per minute index, the (key id, sale sum in cents) of every key of {@code dimension} with events in it. */
    private TreeMap<Long, List<long[]>> minuteSums(int dimension) {
        return minuteSums.computeIfAbsent(dimension, d -> {
            TreeMap<Long, List<long[]>> byMinute = new TreeMap<>();
            int g = GRANULARITIES.indexOf(Granularity.MINUTE);
            buckets.forEach((k, agg) -> {
                if ((int) (k >>> 62) == d && (int) ((k >>> 60) & 3) == g) {
                    byMinute.computeIfAbsent(k & 0xFFFF_FFFFL, m -> new ArrayList<>())
                            .add(new long[] {(k >>> 32) & 0x0FFF_FFFF, agg[SUM]});
                }
            });
            return byMinute;
        });
    }

    /** Rollup buckets in ExpectedResults' form ({@code dimension|granularity|key|bucketStartMillis -> text}). */
    Map<String, String> rollupTexts() {
        Map<String, String> texts = new TreeMap<>();
        buckets.forEach((k, agg) -> {
            int d = (int) (k >>> 62);
            int g = (int) ((k >>> 60) & 3);
            int keyId = (int) ((k >>> 32) & 0x0FFF_FFFF);
            long bucket = k & 0xFFFF_FFFFL;
            texts.put(DIMENSIONS.get(d) + "|" + GRANULARITIES.get(g).label() + "|" + keyName(d, keyId) + "|"
                    + bucket * GRANULARITIES.get(g).millis(), text(agg));
        });
        return texts;
    }

    /** Running totals in ExpectedResults' form ({@code dimension|key -> text}). */
    Map<String, String> totalTexts() {
        Map<String, String> texts = new TreeMap<>();
        totals.forEach((k, agg) -> {
            int d = (int) (k >>> 32);
            texts.put(DIMENSIONS.get(d) + "|" + keyName(d, (int) (k & 0xFFFF_FFFFL)), text(agg));
        });
        return texts;
    }
}
