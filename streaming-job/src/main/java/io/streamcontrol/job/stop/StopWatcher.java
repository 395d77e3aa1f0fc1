package io.streamcontrol.job.stop;

import com.datastax.oss.driver.api.core.CqlSession;
import java.time.Duration;
import java.time.Instant;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs in the driver: looks for a stop request newer than the driver's start and then stops the streaming context
 * gracefully (receivers stop, every block already received is processed, then the context ends).
 */
public final class StopWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StopWatcher.class);

    private final Thread thread;
    private volatile boolean closed;

    public StopWatcher(CqlSession session, String keyspace, String jobName, Instant startedAt, Duration interval,
            JavaStreamingContext context) {
        thread = new Thread(() -> {
            while (!closed) {
                try {
                    Thread.sleep(interval.toMillis());
                    var requested = StopRequests.latest(session, keyspace, jobName);
                    if (requested.isPresent() && requested.get().isAfter(startedAt)) {
                        LOG.info("Stop requested at {}: stopping gracefully after the data already received",
                                requested.get());
                        context.stop(true, true);
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
