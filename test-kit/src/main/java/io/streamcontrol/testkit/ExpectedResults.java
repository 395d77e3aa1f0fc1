package io.streamcontrol.testkit;

import io.streamcontrol.contract.events.SalesEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongFunction;

/**
 * What the job must have written for a known list of generated lines, computed the simple way, independently of the
 * job's code: walk each source partition in sequence order, apply the lateness rule, and aggregate with plain maps.
 */
public final class ExpectedResults {

    public static final List<String> DIMENSIONS = List.of("product", "region", "state");
    static final Map<String, ChronoUnit> GRANULARITIES = Map.of("minute", ChronoUnit.MINUTES, "hour", ChronoUnit.HOURS,
            "day", ChronoUnit.DAYS);

    /** count, quantity, sum/min/max of sale_amount, as comparable text. */
    record Agg(long count, long quantity, BigDecimal sum, BigDecimal min, BigDecimal max) {
        static Agg of(SalesEvent e) {
            return new Agg(1, e.quantity(), e.saleAmount(), e.saleAmount(), e.saleAmount());
        }

        Agg plus(Agg o) {
            return new Agg(count + o.count, quantity + o.quantity, sum.add(o.sum), min.min(o.min), max.max(o.max));
        }

        String text() {
            return aggregate(count, quantity, sum, min, max);
        }
    }

    public final Set<Long> acceptedIds = new TreeSet<>();
    final List<SalesEvent> accepted = new ArrayList<>();
    final Set<Long> malformedSeqs = new TreeSet<>();
    final Set<Long> tooLateSeqs = new TreeSet<>();
    final Map<String, String> rollups = new TreeMap<>();
    final Map<String, String> totals = new TreeMap<>();

    /**
     * @param lines event for sequence n, or null when line n is malformed
     * @param lastSeqs the last sequence the job took of each source partition (partition p owns n % partitions == p)
     */
    public ExpectedResults(LongFunction<SalesEvent> lines, long[] lastSeqs, long latenessMillis) {
        walk(lines, lastSeqs, latenessMillis, new LineVisitor() {
            @Override
            public void accepted(long seq, SalesEvent e) {
                accepted.add(e);
                acceptedIds.add(e.orderId());
            }

            @Override
            public void malformed(long seq) {
                malformedSeqs.add(seq);
            }

            @Override
            public void tooLate(long seq, SalesEvent e) {
                tooLateSeqs.add(seq);
            }
        });
        Map<String, Agg> buckets = new HashMap<>();
        Map<String, Agg> sums = new HashMap<>();
        for (SalesEvent e : accepted) {
            for (String dim : DIMENSIONS) {
                String key = key(e, dim);
                GRANULARITIES.forEach((gran, unit) -> buckets.merge(dim + "|" + gran + "|" + key + "|"
                        + e.orderTime().truncatedTo(unit).toEpochMilli(), Agg.of(e), Agg::plus));
                sums.merge(dim + "|" + key, Agg.of(e), Agg::plus);
            }
        }
        buckets.forEach((k, v) -> rollups.put(k, v.text()));
        sums.forEach((k, v) -> totals.put(k, v.text()));
    }

    /** What {@link #walk} found each line to be. */
    public interface LineVisitor {
        void accepted(long seq, SalesEvent event);

        void malformed(long seq);

        void tooLate(long seq, SalesEvent event);
    }

    /**
     * The job's rule, line by line without keeping anything: each source partition in sequence order, a malformed
     * line rejected, an event older than the partition's newest accepted event minus the lateness rejected as too
     * late, every other event accepted. (For inputs too large to hold, e.g. the ingest benchmark's.)
     */
    public static void walk(LongFunction<SalesEvent> lines, long[] lastSeqs, long latenessMillis, LineVisitor visitor) {
        int partitions = lastSeqs.length;
        for (int p = 0; p < partitions; p++) {
            long maxTime = Long.MIN_VALUE;
            for (long n = p; n <= lastSeqs[p]; n += partitions) {
                SalesEvent e = lines.apply(n);
                if (e == null) {
                    visitor.malformed(n);
                    continue;
                }
                long t = e.orderTime().toEpochMilli();
                if (maxTime != Long.MIN_VALUE && t < maxTime - latenessMillis) {
                    visitor.tooLate(n, e);
                    continue;
                }
                maxTime = Math.max(maxTime, t);
                visitor.accepted(n, e);
            }
        }
    }

    /** Rollup buckets as {@code dimension|granularity|key|bucketStartMillis -> }{@link #aggregate} text. */
    public Map<String, String> rollups() {
        return java.util.Collections.unmodifiableMap(rollups);
    }

    /** Running totals as {@code dimension|key -> }{@link #aggregate} text. */
    public Map<String, String> totals() {
        return java.util.Collections.unmodifiableMap(totals);
    }

    /** The accepted events, in source order. */
    public List<SalesEvent> accepted() {
        return java.util.Collections.unmodifiableList(accepted);
    }

    /** Sequences of the lines rejected as malformed and as too late. */
    public Set<Long> rejectedSeqs() {
        Set<Long> rejected = new TreeSet<>(malformedSeqs);
        rejected.addAll(tooLateSeqs);
        return rejected;
    }

    /** count, quantity, sum/min/max of sale_amount as one comparable text. */
    public static String aggregate(long count, long quantity, BigDecimal sum, BigDecimal min, BigDecimal max) {
        return count + "/" + quantity + "/" + plain(sum) + "/" + plain(min) + "/" + plain(max);
    }

    /** The top keys by sale amount of events in [end - window, end), best first, as "key=sum". */
    public List<String> topN(String dimension, Instant end, long windowMillis, int n) {
        Map<String, BigDecimal> sums = new HashMap<>();
        long to = end.toEpochMilli();
        for (SalesEvent e : accepted) {
            long t = e.orderTime().toEpochMilli();
            if (t >= to - windowMillis && t < to) {
                sums.merge(key(e, dimension), e.saleAmount(), BigDecimal::add);
            }
        }
        return sums.entrySet().stream()
                .sorted(Map.Entry.<String, BigDecimal>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(n)
                .map(e -> e.getKey() + "=" + plain(e.getValue()))
                .toList();
    }

    /** The last sequence of each partition when the source sends sequences 0..count-1. */
    public static long[] lastSeqs(long count, int partitions) {
        long[] last = new long[partitions];
        for (int p = 0; p < partitions; p++) {
            last[p] = p < count ? p + (count - 1 - p) / partitions * partitions : -1;
        }
        return last;
    }

    public long newestEventTime() {
        return accepted.stream().mapToLong(e -> e.orderTime().toEpochMilli()).max().orElseThrow();
    }

    public static String key(SalesEvent e, String dimension) {
        return switch (dimension) {
            case "product" -> e.productKey();
            case "region" -> e.region();
            default -> e.state();
        };
    }

    public static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
