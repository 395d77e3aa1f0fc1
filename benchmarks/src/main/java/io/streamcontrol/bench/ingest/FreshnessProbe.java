package io.streamcontrol.bench.ingest;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.streamcontrol.bench.harness.Percentiles;
import io.streamcontrol.contract.rollups.Granularity;
import io.streamcontrol.contract.tables.Schema;
import io.streamcontrol.generator.GeneratedLine;
import io.streamcontrol.generator.SalesEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * How long after it was sent an event shows in the rollups. Polls the per-region minute rollups of the newest minutes;
 * the sum over regions of a bucket's event_count says how many of that minute's events are visible. Which events
 * count in minute M is recomputed from the generator's lines as they are sent: the valid events whose event time
 * lies in M and the late ones shifted into M (malformed and too-late lines count nowhere). When the count of M grows
 * from c1 to c2 at poll time T, its members c1 .. c2-1 in sequence order are taken to have become visible at T.
 *
 * <p>Approximations: with several receivers events are not made visible strictly in sequence order; a delay is
 * counted at the first poll that sees it (up to one poll interval plus the query time late); only minutes that start
 * after the probe are tracked (so the first minute of a window has no samples), and events still invisible when the
 * probe stops are not counted. Recomputing the lines costs the harness about one generated line per event sent.
 */
final class FreshnessProbe implements AutoCloseable {

    static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    /** Incomplete minute buckets polled at most; older ones are given up. */
    static final int MAX_TRACKED_MINUTES = 4;
    private static final long MINUTE = Granularity.MINUTE.millis();

    private final CqlSession session;
    private final EmissionTimeline timeline;
    private final SalesEventSource source;
    private final long lateByMillis;
    private final List<String> regions;
    private final PreparedStatement count;
    private final Thread poller;
    /** Minutes before this are not tracked: their members were sent before the probe started. */
    private long firstTrackedMinute = -1;
    /** The next sequence whose line is to be classified into its minute. */
    private long classified;
    /** Per tracked minute: its members (sequences counting in it), in sequence order. */
    private final Map<Long, Members> members = new TreeMap<>();
    /** Visible count per tracked minute bucket start. */
    private final Map<Long, Long> visible = new TreeMap<>();
    /** Minute buckets complete or given up: never tracked again. */
    private final Set<Long> retired = new HashSet<>();
    /** Bucket readings above the number of events the minute has: would mean the recomputation is wrong. */
    private long overcounts;
    private long[] delays = new long[1 << 16];
    private int delayCount;
    private long polls;
    private long queryMillisTotal;
    private long queryMillisMax;
    private volatile boolean stopped;
    private volatile Exception failure;

    FreshnessProbe(CqlSession session, String keyspace, EmissionTimeline timeline, SalesEventSource source) {
        this.session = session;
        this.timeline = timeline;
        this.source = source;
        this.lateByMillis = source.settings().lateBy().toMillis();
        this.regions = new ArrayList<>();
        for (int r = 1; r <= source.settings().regions(); r++) {
            this.regions.add("R" + r); // SalesEventSource names region i "R" + (i + 1)
        }
        this.count = session.prepare("SELECT event_count FROM " + keyspace + "." + Schema.ROLLUPS
                + " WHERE dimension = 'region' AND granularity = 'minute' AND key = ? AND period = ? AND bucket_start = ?");
        this.poller = new Thread(this::pollUntilStopped, "freshness-probe");
    }

    /** The sequences counting in one minute bucket, in sequence order. */
    private static final class Members {
        long[] seqs = new long[1024];
        int size;

        void add(long seq) {
            if (size == seqs.length) {
                seqs = Arrays.copyOf(seqs, size * 2);
            }
            seqs[size++] = seq;
        }
    }

    FreshnessProbe start() {
        poller.start();
        return this;
    }

    record Result(Percentiles delays, long polls, double meanQueryMillis, long maxQueryMillis, long overcounts,
            String failure) {
    }

    /** Stops polling and returns the delays (ms) of the events that became visible meanwhile. */
    Result stop() throws InterruptedException {
        stopped = true;
        poller.join(10_000);
        synchronized (this) {
            return new Result(Percentiles.of(Arrays.copyOf(delays, delayCount)), polls,
                    polls == 0 ? Double.NaN : queryMillisTotal / (double) polls, queryMillisMax, overcounts,
                    failure == null ? null : failure.toString());
        }
    }

    private void pollUntilStopped() {
        while (!stopped) {
            long started = System.currentTimeMillis();
            try {
                poll();
            } catch (Exception e) {
                failure = e; // keep polling: a timeout now and then must not end the measurement
            }
            long sleep = POLL_INTERVAL.toMillis() - (System.currentTimeMillis() - started);
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void poll() {
        long emitted = timeline.emitted();
        if (emitted == 0) {
            return;
        }
        if (firstTrackedMinute < 0) {
            firstTrackedMinute = Granularity.MINUTE.bucketStart(timeline.eventTimeMillis(emitted - 1)) + MINUTE;
            classified = timeline.firstEventAtOrAfter(firstTrackedMinute);
        }
        List<Long> minutes;
        synchronized (this) {
            classify(emitted);
            while (visible.size() > MAX_TRACKED_MINUTES) {
                retire(visible.keySet().iterator().next());
            }
            minutes = new ArrayList<>(visible.keySet());
        }
        if (minutes.isEmpty()) {
            return;
        }
        long queryStart = System.currentTimeMillis();
        List<CompletableFuture<Long>> queries = minutes.stream().map(this::visibleCount).toList();
        List<Long> counts = queries.stream().map(CompletableFuture::join).toList();
        long seenAt = System.currentTimeMillis();
        synchronized (this) {
            polls++;
            queryMillisTotal += seenAt - queryStart;
            queryMillisMax = Math.max(queryMillisMax, seenAt - queryStart);
            for (int i = 0; i < minutes.size(); i++) {
                long minute = minutes.get(i);
                Members m = members.get(minute);
                if (m == null) {
                    continue;
                }
                boolean complete = classified >= timeline.firstEventAtOrAfter(minute + MINUTE + lateByMillis);
                long before = visible.get(minute);
                if (counts.get(i) > m.size && complete) {
                    overcounts++;
                }
                long now = Math.min(counts.get(i), m.size);
                for (long k = before; k < now; k++) {
                    addDelay(seenAt - timeline.sentAtMillis(m.seqs[(int) k]));
                }
                visible.put(minute, Math.max(before, now));
                if (complete && now >= m.size) {
                    retire(minute);
                }
            }
        }
    }

    /** Puts the lines sent so far into the minute they count in (valid ones by event time, late ones shifted). */
    private void classify(long emitted) {
        for (; classified < emitted; classified++) {
            GeneratedLine line = source.line(classified);
            if (line.kind() != GeneratedLine.Kind.VALID && line.kind() != GeneratedLine.Kind.LATE) {
                continue;
            }
            long minute = Granularity.MINUTE.bucketStart(line.event().orderTime().toEpochMilli());
            if (minute < firstTrackedMinute || retired.contains(minute)) {
                continue;
            }
            members.computeIfAbsent(minute, k -> new Members()).add(classified);
            visible.putIfAbsent(minute, 0L);
        }
    }

    private void retire(long minute) {
        visible.remove(minute);
        members.remove(minute);
        retired.add(minute);
    }

    /** Sum of event_count over the regions for the minute bucket starting at {@code minute}. */
    private CompletableFuture<Long> visibleCount(long minute) {
        Instant bucket = Instant.ofEpochMilli(minute);
        List<CompletableFuture<Long>> perRegion = new ArrayList<>();
        for (String region : regions) {
            CompletionStage<AsyncResultSet> result = session.executeAsync(
                    count.bind(region, Granularity.MINUTE.period(minute), bucket));
            perRegion.add(result.thenApply(rs -> {
                Row row = rs.one();
                return row == null || row.isNull(0) ? 0L : row.getLong(0);
            }).toCompletableFuture());
        }
        return CompletableFuture.allOf(perRegion.toArray(CompletableFuture[]::new))
                .thenApply(v -> perRegion.stream().mapToLong(CompletableFuture::join).sum());
    }

    private void addDelay(long millis) {
        if (delayCount == delays.length) {
            delays = Arrays.copyOf(delays, delayCount * 2);
        }
        delays[delayCount++] = millis;
    }

    @Override
    public void close() throws InterruptedException {
        if (!stopped) {
            stop();
        }
    }
}
