package io.streamcontrol.control.launcher;

import io.streamcontrol.job.driver.DriverTable.DriverRow;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Signals a driver by its pid when this instance has no handle for it (the service restarted), and only if the
 * process is on this host and runs the streaming job: a reused pid is never signalled.
 */
@Component
public class LocalDriverProcesses {

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
