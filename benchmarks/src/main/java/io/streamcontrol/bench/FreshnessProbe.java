package io.streamcontrol.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.streamcontrol.job.cassandra.Schema;
import io.streamcontrol.job.event.Granularity;
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
 * the sum over regions of a bucket's event_count says how many of that minute's events are visible. A minute's events
 * are a contiguous range of sequences (event time = startTime + n * spacing), so when the count of minute M grows
 * from c1 to c2 at poll time T, events first(M)+c1 .. first(M)+c2-1 are taken to have become visible at T.
 *
 * <p>Approximations: with several receivers events are not made visible strictly in sequence order; a delay is
 * counted at the first poll that sees it (up to one poll interval plus the query time late); events still invisible
 * when the probe stops are not counted.
 */
final class FreshnessProbe implements AutoCloseable {

    static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    /** Incomplete minute buckets polled at most; older ones are given up. */
    static final int MAX_TRACKED_MINUTES = 4;
    private static final long MINUTE = Granularity.MINUTE.millis();

    private final CqlSession session;
    private final EmissionTimeline timeline;
    private final List<String> regions;
    private final PreparedStatement count;
    private final Thread poller;
    /** Visible count per tracked minute bucket start; a bucket is dropped once all its events are visible. */
    private final Map<Long, Long> visible = new TreeMap<>();
    /** Minute buckets complete or given up: never tracked again. */
    private final Set<Long> retired = new HashSet<>();
    /** Bucket readings above the number of events the minute has: would mean the sequence arithmetic is wrong. */
    private long overcounts;
    private long[] delays = new long[1 << 16];
    private int delayCount;
    private long polls;
    private long queryMillisTotal;
    private long queryMillisMax;
    private volatile boolean stopped;
    private volatile Exception failure;

    FreshnessProbe(CqlSession session, String keyspace, EmissionTimeline timeline, int regions) {
        this.session = session;
        this.timeline = timeline;
        this.regions = new ArrayList<>();
        for (int r = 1; r <= regions; r++) {
            this.regions.add("R" + r); // SalesEventSource names region i "R" + (i + 1)
        }
        this.count = session.prepare("SELECT event_count FROM " + keyspace + "." + Schema.ROLLUPS
                + " WHERE dimension = 'region' AND granularity = 'minute' AND key = ? AND period = ? AND bucket_start = ?");
        this.poller = new Thread(this::pollUntilStopped, "freshness-probe");
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
        boolean first = true;
        while (!stopped) {
            long started = System.currentTimeMillis();
            try {
                poll(first);
                first = false;
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

    /** On the first poll the counts only set the baseline: those events were visible before the window. */
    private void poll(boolean baselineOnly) {
        long newest = timeline.emitted() - 1;
        if (newest < 0) {
            return;
        }
        long newestMinute = Granularity.MINUTE.bucketStart(timeline.eventTimeMillis(newest));
        List<Long> minutes;
        synchronized (this) {
            for (long minute : new long[] {newestMinute - MINUTE, newestMinute}) {
                if (!retired.contains(minute)) {
                    visible.putIfAbsent(minute, 0L);
                }
            }
            while (visible.size() > MAX_TRACKED_MINUTES) {
                long oldest = visible.keySet().iterator().next();
                visible.remove(oldest);
                retired.add(oldest);
            }
            minutes = new ArrayList<>(visible.keySet());
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
                long first = timeline.firstEventAtOrAfter(minute);
                long size = timeline.firstEventAtOrAfter(minute + MINUTE) - first;
                long before = visible.get(minute);
                if (counts.get(i) > size) {
                    overcounts++;
                }
                long now = Math.min(counts.get(i), size);
                if (!baselineOnly) {
                    for (long n = first + before; n < first + now; n++) {
                        addDelay(seenAt - timeline.sentAtMillis(n));
                    }
                }
                if (now >= size) {
                    visible.remove(minute);
                    retired.add(minute);
                } else {
                    visible.put(minute, Math.max(before, now));
                }
            }
        }
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
