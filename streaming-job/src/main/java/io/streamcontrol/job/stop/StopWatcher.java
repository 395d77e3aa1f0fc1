package io.streamcontrol.job.stop;

import io.streamcontrol.contract.settings.InvalidSettingException;
import io.streamcontrol.contract.settings.JobSettings;
import io.streamcontrol.contract.tables.StopRequests;
import io.streamcontrol.job.source.SourceTable;
import io.streamcontrol.job.source.SourceTable.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs in the driver. On a stop request newer than the driver's start it drains: receivers store what they hold and
 * stop reading, the job processes every stored line, and only then is the streaming context stopped.
 *
 * <p>Draining first is deliberate: Spark's own graceful stop closes the driver's write-ahead log before it allocates
 * the last received blocks to a batch, so with the write-ahead log on, blocks that arrive during the stop wait for the
 * next run instead of being processed; and once every stored line is committed, stopping needs no graceful wait.
 */
public final class StopWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StopWatcher.class);

    private final Thread thread;
    private volatile boolean closed;
    private volatile JobSettings restartWith;

    /**
     * Watches for requests newer than {@code startedAt} (the start of {@code context}) to stop a driver running with
     * {@code running}.
     */
    public StopWatcher(StopRequests requests, SourceTable sources, JobSettings running, Instant startedAt,
            JavaStreamingContext context) {
        Duration interval = running.stopPollInterval();
        thread = new Thread(() -> {
            while (!closed) {
                try {
                    Thread.sleep(interval.toMillis());
                    var requested = requests.latestRequest();
                    if (requested.isPresent() && requested.get().at().isAfter(startedAt)) {
                        Optional<JobSettings> next = restartWith(requested.get(), running);
                        LOG.info("Stop requested at {}{}: draining the receivers", requested.get().at(),
                                next.isPresent() ? " to restart the streaming context with new settings" : "");
                        drain(requests, sources, running.receivers(), interval, running.drainTimeout());
                        // everything received is committed: Spark's graceful wait would only add a batch interval
                        LOG.info("Stopping the streaming context");
                        restartWith = next.orElse(null);
                        context.stop(next.isEmpty(), false);
                        return;
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.warn("Could not read stop requests (will retry): {}", e.getMessage());
                }
            }
        }, "stop-watcher");
        thread.setDaemon(true);
    }

    /**
     * The settings the request restarts the streaming context with; empty when it asks the driver to exit, or asks
     * for a change that needs a new driver (then the driver exits and the one who asked launches a new one).
     */
    private static Optional<JobSettings> restartWith(StopRequests.Request request, JobSettings running) {
        if (request.restartWith() == null) {
            return Optional.empty();
        }
        try {
            JobSettings next = JobSettings.parse(request.restartWith().toArray(String[]::new));
            if (JobSettings.restartsInPlace(running, next)) {
                return Optional.of(next);
            }
            LOG.warn("The new settings need a new driver: stopping instead of restarting the streaming context");
        } catch (InvalidSettingException e) {
            LOG.warn("The new settings are invalid ({}): stopping instead of restarting the streaming context",
                    e.getMessage());
        }
        return Optional.empty();
    }

    /** The settings to restart the streaming context with, once it stopped; empty if the driver should exit. */
    public Optional<JobSettings> restartWith() {
        return Optional.ofNullable(restartWith);
    }

    private static void drain(StopRequests requests, SourceTable sources, int sourceCount, Duration interval,
            Duration timeout) throws InterruptedException {
        Instant since = Instant.now();
        requests.beginDrain(since);
        Instant deadline = since.plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            List<Status> statuses = sources.statuses();
            if (isDrained(statuses, sourceCount, since)) {
                LOG.info("Drained: every line the receivers stored has been processed ({})", statuses);
                return;
            }
            Thread.sleep(interval.toMillis());
        }
        LOG.warn("Not drained within {}: lines not yet committed are replayed (or read from the write-ahead log) by"
                + " the next run", timeout);
    }

    /** Every receiver has stopped reading since {@code since}, and the job has processed all it stored. */
    static boolean isDrained(List<Status> statuses, int sourceCount, Instant since) {
        Map<Integer, Status> bySource = statuses.stream().collect(Collectors.toMap(Status::source, Function.identity()));
        for (int source = 0; source < sourceCount; source++) {
            Status status = bySource.get(source);
            if (status == null || status.drainedAt() == null || status.drainedAt().isBefore(since)
                    || status.processed() < status.lastStored()) {
                return false;
            }
        }
        return true;
    }

    public StopWatcher start() {
        thread.start();
        return this;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
