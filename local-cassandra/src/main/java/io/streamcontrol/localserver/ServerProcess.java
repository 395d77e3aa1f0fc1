package io.streamcontrol.localserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A server running as a child process: its pid in a file (so a later run can kill it if this JVM dies first), a
 * shutdown hook that stops it when this JVM exits, and a stop by pid: SIGTERM, then SIGKILL after a grace period.
 *
 * {@link #stop()} may run concurrently from the shutdown hook and from the caller.
 */
public final class ServerProcess {

    private final String name;
    private final Process process;
    private final Path pidFile;
    private final Duration stopTimeout;
    private Thread shutdownHook;

    private ServerProcess(String name, Process process, Path pidFile, Duration stopTimeout) {
        this.name = name;
        this.process = process;
        this.pidFile = pidFile;
        this.stopTimeout = stopTimeout;
    }

    /**
     * Starts the command (its standard input closed), writes its pid to {@code pidFile} and registers the shutdown
     * hook. {@code name} ("Cassandra", "Kafka") is what messages call the server.
     */
    public static ServerProcess start(String name, ProcessBuilder command, Path pidFile, Duration stopTimeout)
            throws IOException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        Process started = command.start();
        ServerProcess server = new ServerProcess(name, started, pidFile, stopTimeout);
        try {
            started.getOutputStream().close();
            Files.writeString(pidFile, Long.toString(started.pid()));
            server.addShutdownHook();
        } catch (IOException | RuntimeException e) {
            server.stopAfter(e);
            throw e;
        }
        return server;
    }

    /**
     * Returns once {@code ready} is true (checked every 200 ms); fails if the process exits first or {@code timeout}
     * passes, with {@code logs} (what the server wrote) in the message, and then stops the server.
     */
    public void awaitReady(Duration timeout, BooleanSupplier ready, Supplier<String> logs) throws IOException {
        try {
            poll(timeout, ready, logs);
        } catch (IOException | RuntimeException e) {
            stopAfter(e);
            throw e;
        }
    }

    private void poll(Duration timeout, BooleanSupplier ready, Supplier<String> logs) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited during startup with code " + process.exitValue() + logs.get());
            }
            if (ready.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(name + " did not start within " + timeout + logs.get());
            }
            try {
                process.waitFor(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while waiting for " + name + " to start", e);
            }
        }
    }

    /** Sends SIGTERM, waits up to the stop timeout, then kills; deletes the pid file. Does nothing a second time. */
    public void stop() {
        terminate(process.toHandle(), stopTimeout, name);
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            removeShutdownHook();
        }
    }

    /** Stops the server after a failure; a failure to stop is added to it as suppressed. */
    private void stopAfter(Exception failure) {
        try {
            stop();
        } catch (RuntimeException stopFailure) {
            failure.addSuppressed(stopFailure);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    private synchronized void addShutdownHook() {
        shutdownHook = new Thread(this::stop, "local-" + name.toLowerCase() + "-stop-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    private synchronized void removeShutdownHook() {
        if (shutdownHook == null || Thread.currentThread() == shutdownHook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shutdownInProgress) {
            // the hook runs (or ran) anyway
        }
        shutdownHook = null;
    }

    /**
     * Kills the server named by {@code pidFile} if it is still alive and its command line contains {@code marker}
     * (its main class): a previous run whose JVM was killed before it could stop its server. Deletes the pid file.
     * Returns whether something was killed; refuses to kill a server of this JVM.
     */
    public static boolean killStale(Path pidFile, String marker, String name, Duration stopTimeout)
            throws IOException {
        if (!Files.exists(pidFile)) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (NumberFormatException e) {
            Files.delete(pidFile);
            return false;
        }
        Optional<ProcessHandle> stale = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(h -> commandLine(h).contains(marker));
        if (stale.isPresent() && stale.get().parent().map(ProcessHandle::pid).orElse(-1L)
                == ProcessHandle.current().pid()) {
            throw new IllegalStateException(pidFile.getParent() + " is in use by " + name + " pid " + pid
                    + " of this JVM");
        }
        stale.ifPresent(handle -> terminate(handle, stopTimeout, name));
        Files.delete(pidFile);
        return stale.isPresent();
    }

    /**
     * The full command line of a process. ProcessHandle.Info#commandLine reads at most one page of
     * /proc/PID/cmdline on Linux, which cuts a long java command before its main class.
     */
    public static String commandLine(ProcessHandle handle) {
        Path cmdline = Path.of("/proc", Long.toString(handle.pid()), "cmdline");
        try {
            return new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ').trim();
        } catch (IOException | UnsupportedOperationException e) {
            return handle.info().commandLine().orElse("");
        }
    }

    private static void terminate(ProcessHandle handle, Duration stopTimeout, String name) {
        handle.destroy();
        if (!awaitExit(handle, stopTimeout)) {
            handle.destroyForcibly();
            if (!awaitExit(handle, Duration.ofSeconds(10))) {
                throw new IllegalStateException("Could not kill " + name + " pid " + handle.pid());
            }
        }
    }

    private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }
}
