package io.streamcontrol.control.jobs.reconcile;

import static io.streamcontrol.control.jobs.lifecycle.TestJobs.NOW;
import static io.streamcontrol.control.jobs.lifecycle.TestJobs.job;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamcontrol.contract.tables.DriverTable.DriverRow;
import io.streamcontrol.control.jobs.lifecycle.DesiredState;
import io.streamcontrol.control.jobs.lifecycle.Job;
import io.streamcontrol.control.jobs.lifecycle.JobState;
import io.streamcontrol.control.jobs.reconcile.Reconciliation.Action;
import io.streamcontrol.control.jobs.reconcile.Reconciliation.Attach;
import io.streamcontrol.control.jobs.reconcile.Reconciliation.BeginStop;
import io.streamcontrol.control.jobs.reconcile.Reconciliation.EscalateStop;
import io.streamcontrol.control.jobs.reconcile.Reconciliation.Kill;
import io.streamcontrol.control.jobs.reconcile.Reconciliation.Launch;
import io.streamcontrol.control.jobs.reconcile.Reconciliation.Mark;
import io.streamcontrol.control.jobs.reconcile.Reconciliation.Nothing;
import io.streamcontrol.control.jobs.reconcile.Reconciliation.Observation;
import io.streamcontrol.control.jobs.reconcile.Reconciliation.ResetAttempts;
import io.streamcontrol.control.jobs.reconcile.Reconciliation.Running;
import io.streamcontrol.control.jobs.reconcile.Reconciliation.ScheduleRestart;
import io.streamcontrol.control.jobs.settings.RestartPolicy;
import io.streamcontrol.control.launcher.DriverState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReconciliationTest {

    static final Reconciliation.Timeouts TIMEOUTS = new Reconciliation.Timeouts(Duration.ofMinutes(3),
            Duration.ofSeconds(10));
    static final Observation NO_DRIVER = new Observation(null, null, false);

    static DriverRow driver(Instant heartbeat, Instant stoppedAt) {
        return new DriverRow("sales", "launch-1", "app-1", 42, "127.0.0.1", "http://127.0.0.1:4040", NOW.minusSeconds(50),
                heartbeat, stoppedAt);
    }

    static Action decide(Job job, Observation seen, boolean attached) {
        return Reconciliation.decide(job, seen, NOW, TIMEOUTS, attached);
    }

    @Test
    void aRunningJobWithItsHandleNeedsNothing() {
        assertThat(decide(job(DesiredState.RUNNING, JobState.RUNNING), new Observation(DriverState.RUNNING, null, false),
                true)).isInstanceOf(Nothing.class);
    }

    @Test
    void aDriverFoundAliveWithoutAHandleIsReattachedOnceAfterARestartOfTheService() {
        Observation alive = new Observation(null, driver(NOW.minusSeconds(2), null), true);
        assertThat(decide(job(DesiredState.RUNNING, JobState.RUNNING), alive, false)).isInstanceOf(Attach.class);
        assertThat(decide(job(DesiredState.RUNNING, JobState.RUNNING), alive, true)).isInstanceOf(Nothing.class);
        assertThat(decide(job(DesiredState.RUNNING, JobState.STARTING), alive, true)).isInstanceOf(Attach.class);
    }

    @Test
    void aDriverWhoseHeartbeatStoppedWithoutAHandleIsLost() {
        Observation stale = new Observation(null, driver(NOW.minusSeconds(60), null), false);
        assertThat(decide(job(DesiredState.RUNNING, JobState.RUNNING), stale, false))
                .isEqualTo(new Mark(JobState.LOST, "the driver's heartbeat stopped at " + NOW.minusSeconds(60)
                        + ", and this service instance has no handle on it"));
    }

    @Test
    void aLaunchWithNoDriverRowIsGivenUntilTheStartTimeout() {
        assertThat(decide(job(DesiredState.RUNNING, JobState.SUBMITTED), NO_DRIVER, false)).isInstanceOf(Nothing.class);
        Job overdue = job(DesiredState.RUNNING, JobState.SUBMITTED, b -> b.launchedAt(NOW.minusSeconds(200)));
        assertThat(decide(overdue, NO_DRIVER, false)).isInstanceOf(Mark.class)
                .extracting(a -> ((Mark) a).state()).isEqualTo(JobState.LOST);
        assertThat(decide(overdue, new Observation(DriverState.CONNECTED, null, false), true))
                .isEqualTo(new Kill(JobState.FAILED, "not running 180s after launch"));
    }

    @Test
    void aWatchedLaunchRunsOnceItsDriverWroteItsRow() {
        Observation rowWritten = new Observation(DriverState.CONNECTED, driver(NOW.minusSeconds(1), null), true);
        Running running = new Running("driver running: its row reports app app-1 (pid 42 on 127.0.0.1)");
        assertThat(decide(job(DesiredState.RUNNING, JobState.STARTING), rowWritten, true)).isEqualTo(running);
        assertThat(decide(job(DesiredState.RUNNING, JobState.SUBMITTED), rowWritten, true)).isEqualTo(running);
        assertThat(decide(job(DesiredState.RUNNING, JobState.RUNNING), rowWritten, true)).isInstanceOf(Nothing.class);
        Observation noRowYet = new Observation(DriverState.CONNECTED, null, false);
        assertThat(decide(job(DesiredState.RUNNING, JobState.STARTING), noRowYet, true)).isInstanceOf(Nothing.class);
        Observation staleRow = new Observation(DriverState.CONNECTED, driver(NOW.minusSeconds(60), null), false);
        assertThat(decide(job(DesiredState.RUNNING, JobState.STARTING), staleRow, true)).isInstanceOf(Nothing.class);
    }

    @Test
    void aClusterDriverTheMasterNeverStartedIsKilledAfterTheStartTimeout() {
        Job overdue = job(DesiredState.RUNNING, JobState.SUBMITTED, b -> b.launchedAt(NOW.minusSeconds(200)));
        assertThat(decide(overdue, new Observation(DriverState.SUBMITTED, null, false), true))
                .isEqualTo(new Kill(JobState.FAILED, "not running 180s after launch"));
    }

    @Test
    void aLaunchThatEndedIsRecordedFromTheHandle() {
        assertThat(decide(job(DesiredState.RUNNING, JobState.RUNNING), new Observation(DriverState.FAILED, null, false),
                true)).isEqualTo(new Mark(JobState.FAILED, "the launcher reports FAILED"));
        Observation finishedCleanly = new Observation(DriverState.FINISHED, driver(NOW.minusSeconds(3), NOW), false);
        assertThat(decide(job(DesiredState.RUNNING, JobState.RUNNING), finishedCleanly, true))
                .extracting(a -> ((Mark) a).state()).isEqualTo(JobState.STOPPED);
    }

    @Test
    void aFailedJobIsRestartedAfterTheBackoffWhileAttemptsRemain() {
        Job failed = job(DesiredState.RUNNING, JobState.FAILED);
        assertThat(decide(failed, NO_DRIVER, false)).isEqualTo(new ScheduleRestart(NOW.plusSeconds(10),
                "restart 1 of 2 in 10s"));
        Job waiting = job(DesiredState.RUNNING, JobState.FAILED, b -> b.nextRestartAt(NOW.plusSeconds(5)));
        assertThat(decide(waiting, NO_DRIVER, false)).isInstanceOf(Nothing.class);
        Job due = job(DesiredState.RUNNING, JobState.LOST, b -> b.nextRestartAt(NOW.minusSeconds(1)));
        assertThat(decide(due, NO_DRIVER, false)).isEqualTo(new Launch(true, "restart 1 of 2 by the restart policy"));
        Job exhausted = job(DesiredState.RUNNING, JobState.FAILED, b -> b.attempt(3));
        assertThat(decide(exhausted, NO_DRIVER, false)).isInstanceOf(Nothing.class);
        assertThat(decide(job(DesiredState.STOPPED, JobState.FAILED), NO_DRIVER, false)).isInstanceOf(Nothing.class);
    }

    @Test
    void aGracefullyStoppedJobThatShouldRunStartsAgain() {
        assertThat(decide(job(DesiredState.RUNNING, JobState.STOPPED), NO_DRIVER, false))
                .isEqualTo(new Launch(false, "started again after a graceful stop"));
        assertThat(decide(job(DesiredState.RUNNING, JobState.STOPPED, b -> b.configChanged(true)), NO_DRIVER, false))
                .isEqualTo(new Launch(false, "started again after a graceful stop (reconfigured)"));
        assertThat(decide(job(DesiredState.STOPPED, JobState.STOPPED), NO_DRIVER, false)).isInstanceOf(Nothing.class);
    }

    @Test
    void aDriverTheLauncherReportsEndedCountsAsEndedOnlyOnceItsProcessIsGone() {
        Job stopping = job(DesiredState.STOPPED, JobState.STOPPING, b -> b.stopDeadline(NOW.minusSeconds(30))
                .stopEscalatedAt(NOW.minusSeconds(2)));
        Observation killedButRunning = new Observation(DriverState.KILLED, driver(NOW.minusSeconds(1), null), true,
                true);
        assertThat(decide(stopping, killedButRunning, true)).isEqualTo(new Kill(JobState.KILLED,
                "the launcher reports KILLED, but the driver process still ran"));
        assertThat(decide(stopping, new Observation(DriverState.KILLED, driver(NOW.minusSeconds(1), null), false,
                false), true)).isEqualTo(new Mark(JobState.KILLED, "the launcher reports KILLED"));
        Observation failedButRunning = new Observation(DriverState.FAILED, driver(NOW.minusSeconds(1), null), true,
                true);
        assertThat(decide(job(DesiredState.RUNNING, JobState.RUNNING), failedButRunning, true)).isEqualTo(new Kill(
                JobState.FAILED, "the launcher reports FAILED, but the driver process still ran"));
    }

    @Test
    void aRunHealthyForTheResetTimeStartsTheRestartCountAgain() {
        Observation running = new Observation(DriverState.RUNNING, driver(NOW.minusSeconds(1), null), true);
        Job third = job(DesiredState.RUNNING, JobState.RUNNING, b -> b.attempt(3).runningSince(NOW.minusSeconds(3600)));
        assertThat(decide(third, running, true)).isEqualTo(new ResetAttempts("running since "
                + NOW.minusSeconds(3600) + ", longer than the restart policy's resetAfter (1h): restart count reset"
                + " after attempt 3"));
        Job young = job(DesiredState.RUNNING, JobState.RUNNING, b -> b.attempt(3).runningSince(NOW.minusSeconds(3599)));
        assertThat(decide(young, running, true)).isInstanceOf(Nothing.class);
        Job first = job(DesiredState.RUNNING, JobState.RUNNING, b -> b.attempt(1).runningSince(NOW.minusSeconds(7200)));
        assertThat(decide(first, running, true)).as("nothing to reset").isInstanceOf(Nothing.class);
        Job starting = job(DesiredState.RUNNING, JobState.STARTING, b -> b.attempt(3).runningSince(null));
        assertThat(decide(starting, new Observation(DriverState.CONNECTED, null, false), true))
                .isInstanceOf(Nothing.class);
        assertThat(new RestartPolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO)
                .resetsAfterHealthyRun(3, NOW.minusSeconds(86_400), NOW)).as("0s = never").isFalse();
    }

    @Test
    void aGracefulStopEscalatesToTheLaunchersStopThenToAKill() {
        Observation running = new Observation(DriverState.RUNNING, driver(NOW.minusSeconds(1), null), true);
        Job inTime = job(DesiredState.STOPPED, JobState.STOPPING, b -> b.stopDeadline(NOW.plusSeconds(5)));
        assertThat(decide(inTime, running, true)).isInstanceOf(Nothing.class);
        Job late = job(DesiredState.STOPPED, JobState.STOPPING, b -> b.stopDeadline(NOW.minusSeconds(1)));
        assertThat(decide(late, running, true)).isInstanceOf(EscalateStop.class);
        Job escalated = job(DesiredState.STOPPED, JobState.STOPPING, b -> b.stopDeadline(NOW.minusSeconds(20))
                .stopEscalatedAt(NOW.minusSeconds(5)));
        assertThat(decide(escalated, running, true)).isInstanceOf(Nothing.class);
        Job graceOver = job(DesiredState.STOPPED, JobState.STOPPING, b -> b.stopDeadline(NOW.minusSeconds(30))
                .stopEscalatedAt(NOW.minusSeconds(11)));
        assertThat(decide(graceOver, running, true)).isInstanceOf(Kill.class)
                .extracting(a -> ((Kill) a).then()).isEqualTo(JobState.KILLED);
    }

    @Test
    void aStopEndsWhenTheDriverFinishesOrReportsItsCleanStop() {
        Job stopping = job(DesiredState.STOPPED, JobState.STOPPING, b -> b.stopDeadline(NOW.plusSeconds(60)));
        Observation connectionClosedStillStopping = new Observation(DriverState.LOST, driver(NOW.minusSeconds(1), null),
                true);
        assertThat(decide(stopping, connectionClosedStillStopping, true)).isInstanceOf(Nothing.class);
        assertThat(decide(stopping, new Observation(DriverState.LOST, driver(NOW, NOW), false), true))
                .isEqualTo(new Mark(JobState.STOPPED, "stopped gracefully"));
        assertThat(decide(stopping, new Observation(DriverState.FAILED, driver(NOW, null), true), true))
                .extracting(a -> ((Mark) a).state()).isEqualTo(JobState.FAILED);
        assertThat(decide(stopping, new Observation(null, driver(NOW.minusSeconds(2), NOW.minusSeconds(1)), false),
                false)).extracting(a -> ((Mark) a).state()).isEqualTo(JobState.STOPPED);
        assertThat(decide(stopping, NO_DRIVER, false)).extracting(a -> ((Mark) a).state()).isEqualTo(JobState.LOST);
    }

    @Test
    void aDriverThatShouldBeStoppedIsAskedToStop() {
        assertThat(decide(job(DesiredState.STOPPED, JobState.RUNNING), new Observation(DriverState.RUNNING, null,
                false), true)).isInstanceOf(BeginStop.class);
    }

    @Test
    void theBackoffDoublesUpToItsMaximum() {
        RestartPolicy policy = new RestartPolicy(5, Duration.ofSeconds(10), Duration.ofSeconds(35), Duration.ZERO);
        assertThat(policy.delayAfter(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.delayAfter(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(policy.delayAfter(3)).isEqualTo(Duration.ofSeconds(35));
        assertThat(policy.delayAfter(9)).isEqualTo(Duration.ofSeconds(35));
        assertThat(policy.allowsRestartAfter(5)).isTrue();
        assertThat(policy.allowsRestartAfter(6)).isFalse();
        assertThat(new RestartPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO).allowsRestartAfter(1)).isFalse();
    }
}
