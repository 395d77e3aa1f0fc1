package io.streamcontrol.control.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import org.apache.spark.launcher.SparkAppHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A driver submitted in cluster deploy mode to a standalone master. The launcher's handle covers only spark-submit,
 * which ends once the master accepted the driver: its output gives the driver id, and from then on the master's REST
 * submission server is the source of the driver's state (polled, reported to the listener like the launcher's
 * callbacks) and the way to kill it.
 */
final class ClusterDriverHandle implements DriverHandle {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterDriverHandle.class);

    /** A driver whose masters did not answer for this long is reported LOST (its own row decides then). */
    static final Duration UNANSWERED_LIMIT = Duration.ofMinutes(10);

    private final String launchId;
    private final String master;
    private final Path submitOutput;
    private final StandaloneMaster masters;
    private final DriverListener listener;
    private volatile SparkAppHandle submit;
    private volatile ScheduledFuture<?> polling;
    private volatile String submissionId;
    private volatile DriverState state = DriverState.SUBMITTED;
    private volatile boolean killRequested;
    private volatile Instant lastAnswer = Instant.now();

    ClusterDriverHandle(String launchId, String master, Path submitOutput, StandaloneMaster masters,
            DriverListener listener) {
        this.launchId = launchId;
        this.master = master;
        this.submitOutput = submitOutput;
        this.masters = masters;
        this.listener = listener;
    }

    /** spark-submit started, and this handle's polls are scheduled. */
    void submitting(SparkAppHandle submit, ScheduledFuture<?> polling) {
        this.submit = submit;
        this.polling = polling;
    }

    /** One look at the submission, then at the master; runs on the platform's poll thread only. */
    synchronized void poll() {
        try {
            if (state.isFinal()) {
                cancel();
                return;
            }
            if (submissionId == null && !readSubmission()) {
                return;
            }
            Optional<StandaloneMaster.DriverStatus> status = masters.status(master, submissionId);
            Instant now = Instant.now();
            if (status.isPresent()) {
                lastAnswer = now;
                report(status.get().state());
            } else if (Duration.between(lastAnswer, now).compareTo(UNANSWERED_LIMIT) > 0) {
                LOG.warn("No master of {} answered for driver {} since {}", master, submissionId, lastAnswer);
                report(DriverState.LOST);
            }
        } catch (RuntimeException e) {
            LOG.warn("Polling driver {} of launch {} failed", submissionId, launchId, e);
        }
    }

    /** Whether the driver id is known; reads it from spark-submit's output once spark-submit has ended. */
    private boolean readSubmission() {
        SparkAppHandle process = submit;
        if (process == null || !process.getState().isFinal()) {
            return false; // spark-submit still runs
        }
        Optional<String> id = driverIdInOutput();
        if (id.isEmpty()) {
            LOG.warn("spark-submit of launch {} ended ({}) without a driver id in {}", launchId, process.getState(),
                    submitOutput);
            report(killRequested ? DriverState.KILLED : DriverState.FAILED);
            return false;
        }
        submissionId = id.get();
        listener.submitted(launchId, submissionId);
        if (killRequested) {
            masters.kill(master, submissionId); // killed while spark-submit was still running
        }
        return true;
    }

    private Optional<String> driverIdInOutput() {
        try {
            List<String> lines = Files.readAllLines(submitOutput, StandardCharsets.ISO_8859_1);
            return StandaloneCluster.driverId(lines);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void report(DriverState next) {
        if (next != state) {
            state = next;
            listener.stateChanged(launchId, next);
        }
        if (next.isFinal()) {
            cancel();
        }
    }

    private void cancel() {
        ScheduledFuture<?> scheduled = polling;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }

    @Override
    public String launchId() {
        return launchId;
    }

    @Override
    public DriverState state() {
        return state;
    }

    /** The driver's app id is in its own row; the master's REST server does not tell it. */
    @Override
    public Optional<String> appId() {
        return Optional.empty();
    }

    /** The driver id once spark-submit's output gave it (the listener hears of it then: {@code submitted}). */
    Optional<String> submissionId() {
        return Optional.ofNullable(submissionId);
    }

    /** The master offers no stop but its kill, which begins with SIGTERM: Spark's shutdown hook stops the driver. */
    @Override
    public void stop() {
        kill();
    }

    /**
     * Kills the driver through the master (its worker: SIGTERM, SIGKILL after 10 s). While spark-submit still runs,
     * kills that, and the next poll kills a driver the master had accepted meanwhile.
     */
    @Override
    public void kill() {
        killRequested = true;
        String id = submissionId;
        if (id != null) {
            masters.kill(master, id);
            return;
        }
        SparkAppHandle process = submit;
        if (process != null && !process.getState().isFinal()) {
            process.kill();
        }
    }
}
