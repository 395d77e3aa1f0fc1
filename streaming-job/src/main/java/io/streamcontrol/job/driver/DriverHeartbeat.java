package io.streamcontrol.job.driver;

import io.streamcontrol.contract.tables.DriverTable;
import io.streamcontrol.contract.tables.DriverTable.DriverRow;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the driver's {@link DriverTable} row current: registers it at start, refreshes {@code heartbeat_at} every
 * interval (also while a graceful stop drains), and sets {@code stopped_at} on a clean end. A failed write is logged
 * and tried again at the next beat (registration included); when the writes keep failing for longer than the
 * outage's limit, the heartbeat hands the outage's start to {@code onOutage}, once.
 */
public final class DriverHeartbeat implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DriverHeartbeat.class);

    private final DriverTable table;
    private final Duration interval;
    private final ScheduledExecutorService timer;
    private volatile DriverRow driver;
    private volatile boolean registered;
    private volatile boolean failing;
    private final CassandraOutage outage;
    private final Consumer<Instant> onOutage;
    private volatile boolean gaveUp;

    public DriverHeartbeat(DriverTable table, Duration interval, CassandraOutage outage, Consumer<Instant> onOutage) {
        this.table = table;
        this.interval = interval;
        this.outage = outage;
        this.onOutage = onOutage;
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
            outage.reached();
            if (failing) {
                failing = false;
                LOG.info("Driver heartbeat written again");
            }
        } catch (RuntimeException e) {
            Instant now = Instant.now();
            outage.failed(now);
            if (!failing) {
                failing = true;
                LOG.warn("Could not write the driver heartbeat (will retry every {}): {}", interval, e.getMessage());
            }
            outage.beyondLimit(now).filter(since -> !gaveUp).ifPresent(since -> {
                gaveUp = true;
                onOutage.accept(since);
            });
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
