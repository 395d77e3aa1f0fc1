package io.streamcontrol.bench.harness;

import io.streamcontrol.bench.harness.ServiceApi.Credentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged control service run as its own process (java -Xmx256m -jar control-service-*.jar), with the time from
 * starting the process to the first 200 of /actuator/health, and its resident memory sampled from /proc. The service
 * refuses to start without credentials: each start generates an operator user (HTTP basic, used by {@link #api()})
 * and a viewer API key ({@link #viewer()}), handed over in the environment (not on the command line).
 */
public final class ControlServiceProcess implements AutoCloseable {

    static final String OPERATOR = "bench-operator";
    static final String VIEWER_KEY_NAME = "bench-viewer";

    static final Duration HEALTH_TIMEOUT = Duration.ofMinutes(2);
    static final long HEALTH_POLL_MS = 100;
    static final long RSS_SAMPLE_MS = 250;
    static final Duration SERVICE_STOP_GRACE = Duration.ofSeconds(30);
    static final Duration DRIVER_STOP_GRACE = Duration.ofSeconds(15);
    private static final Pattern STARTED = Pattern.compile(
            "Started \\S+ in ([0-9.]+) seconds \\(process running for ([0-9.]+)\\)");

    private final Process process;
    private final Path log;
    private final ServiceApi api;
    private final Credentials viewer;
    private final long startupMillis;
    private final long rssAfterStartKb;
    private final Thread sampler;
    private volatile long peakRssKb;
    private volatile boolean closed;

    private ControlServiceProcess(Process process, Path log, ServiceApi api, Credentials viewer, long startupMillis,
            long rssAfterStartKb) {
        this.process = process;
        this.log = log;
        this.api = api;
        this.viewer = viewer;
        this.startupMillis = startupMillis;
        this.rssAfterStartKb = rssAfterStartKb;
        this.peakRssKb = rssAfterStartKb;
        this.sampler = new Thread(this::sampleRss, "service-rss");
        sampler.setDaemon(true);
        sampler.start();
    }

    /**
     * Starts the service and returns once /actuator/health answers 200 (polled every 100 ms); the process is stopped
     * if it does not. {@code onStarted} gets the process at once, so a shutdown hook can stop it meanwhile.
     */
    public static ControlServiceProcess start(Path serviceJar, int port, List<String> arguments, Path log,
            Consumer<Process> onStarted) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        command.addAll(serviceProfiling(log.getParent()));
        command.addAll(List.of("-jar", serviceJar.toString(), "--server.port=" + port, "--server.address=127.0.0.1"));
        command.addAll(arguments);
        String password = Credentials.secret();
        String viewerKey = Credentials.secret();
        ServiceApi api = new ServiceApi(port, Credentials.basic(OPERATOR, password));
        long started = System.nanoTime();
        // streamcontrol.security.users[0].* and .api-keys[0].* (Spring Boot's binding of environment variables)
        Process process = Processes.start(command, Map.of(
                "STREAMCONTROL_SECURITY_USERS_0_NAME", OPERATOR,
                "STREAMCONTROL_SECURITY_USERS_0_PASSWORD", "{noop}" + password,
                "STREAMCONTROL_SECURITY_USERS_0_ROLE", "operator",
                "STREAMCONTROL_SECURITY_APIKEYS_0_NAME", VIEWER_KEY_NAME,
                "STREAMCONTROL_SECURITY_APIKEYS_0_KEY", viewerKey,
                "STREAMCONTROL_SECURITY_APIKEYS_0_ROLE", "viewer"), log, true);
        onStarted.accept(process);
        try {
            long deadline = started + HEALTH_TIMEOUT.toNanos();
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the service exited with code " + process.exitValue() + "; see " + log);
                }
                try {
                    if (api.get("/actuator/health").status() == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("/actuator/health not 200 within " + HEALTH_TIMEOUT + "; see " + log);
                }
                Thread.sleep(HEALTH_POLL_MS);
            }
        } catch (RuntimeException | InterruptedException e) {
            Processes.stop(process.toHandle(), SERVICE_STOP_GRACE);
            throw e;
        }
        long startup = (System.nanoTime() - started) / 1_000_000;
        return new ControlServiceProcess(process, log, api, Credentials.apiKey(viewerKey), startup,
                ProcStatus.of(process.pid()).rssKb());
    }

    /**
     * BENCH_SERVICE_JAVA_OPTS, for profiling: extra options of the service's JVM (split at spaces), {@code {dir}}
     * standing for the directory of its log (e.g. {@code -XX:StartFlightRecording=filename={dir}/service.jfr,settings=profile}).
     */
    private static List<String> serviceProfiling(Path dir) {
        String extra = System.getenv("BENCH_SERVICE_JAVA_OPTS");
        return extra == null || extra.isBlank() ? List.of()
                : List.of(extra.strip().replace("{dir}", dir.toString()).split("\\s+"));
    }

    /**
     * The service's settings as the benchmarks run it: the given Cassandra and control keyspace, the assembled
     * SPARK_HOME and job jar, driver logs and checkpoints below {@code serviceWork}, reconciliation and metrics every
     * second.
     */
    public static List<String> arguments(String cassandraContactPoint, String controlKeyspace, Path sparkHome,
            Path jobJar, Path serviceWork, boolean standbyDrivers) {
        return List.of(
                "--spring.cassandra.contact-points=" + cassandraContactPoint,
                "--spring.cassandra.local-datacenter=datacenter1",
                "--streamcontrol.cassandra.control-keyspace=" + controlKeyspace,
                "--streamcontrol.spark.home=" + sparkHome,
                "--streamcontrol.spark.job-jar=" + jobJar,
                "--streamcontrol.jobs.work-directory=" + serviceWork.resolve("jobs"),
                "--streamcontrol.jobs.checkpoint-base=" + serviceWork.resolve("checkpoints").toUri(),
                "--streamcontrol.jobs.reconcile-interval=1s",
                "--streamcontrol.metrics.poll-interval=1s",
                "--streamcontrol.jobs.standby.enabled=" + standbyDrivers);
    }

    /** The operator (HTTP basic): lifecycle calls, and reads. */
    public ServiceApi api() {
        return api;
    }

    /** The viewer's API key: reads only. */
    public Credentials viewer() {
        return viewer;
    }

    public long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Process start to the first 200 of /actuator/health. */
    public long startupMillis() {
        return startupMillis;
    }

    /** VmRSS when /actuator/health first answered 200. */
    public long rssAfterStartKb() {
        return rssAfterStartKb;
    }

    /** The largest VmRSS sampled (every 250 ms) since the start or the last {@link #resetPeak()}. */
    public long peakRssKb() {
        return peakRssKb;
    }

    public void resetPeak() {
        peakRssKb = ProcStatus.of(process.pid()).rssKb();
    }

    /** VmHWM: the kernel's high-water mark of the resident set over the process's life. */
    public long highWaterMarkKb() {
        return ProcStatus.of(process.pid()).hwmKb();
    }

    /** Spring Boot's own startup line: seconds to the started context, and since the JVM started ("-" if absent). */
    public String springStartedLine() {
        try {
            Matcher m = STARTED.matcher(Files.readString(log));
            return m.find() ? "context started in " + m.group(1) + " s, JVM running for " + m.group(2) + " s" : "-";
        } catch (IOException e) {
            return "-";
        }
    }

    /** Adds the processes the service started (spark-submit'ed drivers) that are still alive to {@code pids}. */
    public void collectDrivers(Set<Long> pids) {
        process.descendants().filter(ProcessHandle::isAlive).forEach(p -> pids.add(p.pid()));
    }

    /** A live driver of the streaming job (a pid from the drivers table may have been reused since). */
    public static boolean isDriver(ProcessHandle p) {
        return p.isAlive() && p.info().commandLine().map(c -> c.contains("io.streamcontrol.job.StreamingJob"))
                .orElse(false);
    }

    /** Ends the drivers among {@code pids} (they outlive the service): SIGTERM, SIGKILL after 15 s; clears the set. */
    public static void stopDrivers(Set<Long> pids, Consumer<String> log) {
        for (long pid : pids) {
            ProcessHandle.of(pid).filter(ControlServiceProcess::isDriver).ifPresent(p -> {
                log.accept("stopping driver process " + pid);
                try {
                    Processes.stop(p, DRIVER_STOP_GRACE);
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                }
            });
        }
        pids.clear();
    }

    /**
     * For a shutdown hook (Ctrl-C): kills the service's drivers at once (those in {@code driverPids} and its live
     * descendants), then stops the service.
     */
    public static void stopWithDrivers(Process service, Set<Long> driverPids, String who) {
        if (service != null && service.isAlive()) {
            service.descendants().forEach(d -> driverPids.add(d.pid()));
        }
        for (long pid : driverPids) {
            ProcessHandle.of(pid).filter(ControlServiceProcess::isDriver).ifPresent(d -> {
                System.err.println(who + ": stopping driver process " + pid);
                d.destroyForcibly();
            });
        }
        if (service != null && service.isAlive()) {
            System.err.println(who + ": stopping the control service (pid " + service.pid() + ")");
            try {
                Processes.stop(service.toHandle(), SERVICE_STOP_GRACE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void sampleRss() {
        while (!closed && process.isAlive()) {
            long rss = ProcStatus.of(process.pid()).rssKb();
            if (rss > peakRssKb) {
                peakRssKb = rss;
            }
            try {
                Thread.sleep(RSS_SAMPLE_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** SIGTERM, then SIGKILL after 30 s. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        sampler.interrupt();
        Processes.stop(process.toHandle(), SERVICE_STOP_GRACE);
    }

    /** VmRSS and VmHWM of a process, in kB (-1 when it is gone). */
    record ProcStatus(long rssKb, long hwmKb) {
        static ProcStatus of(long pid) {
            long rss = -1;
            long hwm = -1;
            try {
                for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        rss = Long.parseLong(line.replaceAll("\\D", ""));
                    } else if (line.startsWith("VmHWM:")) {
                        hwm = Long.parseLong(line.replaceAll("\\D", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // gone
            }
            return new ProcStatus(rss, hwm);
        }
    }
}
