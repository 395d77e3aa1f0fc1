package io.streamcontrol.bench.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamcontrol.bench.harness.SparkStreamingStats;
import io.streamcontrol.bench.harness.SparkStreamingStats.Batch;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Polls one driver's streaming batches ({@code {driverUiUrl}/api/v1/applications/{appId}/streaming/batches}) every
 * 200 ms on its own thread, single requests through {@link SparkStreamingStats}, and keeps every batch it saw (its
 * newest state). Once the driver has answered, {@link #GONE_AFTER_FAILURES} failed polls in a row (connection refused,
 * or a 404 once its streaming context stopped) mean the driver is gone and end the polling.
 */
final class DriverPoller implements AutoCloseable {

    static final long POLL_MS = 200;
    static final int GONE_AFTER_FAILURES = 5;
    private static final DateTimeFormatter SPARK_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'GMT'");

    private final String appId;
    private final SparkStreamingStats stats;
    private final Thread thread;
    private final TreeMap<Long, Batch> batches = new TreeMap<>();
    private volatile long firstAnswerMillis = -1;
    private volatile long lastAnswerMillis = -1;
    private volatile long goneMillis = -1;
    private volatile long sparkContextStartMillis = -1;
    private volatile long streamingStartMillis = -1;
    private volatile String lastFailure;
    private volatile boolean restarting;
    private volatile boolean closed;

    DriverPoller(String appId, String driverUiUrl) {
        this.appId = appId;
        this.stats = new SparkStreamingStats(URI.create(driverUiUrl).getPort());
        this.thread = new Thread(this::poll, "driver-poller-" + appId);
        thread.setDaemon(true);
        thread.start();
    }

    String appId() {
        return appId;
    }

    private void poll() {
        int failures = 0;
        while (!closed) {
            long before = System.currentTimeMillis();
            try {
                List<Batch> seen = stats.batchesOnce(appId);
                long now = System.currentTimeMillis();
                synchronized (this) {
                    seen.forEach(b -> batches.put(b.batchTime(), b));
                }
                if (firstAnswerMillis < 0) {
                    firstAnswerMillis = now;
                }
                lastAnswerMillis = now;
                failures = 0;
                try {
                    readStartTimes();
                } catch (IOException | RuntimeException e) {
                    // asked again at the next poll
                }
            } catch (IOException e) {
                lastFailure = e.toString();
                if (firstAnswerMillis >= 0 && !restarting && ++failures >= GONE_AFTER_FAILURES) {
                    goneMillis = lastAnswerMillis;
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                lastFailure = e.toString();
            }
            long sleep = POLL_MS - (System.currentTimeMillis() - before);
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** When the SparkContext and the (newest) StreamingContext started, as the driver reports them (once known). */
    private void readStartTimes() throws IOException, InterruptedException {
        if (sparkContextStartMillis < 0) {
            JsonNode app = stats.getOnce("/applications/" + appId);
            JsonNode attempt = app.path("attempts").path(0);
            if (attempt.has("startTimeEpoch")) {
                sparkContextStartMillis = attempt.get("startTimeEpoch").asLong();
            }
        }
        String start = stats.getOnce("/applications/" + appId + "/streaming/statistics").path("startTime").asText("");
        if (!start.isEmpty()) {
            long startMillis = LocalDateTime.parse(start, SPARK_TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
            if (startMillis > streamingStartMillis) {
                streamingStartMillis = startMillis;
                restarting = false;
            }
        }
    }

    /**
     * The driver may restart its streaming context (a reconfiguration in place): its streaming API answers 404 until
     * the new context starts, which does not mean it is gone.
     */
    void expectRestart() {
        restarting = true;
    }

    synchronized List<Batch> batches() {
        return new ArrayList<>(batches.values());
    }

    /** The first completed batch (by batch time) that matches. */
    synchronized Optional<Batch> firstCompleted(Predicate<Batch> which) {
        return batches.values().stream().filter(Batch::completed).filter(which).findFirst();
    }

    /** The completed batch that ended last (batch time + total delay). */
    synchronized Optional<Batch> lastEnded() {
        return batches.values().stream().filter(Batch::completed).max(java.util.Comparator.comparingLong(DriverPoller::end));
    }

    synchronized long completed() {
        return batches.values().stream().filter(Batch::completed).count();
    }

    synchronized long completedWithInput() {
        return batches.values().stream().filter(Batch::completed).filter(b -> b.inputSize() > 0).count();
    }

    /** When a batch ended: its batch time plus its total delay (processing end), in the driver's clock. */
    static long end(Batch batch) {
        return batch.batchTime() + (batch.totalDelay() == null ? 0 : batch.totalDelay());
    }

    /** Waits for the first completed batch that matches; empty on timeout or when the driver is gone. */
    Optional<Batch> awaitFirstCompleted(Predicate<Batch> which, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Batch> batch = firstCompleted(which);
            if (batch.isPresent() || isGone()) {
                return batch;
            }
            Thread.sleep(50);
        }
        return Optional.empty();
    }

    /** Waits until the driver no longer answers; false on timeout. */
    boolean awaitGone(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        return isGone();
    }

    boolean isGone() {
        return goneMillis >= 0;
    }

    /** The last time the driver answered before it went away; -1 while it answers. */
    long goneMillis() {
        return goneMillis;
    }

    long firstAnswerMillis() {
        return firstAnswerMillis;
    }

    long sparkContextStartMillis() {
        return sparkContextStartMillis;
    }

    long streamingStartMillis() {
        return streamingStartMillis;
    }

    String lastFailure() {
        return lastFailure;
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.interrupt();
        thread.join(2_000);
    }
}
