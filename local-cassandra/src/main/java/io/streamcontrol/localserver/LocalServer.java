package io.streamcontrol.localserver;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every local server has: its settings as configured and as running (ports of 0 replaced by real ones), its
 * process, and stop, pid and isAlive. A subclass prepares the server's files and {@link #run runs} its command.
 *
 * {@code start} and {@link #stop()} are meant to be called from one thread; {@link #stop()} may also run
 * concurrently from the JVM shutdown hook.
 *
 * @param <S> the settings
 */
public abstract class LocalServer<S> implements AutoCloseable {

    private final String name;
    private final S configured;
    private volatile S running;
    private volatile ServerProcess process;

    /** {@code name} ("Cassandra", "Kafka") is what messages call the server. */
    protected LocalServer(String name, S settings) {
        this.name = Objects.requireNonNull(name, "name");
        this.configured = Objects.requireNonNull(settings, "settings");
    }

    /** Starts the server and returns once it serves clients. */
    public abstract LocalServer<S> start() throws IOException;

    /**
     * What a launcher's main method does for shell scripts: takes the server {@code fromArguments} gives (an
     * IllegalArgumentException is printed with {@code usage}, exit code 2), starts it (exit code 1 if it does not
     * start), prints {@code readyLine} and blocks; the shutdown hook stops the server when this JVM gets SIGTERM or
     * SIGINT.
     */
    protected static <T extends LocalServer<?>> void serve(String usage, Supplier<T> fromArguments,
            Function<T, String> readyLine) throws InterruptedException {
        T server;
        try {
            server = fromArguments.get();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(usage);
            System.exit(2);
            return;
        }
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            System.err.println(((LocalServer<?>) server).name + " did not start: " + e.getMessage());
            System.exit(1);
        }
        System.out.println(readyLine.apply(server));
        System.out.flush();
        Thread.currentThread().join();
    }

    /** Fails if this server is running already. */
    protected final void checkNotRunning() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running with pid " + pid());
        }
    }

    /**
     * Starts the server's process (see {@link ServerProcess}) with these settings and returns once {@code ready};
     * if it does not get ready within {@code startupTimeout}, stops it and fails with {@code logs}.
     */
    protected final void run(S settings, ProcessBuilder command, Path pidFile, Duration stopTimeout,
            Duration startupTimeout, BooleanSupplier ready, Supplier<String> logs) throws IOException {
        running = settings;
        ServerProcess started = ServerProcess.start(name, command, pidFile, stopTimeout);
        started.awaitReady(startupTimeout, ready, logs);
        process = started;
    }

    /** Sends SIGTERM, waits the server's stop timeout, then kills. Does nothing if the server is not running. */
    public void stop() {
        ServerProcess p = process;
        if (p == null) {
            return;
        }
        p.stop();
        if (process == p) {
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** The settings it runs with (after a start, with the real ports), else those it was given. */
    public S settings() {
        S s = running;
        return s != null ? s : configured;
    }

    /** The settings it was given. */
    protected final S configured() {
        return configured;
    }

    /** The pid of the server's JVM. */
    public long pid() {
        ServerProcess p = process;
        if (p == null) {
            throw new IllegalStateException(name + " is not running");
        }
        return p.pid();
    }

    public boolean isAlive() {
        ServerProcess p = process;
        return p != null && p.isAlive();
    }
}
