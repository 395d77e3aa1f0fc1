package io.streamcontrol.control.launcher;

import io.streamcontrol.contract.tables.DriverTable.DriverRow;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Signals a driver by its pid when this instance has no handle for it (the service restarted), and only if the
 * process is on this host and runs the streaming job: a reused pid is never signalled.
 */
@Component
public class LocalDriverProcesses {

    private static final Logger LOG = LoggerFactory.getLogger(LocalDriverProcesses.class);

    private final String mainClass;
    private final String hostName;

    LocalDriverProcesses(LauncherProperties properties) {
        this.mainClass = properties.mainClass();
        this.hostName = localHostName();
    }

    public boolean isAlive(DriverRow driver) {
        return process(driver).isPresent();
    }

    /** SIGTERM: Spark's shutdown hook stops the streaming context gracefully. */
    public boolean terminate(DriverRow driver) {
        return process(driver).map(ProcessHandle::destroy).orElse(false);
    }

    /** SIGKILL. */
    public boolean kill(DriverRow driver) {
        return process(driver).map(ProcessHandle::destroyForcibly).orElse(false);
    }

    /**
     * The processes on this host that run the streaming job for {@code launchId} (the launch id is among the driver's
     * arguments): found also when the driver never wrote its row, or when the launcher's handle no longer holds it.
     */
    public List<ProcessHandle> ofLaunch(String launchId) {
        if (launchId == null || launchId.isBlank()) {
            return List.of();
        }
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(line -> line.contains(mainClass) && line.contains(launchId))
                        .orElse(false))
                .toList();
    }

    /**
     * SIGKILL to every process of {@code launchId} on this host, then waits until they are gone (at most
     * {@code wait}); returns the pids it killed.
     */
    public List<Long> killLaunch(String launchId, Duration wait) {
        List<ProcessHandle> left = ofLaunch(launchId);
        left.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + wait.toNanos();
        for (ProcessHandle process : left) {
            try {
                process.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("Driver process {} of launch {} did not exit within {} of SIGKILL", process.pid(), launchId,
                        wait);
            }
        }
        return left.stream().map(ProcessHandle::pid).toList();
    }

    /** Whether a driver on this host could be signalled at all (else it runs elsewhere, e.g. cluster mode). */
    public boolean isLocal(DriverRow driver) {
        return driver.pid() > 0 && (hostName.equals(driver.host()) || "127.0.0.1".equals(driver.host())
                || "localhost".equals(driver.host()));
    }

    private Optional<ProcessHandle> process(DriverRow driver) {
        if (!isLocal(driver)) {
            return Optional.empty();
        }
        return ProcessHandle.of(driver.pid())
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(line -> line.contains(mainClass)).orElse(false));
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
