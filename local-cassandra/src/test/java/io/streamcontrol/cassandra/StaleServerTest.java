package io.streamcontrol.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcontrol.localserver.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleServerTest {

    @TempDir
    Path baseDir;

    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void killsAnOrphanedServerNamedByThePidFile() throws Exception {
        ProcessHandle orphan = startOrphanedFakeDaemon();
        Files.writeString(LocalCassandra.pidFile(baseDir), Long.toString(orphan.pid()));

        assertThat(LocalCassandra.killStale(baseDir)).isTrue();

        assertThat(orphan.isAlive()).isFalse();
        assertThat(LocalCassandra.pidFile(baseDir)).doesNotExist();
    }

    @Test
    void leavesProcessesAloneThatAreNoCassandra() throws Exception {
        Files.writeString(LocalCassandra.pidFile(baseDir), Long.toString(ProcessHandle.current().pid()));

        assertThat(LocalCassandra.killStale(baseDir)).isFalse();

        assertThat(LocalCassandra.pidFile(baseDir)).doesNotExist();
    }

    @Test
    void ignoresMissingOrBrokenPidFiles() throws Exception {
        assertThat(LocalCassandra.killStale(baseDir)).isFalse();

        Files.writeString(LocalCassandra.pidFile(baseDir), "not a pid");
        assertThat(LocalCassandra.killStale(baseDir)).isFalse();
        assertThat(LocalCassandra.pidFile(baseDir)).doesNotExist();
    }

    @Test
    void refusesToKillAServerOfThisJvm() throws Exception {
        Process child = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
                FakeCassandraDaemon.class.getName()).start();
        started.add(child.toHandle());
        awaitCommandLine(child.toHandle());
        Files.writeString(LocalCassandra.pidFile(baseDir), Long.toString(child.pid()));

        assertThatThrownBy(() -> LocalCassandra.killStale(baseDir)).hasMessageContaining("of this JVM");
        assertThat(child.isAlive()).isTrue();
    }

    /** Started through a shell that exits at once, like a server whose JVM was killed. */
    private ProcessHandle startOrphanedFakeDaemon() throws Exception {
        String script = "'" + java() + "' -cp '" + System.getProperty("java.class.path") + "' "
                + FakeCassandraDaemon.class.getName() + " >/dev/null 2>&1 & echo $!";
        Process shell = new ProcessBuilder("sh", "-c", script).start();
        String pid = new String(shell.getInputStream().readAllBytes()).trim();
        assertThat(shell.waitFor()).isZero();
        ProcessHandle orphan = ProcessHandle.of(Long.parseLong(pid)).orElseThrow();
        started.add(orphan);
        awaitCommandLine(orphan);
        return orphan;
    }

    private static void awaitCommandLine(ProcessHandle handle) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!ServerProcess.commandLine(handle).contains("FakeCassandraDaemon")) {
            if (System.nanoTime() > deadline || !handle.isAlive()) {
                throw new IOException("Fake daemon did not start: pid " + handle.pid());
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
