package io.streamcontrol.job.driver;

import io.streamcontrol.job.driver.DriverTable.DriverRow;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the driver's {@link DriverTable} row current: registers it at start, refreshes {@code heartbeat_at} every
 * interval (also while a graceful stop drains), and sets {@code stopped_at} on a clean end. A failed write is logged
 * and tried again at the next beat (registration included); it never stops the job.
 */
public final class DriverHeartbeat implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DriverHeartbeat.class);

    private final DriverTable table;
    private final Duration interval;
    private final ScheduledExecutorService timer;
    private volatile DriverRow driver;
    private volatile boolean registered;
    private volatile boolean failing;

    public DriverHeartbeat(DriverTable table, Duration interval) {
        this.table = table;
        this.interval = interval;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "driver-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Registers the driver now (or at the next beats if that fails) and starts beating. */
    public DriverHeartbeat start(DriverRow driver) {
        this.driver = driver;
        beat();
        timer.scheduleWithFixedDelay(this::beat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void beat() {
        try {
            if (!registered) {
                table.register(driver);
                registered = true;
                LOG.info("Driver registered: {}", driver);
            } else {
                table.heartbeat(Instant.now());
            }
            if (failing) {
                failing = false;
                LOG.info("Driver heartbeat written again");
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.warn("Could not write the driver heartbeat (will retry every {}): {}", interval, e.getMessage());
            }
        }
    }

    /** The job ended cleanly: stops beating and sets {@code stopped_at} (once; a failure is logged). */
    public void stopped() throws InterruptedException {
        close();
        if (driver == null) {
            return;
        }
        try {
            if (!registered) {
                table.register(driver);
            }
            table.stopped(Instant.now());
            LOG.info("Driver row marked stopped");
        } catch (RuntimeException e) {
            LOG.warn("Could not mark the driver row stopped: {}", e.getMessage());
        }
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(10, TimeUnit.SECONDS);
    }
}
