package io.streamcontrol.control.jobs.lifecycle;

import static io.streamcontrol.control.jobs.lifecycle.TestJobs.NOW;
import static io.streamcontrol.control.jobs.lifecycle.TestJobs.job;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamcontrol.control.jobs.lifecycle.StandbyDrivers.Standby;
import io.streamcontrol.control.jobs.settings.JobConfig;
import io.streamcontrol.control.jobs.settings.TestSettings;
import io.streamcontrol.control.launcher.DriverHandle;
import io.streamcontrol.control.launcher.DriverState;
import io.streamcontrol.control.launcher.SparkSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StandbyDriversTest {

    static final SparkSpec LOCAL = new SparkSpec("local[4]", "client", "768m", 1, "1g", 1, Map.of());
    static final List<String> ARGUMENTS = List.of("--checkpoint", "file:///c", "--job-name", "sales",
            "--keyspace", "ks", "--launch-id", "standby-1",
            "--batch-interval", "5s", "--receivers", "2", "--resume", "true");

    /** A handle whose state the test sets, which records kills. */
    static final class TestHandle implements DriverHandle {
        DriverState state = DriverState.RUNNING;
        int kills;

        @Override
        public String launchId() {
            return "standby-1";
        }

        @Override
        public DriverState state() {
            return state;
        }

        @Override
        public Optional<String> appId() {
            return Optional.of("local-1");
        }

        @Override
        public void stop() {
        }

        @Override
        public void kill() {
            kills++;
            state = DriverState.KILLED;
        }
    }

    static StandbyDrivers standbys(boolean enabled) {
        return new StandbyDrivers(TestSettings.properties(enabled));
    }

    static Standby standby(TestHandle handle) {
        return new Standby("sales", "standby-1", handle, LOCAL, ARGUMENTS, Path.of("standby.log"),
                "http://127.0.0.1:4041", NOW);
    }

    static List<String> with(String name, String value) {
        List<String> arguments = new ArrayList<>(ARGUMENTS);
        int at = arguments.indexOf("--" + name);
        if (at < 0) {
            arguments.addAll(List.of("--" + name, value));
        } else {
            arguments.set(at + 1, value);
        }
        return arguments;
    }

    @Test
    void aJobWithoutADriverWhoseDriverRunsHereIsWantedOnlyWhenEnabled() {
        Job stopped = job(DesiredState.STOPPED, JobState.STOPPED);
        assertThat(standbys(true).wanted(stopped, NOW)).isTrue();
        assertThat(standbys(false).wanted(stopped, NOW)).isFalse();
        assertThat(standbys(true).wanted(job(DesiredState.RUNNING, JobState.FAILED), NOW)).isTrue();
        for (JobState withDriver : List.of(JobState.SUBMITTED, JobState.STARTING, JobState.RUNNING,
                JobState.STOPPING)) {
            assertThat(standbys(true).wanted(job(DesiredState.RUNNING, withDriver), NOW)).as("%s", withDriver)
                    .isFalse();
        }
        JobConfig onCluster = new JobConfig(stopped.config().settings(), new SparkSpec("spark://master:7077",
                "cluster", "768m", 1, "1g", 1, Map.of()), stopped.config().restartPolicy());
        Job clusterJob = new Job("sales", onCluster, DesiredState.STOPPED, stopped.status(), 1, NOW, NOW);
        assertThat(standbys(true).wanted(clusterJob, NOW)).as("a driver on a worker of a cluster").isFalse();
    }

    @Test
    void aStandbyFitsArgumentsThatNeedTheSameDriverAndTheSameSparkSettings() {
        Standby standby = standby(new TestHandle());
        assertThat(standby.fits(LOCAL, ARGUMENTS)).isTrue();
        assertThat(standby.fits(LOCAL, with("batch-interval", "2s"))).as("read when a streaming context starts")
                .isTrue();
        assertThat(standby.fits(LOCAL, with("receivers", "3"))).as("another number of receivers").isFalse();
        assertThat(standby.fits(LOCAL, with("output-batch-size-rows", "16"))).as("in the Spark configuration")
                .isFalse();
        assertThat(standby.fits(new SparkSpec("local[4]", "client", "1g", 1, "1g", 1, Map.of()), ARGUMENTS))
                .as("another driver memory").isFalse();
        TestHandle ended = new TestHandle();
        ended.state = DriverState.FAILED;
        assertThat(standby(ended).fits(LOCAL, ARGUMENTS)).as("a standby that ended").isFalse();
    }

    @Test
    void aStartTakesTheStandbyOfItsLaunchOnce() {
        StandbyDrivers standbys = standbys(true);
        standbys.add(standby(new TestHandle()));
        assertThat(standbys.take("sales", "another-launch")).isEmpty();
        assertThat(standbys.take("sales", "standby-1")).isPresent();
        assertThat(standbys.take("sales", "standby-1")).as("taken already").isEmpty();
        assertThat(standbys.of("sales")).isEmpty();
    }

    @Test
    void aStandbyThatFailsOnItsOwnIsForgottenAndItsJobWaitsBeforeTheNextOne() {
        StandbyDrivers standbys = standbys(true);
        standbys.add(standby(new TestHandle()));
        standbys.stateChanged("standby-1", DriverState.RUNNING, NOW);
        assertThat(standbys.of("sales")).isPresent();
        standbys.stateChanged("standby-1", DriverState.FAILED, NOW);
        assertThat(standbys.of("sales")).isEmpty();
        Job stopped = job(DesiredState.STOPPED, JobState.STOPPED);
        assertThat(standbys.wanted(stopped, NOW.plusSeconds(30))).isFalse();
        assertThat(standbys.wanted(stopped, NOW.plus(StandbyDrivers.AFTER_FAILURE).plusSeconds(1))).isTrue();
    }

    @Test
    void aStandbyThatWaitedItsIdleTimeOutIsReplacedAtOnce() {
        StandbyDrivers standbys = standbys(true);
        standbys.add(standby(new TestHandle()));
        standbys.stateChanged("standby-1", DriverState.FINISHED, NOW);
        assertThat(standbys.of("sales")).isEmpty();
        assertThat(standbys.wanted(job(DesiredState.STOPPED, JobState.STOPPED), NOW)).isTrue();
    }

    @Test
    void retiringKillsTheStandbyAndTheServiceStoppingKillsThemAll() {
        StandbyDrivers standbys = standbys(true);
        TestHandle handle = new TestHandle();
        standbys.add(standby(handle));
        assertThat(standbys.jobsOtherThan(Set.of("sales"))).isEmpty();
        assertThat(standbys.jobsOtherThan(Set.of("other"))).containsExactly("sales");
        assertThat(standbys.retire("sales", "test")).isPresent();
        assertThat(handle.kills).isEqualTo(1);
        standbys.stateChanged("standby-1", DriverState.KILLED, NOW);
        assertThat(standbys.wanted(job(DesiredState.STOPPED, JobState.STOPPED), NOW)).as("killed by us").isTrue();

        TestHandle last = new TestHandle();
        standbys.add(standby(last));
        standbys.killAll();
        assertThat(last.kills).isEqualTo(1);
        assertThat(standbys.of("sales")).isEmpty();
    }
}
