package io.streamcontrol.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged control service run as its own process (java -Xmx256m -jar control-service-*.jar), with the time from
 * starting the process to the first 200 of /actuator/health, and its resident memory sampled from /proc.
 */
final class ControlServiceProcess implements AutoCloseable {

    static final Duration HEALTH_TIMEOUT = Duration.ofMinutes(2);
    static final long HEALTH_POLL_MS = 100;
    static final long RSS_SAMPLE_MS = 250;
    private static final Pattern STARTED = Pattern.compile(
            "Started \\S+ in ([0-9.]+) seconds \\(process running for ([0-9.]+)\\)");

    private final Process process;
    private final Path log;
    private final ServiceApi api;
    private final long startupMillis;
    private final long rssAfterStartKb;
    private final Thread sampler;
    private volatile long peakRssKb;
    private volatile boolean closed;

    private ControlServiceProcess(Process process, Path log, ServiceApi api, long startupMillis, long rssAfterStartKb) {
        this.process = process;
        this.log = log;
        this.api = api;
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
    static ControlServiceProcess start(Path serviceJar, int port, List<String> arguments, Path log,
            java.util.function.Consumer<Process> onStarted) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-jar", serviceJar.toString(), "--server.port=" + port));
        command.addAll(arguments);
        ServiceApi api = new ServiceApi(port);
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        onStarted.accept(process);
        process.getOutputStream().close();
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
            stop(process);
            throw e;
        }
        long startup = (System.nanoTime() - started) / 1_000_000;
        return new ControlServiceProcess(process, log, api, startup, ProcStatus.of(process.pid()).rssKb());
    }

    ServiceApi api() {
        return api;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Process start to the first 200 of /actuator/health. */
    long startupMillis() {
        return startupMillis;
    }

    /** VmRSS when /actuator/health first answered 200. */
    long rssAfterStartKb() {
        return rssAfterStartKb;
    }

    /** The largest VmRSS sampled (every 250 ms) since the start or the last {@link #resetPeak()}. */
    long peakRssKb() {
        return peakRssKb;
    }

    void resetPeak() {
        peakRssKb = ProcStatus.of(process.pid()).rssKb();
    }

    /** VmHWM: the kernel's high-water mark of the resident set over the process's life. */
    long highWaterMarkKb() {
        return ProcStatus.of(process.pid()).hwmKb();
    }

    /** Spring Boot's own startup line: seconds to the started context, and since the JVM started ("-" if absent). */
    String springStartedLine() {
        try {
            Matcher m = STARTED.matcher(Files.readString(log));
            return m.find() ? "context started in " + m.group(1) + " s, JVM running for " + m.group(2) + " s" : "-";
        } catch (IOException e) {
            return "-";
        }
    }

    /** The processes the service started (spark-submit'ed drivers), still alive. */
    List<ProcessHandle> descendants() {
        return process.descendants().filter(ProcessHandle::isAlive).toList();
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
        stop(process);
    }

    static void stop(Process process) throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
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
