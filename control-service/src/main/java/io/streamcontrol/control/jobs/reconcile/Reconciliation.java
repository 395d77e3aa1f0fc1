package io.streamcontrol.control.jobs.reconcile;

import io.streamcontrol.contract.settings.Durations;
import io.streamcontrol.contract.tables.DriverTable.DriverRow;
import io.streamcontrol.control.jobs.lifecycle.DesiredState;
import io.streamcontrol.control.jobs.lifecycle.Job;
import io.streamcontrol.control.jobs.lifecycle.JobState;
import io.streamcontrol.control.jobs.lifecycle.JobStatus;
import io.streamcontrol.control.jobs.settings.RestartPolicy;
import io.streamcontrol.control.launcher.DriverState;
import java.time.Duration;
import java.time.Instant;

/**
 * The reconciliation decision for one job: from what is stored (desired state, last observed status) and what is
 * observed now, the one thing to do. Pure; the loop in {@link Reconciler} gathers the observation and acts.
 */
final class Reconciliation {

    /**
     * What is seen of the job's current launch now.
     *
     * @param handleState the launcher handle's state if this instance launched it, else null
     * @param driver the driver's own row if it belongs to the current launch, else null
     * @param driverAlive the driver row is fresh and, for a driver on this host, its process is alive
     * @param processLeft the handle's state is final, yet a process of the launch still runs on this host (a driver
     *     whose Spark context stopped on the launcher's stop while its main thread hangs)
     */
    record Observation(DriverState handleState, DriverRow driver, boolean driverAlive, boolean processLeft) {

        Observation(DriverState handleState, DriverRow driver, boolean driverAlive) {
            this(handleState, driver, driverAlive, false);
        }
    }

    /** What to do. */
    sealed interface Action {
    }

    record Nothing() implements Action {
    }

    /** Launch the job; {@code restart} counts it as another attempt of the policy. */
    record Launch(boolean restart, String reason) implements Action {
    }

    /** Record that the driver is in {@code state} (it ended, or it was found again without a handle). */
    record Mark(JobState state, String reason) implements Action {
    }

    /**
     * The driver of a launch this instance watches wrote its row: the job runs (in cluster deploy mode the first
     * sign of it; in local and client mode the launcher usually says it first).
     */
    record Running(String reason) implements Action {
    }

    /**
     * Found a live driver this instance has no handle for (it restarted, or it leads since a driver another replica
     * launched was running): observe it through its row from now on.
     */
    record Attach(String reason) implements Action {
    }

    record ScheduleRestart(Instant at, String reason) implements Action {
    }

    /** The run stayed healthy long enough: the restart count starts again ({@link RestartPolicy#resetAfter}). */
    record ResetAttempts(String reason) implements Action {
    }

    /** The graceful stop took too long: the launcher's stop (or SIGTERM without a handle). */
    record EscalateStop(String reason) implements Action {
    }

    record Kill(JobState then, String reason) implements Action {
    }

    /** A running job that should be stopped and is not stopping: begin a graceful stop. */
    record BeginStop(String reason) implements Action {
    }

    /** The timings decisions depend on. */
    record Timeouts(Duration startTimeout, Duration stopGrace) {
    }

    private Reconciliation() {
    }

    static Action decide(Job job, Observation observed, Instant now, Timeouts timeouts, boolean attachedHere) {
        JobStatus status = job.status();
        Observation seen = decisive(observed);
        JobState state = status.state();
        if (state == JobState.STOPPING) {
            return whileStopping(status, seen, now, timeouts);
        }
        if (job.desired() == DesiredState.STOPPED) {
            return state.hasDriver() ? new BeginStop("the job should be stopped") : new Nothing();
        }
        return switch (state) {
            case STOPPED -> new Launch(false, "started again after a graceful stop"
                    + (status.configChanged() ? " (reconfigured)" : ""));
            case FAILED, KILLED, LOST -> restartByPolicy(job, now);
            case SUBMITTED, STARTING, RUNNING -> {
                Action running = whileRunning(status, seen, now, timeouts, attachedHere);
                yield running instanceof Nothing ? resetAfterHealthyRun(job, now) : running;
            }
            case STOPPING -> new Nothing();
        };
    }

    private static Action restartByPolicy(Job job, Instant now) {
        JobStatus status = job.status();
        RestartPolicy policy = job.config().restartPolicy();
        if (!policy.allowsRestartAfter(status.attempt())) {
            return new Nothing();
        }
        if (status.nextRestartAt() == null) {
            Duration delay = policy.delayAfter(status.attempt());
            return new ScheduleRestart(now.plus(delay), "restart " + status.attempt() + " of " + policy.maxAttempts()
                    + " in " + Durations.format(delay));
        }
        return now.isBefore(status.nextRestartAt()) ? new Nothing()
                : new Launch(true, "restart " + status.attempt() + " of " + policy.maxAttempts() + " by the restart policy");
    }

    private static Action resetAfterHealthyRun(Job job, Instant now) {
        JobStatus status = job.status();
        RestartPolicy policy = job.config().restartPolicy();
        return status.state() == JobState.RUNNING
                && policy.resetsAfterHealthyRun(status.attempt(), status.runningSince(), now)
                ? new ResetAttempts("running since " + status.runningSince() + ", longer than the restart policy's"
                        + " resetAfter (" + Durations.format(policy.resetAfter())
                        + "): restart count reset after attempt " + status.attempt())
                : new Nothing();
    }

    private static Action whileRunning(JobStatus status, Observation seen, Instant now, Timeouts timeouts,
            boolean attachedHere) {
        boolean starting = status.state() != JobState.RUNNING;
        boolean startOverdue = starting && status.launchedAt() != null
                && status.launchedAt().plus(timeouts.startTimeout()).isBefore(now);
        if (seen.handleState() != null) {
            if (seen.handleState().isFinal()) {
                return endedByLauncher(seen);
            }
            if (starting && seen.driverAlive()) {
                return new Running("driver running: its row reports app " + seen.driver().appId() + " (pid "
                        + seen.driver().pid() + " on " + seen.driver().host() + ")");
            }
            return startOverdue && seen.driver() == null
                    ? new Kill(JobState.FAILED, "not running " + timeouts.startTimeout().toSeconds() + "s after launch")
                    : new Nothing();
        }
        if (seen.driver() != null && seen.driver().stoppedCleanly()) {
            return new Mark(JobState.STOPPED, "the driver stopped gracefully on a request not made through this"
                    + " service");
        }
        if (seen.driverAlive()) {
            return attachedHere && !starting ? new Nothing()
                    : new Attach("re-attached to live driver " + seen.driver().appId() + " (pid " + seen.driver().pid()
                            + "), found by its heartbeat (after a restart of the service or a change of leader)");
        }
        if (seen.driver() == null && !startOverdue && starting) {
            return new Nothing(); // launched moments before this instance started; its row may not exist yet
        }
        return new Mark(JobState.LOST, seen.driver() == null
                ? "no driver of this launch was found, and this service instance has no handle on it"
                : "the driver's heartbeat stopped at " + seen.driver().heartbeatAt()
                        + ", and this service instance has no handle on it");
    }

    private static Action whileStopping(JobStatus status, Observation seen, Instant now, Timeouts timeouts) {
        if (seen.handleState() != null && seen.handleState().isFinal()) {
            return endedByLauncher(seen);
        }
        if (seen.handleState() == null) {
            if (seen.driver() != null && seen.driver().stoppedCleanly()) {
                return new Mark(JobState.STOPPED, "stopped gracefully");
            }
            if (!seen.driverAlive()) {
                return new Mark(JobState.LOST, "the driver ended before its graceful stop completed");
            }
        }
        if (status.stopEscalatedAt() == null) {
            return status.stopDeadline() != null && now.isAfter(status.stopDeadline())
                    ? new EscalateStop("graceful stop not done by " + status.stopDeadline())
                    : new Nothing();
        }
        return now.isAfter(status.stopEscalatedAt().plus(timeouts.stopGrace()))
                ? new Kill(JobState.KILLED, "graceful stop timed out; the launcher's stop did not end the driver")
                : new Nothing();
    }

    /**
     * The launcher reports the driver ended; it has ended only once its process is gone (KILLED and FAILED mean no
     * driver is left): a process of the launch still running is killed first.
     */
    private static Action endedByLauncher(Observation seen) {
        String reported = "the launcher reports " + seen.handleState();
        return seen.processLeft()
                ? new Kill(JobState.endedAs(seen.handleState()), reported + ", but the driver process still ran")
                : new Mark(JobState.endedAs(seen.handleState()), reported);
    }

    /**
     * The launcher's FAILED and KILLED are final words. Its FINISHED and LOST are not: in local mode a graceful stop
     * closes the launcher connection (LOST) while the driver is still completing its last batches and before it exits;
     * whether it ended cleanly is in its own row ({@code stopped_at}), so the row decides.
     */
    private static Observation decisive(Observation seen) {
        DriverState handle = seen.handleState();
        return handle == DriverState.LOST || handle == DriverState.FINISHED
                ? new Observation(null, seen.driver(), seen.driverAlive(), false)
                : seen;
    }
}
