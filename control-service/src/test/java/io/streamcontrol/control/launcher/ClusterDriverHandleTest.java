package io.streamcontrol.control.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.apache.spark.launcher.SparkAppHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster-mode handle against a scripted master and spark-submit: what it reports and whom it asks. */
class ClusterDriverHandleTest {

    static final String MASTER = "spark://127.0.0.1:6066";
    static final String ID = "driver-20261121120235-0001";

    @TempDir
    Path dir;

    /** The master does not know the driver. */
    static final String UNKNOWN = "(unknown)";

    /**
     * A master that answers the scripted states in turn (the last one again; none: no answer) and records kills.
     */
    static final class ScriptedMaster extends StandaloneMaster {
        final Deque<String> states = new ArrayDeque<>();
        final List<String> asked = new ArrayList<>();
        final List<String> killed = new ArrayList<>();

        ScriptedMaster answering(String... masterStates) {
            states.addAll(List.of(masterStates));
            return this;
        }

        @Override
        public Optional<DriverStatus> status(String master, String submissionId) {
            asked.add(submissionId);
            String state = states.size() > 1 ? states.poll() : states.peek();
            return state == null ? Optional.empty() : Optional.of(new DriverStatus(submissionId,
                    UNKNOWN.equals(state) ? null : state, "127.0.0.1:1", null));
        }

        @Override
        public Optional<KillAnswer> kill(String master, String submissionId) {
            killed.add(submissionId);
            return Optional.of(new KillAnswer(true, "Kill request for " + submissionId + " submitted"));
        }
    }

    /** spark-submit as the launcher sees it. */
    static final class Submit implements SparkAppHandle {
        volatile State state = State.UNKNOWN;
        volatile boolean killed;

        @Override
        public void addListener(Listener l) {
        }

        @Override
        public State getState() {
            return state;
        }

        @Override
        public String getAppId() {
            return null;
        }

        @Override
        public void stop() {
            throw new IllegalStateException("Application is still not connected.");
        }

        @Override
        public void kill() {
            killed = true;
            state = State.KILLED;
        }

        @Override
        public void disconnect() {
        }

        @Override
        public Optional<Throwable> getError() {
            return Optional.empty();
        }
    }

    static final class Events implements DriverListener {
        final List<String> seen = new ArrayList<>();

        @Override
        public void stateChanged(String launchId, DriverState state) {
            seen.add(state.name());
        }

        @Override
        public void appIdAssigned(String launchId, String appId) {
            seen.add("app " + appId);
        }

        @Override
        public void submitted(String launchId, String submissionId) {
            seen.add("submitted " + submissionId);
        }
    }

    final Events events = new Events();
    final Submit submit = new Submit();

    ClusterDriverHandle handle(ScriptedMaster master, String... output) throws IOException {
        Path log = Files.writeString(dir.resolve("driver.log"), String.join("\n", output) + "\n");
        ClusterDriverHandle handle = new ClusterDriverHandle("launch-1", MASTER, log, master, events);
        handle.submitting(submit, null);
        return handle;
    }

    @Test
    void theDriverIdComesFromSparkSubmitsOutputThenItsStateFromTheMaster() throws IOException {
        ScriptedMaster master = new ScriptedMaster().answering("SUBMITTED", "RUNNING", "RUNNING", "FINISHED");
        ClusterDriverHandle handle = handle(master, "Running Spark using the REST application submission protocol.",
                "INFO RestSubmissionClient: Submission successfully created as " + ID + ". Polling submission state...");
        handle.poll();
        assertThat(master.asked).as("nothing to ask while spark-submit runs").isEmpty();
        assertThat(handle.state()).isEqualTo(DriverState.SUBMITTED);

        submit.state = SparkAppHandle.State.LOST; // spark-submit ended (exit 0): the launcher calls that LOST
        handle.poll();
        assertThat(handle.submissionId()).contains(ID);
        handle.poll();
        handle.poll();
        assertThat(handle.state()).isEqualTo(DriverState.CONNECTED);
        handle.poll();
        handle.poll();
        assertThat(events.seen).containsExactly("submitted " + ID, "CONNECTED", "FINISHED");
        assertThat(master.asked).hasSize(4).containsOnly(ID);
        assertThat(handle.state()).isEqualTo(DriverState.FINISHED);
    }

    @Test
    void aSubmissionWithoutADriverIdFailed() throws IOException {
        ScriptedMaster master = new ScriptedMaster().answering("RUNNING");
        ClusterDriverHandle handle = handle(master, "Exception in thread \"main\" java.io.FileNotFoundException: x.jar");
        submit.state = SparkAppHandle.State.FAILED;
        handle.poll();
        handle.poll();
        assertThat(handle.state()).isEqualTo(DriverState.FAILED);
        assertThat(events.seen).containsExactly("FAILED");
        assertThat(master.asked).isEmpty();
    }

    @Test
    void aKillGoesThroughTheMasterAndAStopToo() throws IOException {
        ScriptedMaster master = new ScriptedMaster().answering("RUNNING", "KILLED");
        ClusterDriverHandle handle = handle(master, "Submission successfully created as " + ID + ".");
        submit.state = SparkAppHandle.State.LOST;
        handle.poll();
        handle.stop();
        handle.kill();
        assertThat(master.killed).containsExactly(ID, ID);
        assertThat(submit.killed).isFalse();
        handle.poll();
        assertThat(events.seen).containsExactly("submitted " + ID, "CONNECTED", "KILLED");
    }

    @Test
    void aKillWhileSparkSubmitRunsEndsItAndThenTheDriverItGotAccepted() throws IOException {
        ScriptedMaster master = new ScriptedMaster().answering("KILLED");
        ClusterDriverHandle handle = handle(master, "Submission successfully created as " + ID + ".");
        handle.kill();
        assertThat(submit.killed).isTrue();
        handle.poll();
        assertThat(master.killed).containsExactly(ID);
        assertThat(events.seen).containsExactly("submitted " + ID, "KILLED");
    }

    @Test
    void aKillBeforeTheMasterAcceptedAnythingIsAKill() throws IOException {
        ScriptedMaster master = new ScriptedMaster();
        ClusterDriverHandle handle = handle(master, "Running Spark using the REST application submission protocol.");
        handle.kill();
        handle.poll();
        assertThat(events.seen).containsExactly("KILLED");
        assertThat(master.killed).isEmpty();
    }

    @Test
    void aMasterThatDoesNotAnswerChangesNothing() throws IOException {
        ScriptedMaster master = new ScriptedMaster();
        ClusterDriverHandle handle = handle(master, "Submission successfully created as " + ID + ".");
        submit.state = SparkAppHandle.State.LOST;
        handle.poll();
        handle.poll();
        assertThat(master.asked).hasSize(2);
        assertThat(handle.state()).isEqualTo(DriverState.SUBMITTED);
        assertThat(events.seen).containsExactly("submitted " + ID);
    }

    @Test
    void aDriverTheMasterForgotIsLostAndItsRowDecides() throws IOException {
        // answered, but the driver is unknown (a master restarted without recovery)
        ScriptedMaster master = new ScriptedMaster().answering("RUNNING", UNKNOWN);
        ClusterDriverHandle handle = handle(master, "Submission successfully created as " + ID + ".");
        submit.state = SparkAppHandle.State.LOST;
        handle.poll();
        handle.poll();
        assertThat(events.seen).containsExactly("submitted " + ID, "CONNECTED", "LOST");
    }
}
