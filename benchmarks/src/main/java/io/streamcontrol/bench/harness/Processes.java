package io.streamcontrol.bench.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The processes a benchmark runs (the control service, wrk) and those they start (drivers): started with their
 * output to a file and no input, stopped by SIGTERM and, after a grace period, SIGKILL.
 */
public final class Processes {

    /** How long a process is waited for after SIGKILL. */
    static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private Processes() {
    }

    /**
     * Starts {@code command} with {@code environment} added to this JVM's, stdout and stderr to {@code output}
     * (appended to it, or replacing it), and stdin closed.
     */
    public static Process start(List<String> command, Map<String, String> environment, Path output, boolean append)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(append ? ProcessBuilder.Redirect.appendTo(output.toFile())
                        : ProcessBuilder.Redirect.to(output.toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    /** SIGTERM, then {@link #kill} if the process has not ended within {@code grace}. */
    public static void stop(ProcessHandle process, Duration grace) throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!ended(process, grace)) {
                kill(process);
            }
        }
    }

    /** SIGKILL, then waits up to {@link #KILL_WAIT} for the process to end. */
    public static void kill(ProcessHandle process) throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            ended(process, KILL_WAIT);
        }
    }

    private static boolean ended(ProcessHandle process, Duration timeout) throws InterruptedException {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for process " + process.pid(), e);
        }
    }

    /** A free TCP port on the loopback address, for a process to listen on. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
