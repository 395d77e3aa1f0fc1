package io.streamcontrol.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import io.streamcontrol.bench.SparkStreamingStats.Batch;
import io.streamcontrol.generator.GeneratorServer;
import io.streamcontrol.generator.GeneratorSettings;
import io.streamcontrol.job.cassandra.Schema;
import io.streamcontrol.job.config.Durations;
import io.streamcontrol.job.it.SparkSubmitJob;
import io.streamcontrol.job.stop.StopRequests;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One measurement of the streaming job: a fresh keyspace and checkpoint, the generator at one rate with clean input,
 * the packaged job via spark-submit, a warmup, then a measured window read from the driver's REST API and the rollups.
 */
final class JobRun {

    static final String JOB_NAME = "bench";
    static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);
    static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);
    static final int RETAINED_BATCHES = 5000;

    /** What one run measured. {@code error} is set when the run failed before its figures were complete. */
    record Result(Duration batchInterval, int rate, String keyspace, BatchFigures figures, List<String> unsustained,
            FreshnessProbe.Result freshness, long lagAtWindowStartMs, long lagAtWindowEndMs, long maxLagMs,
            SparkStreamingStats.Statistics statistics, List<Batch> batches, long windowStart, long windowEnd,
            long catchUpWaitMs, String loadAtWindowStart, String loadAtWindowEnd, String stopOutcome, String error,
            Path log) {

        boolean sustained() {
            return error == null && figures != null && unsustained.isEmpty();
        }
    }

    private final CqlSession session;
    private final int cassandraPort;
    private final BenchmarkOptions options;

    private List<String> jobArgs(String keyspace, Path checkpoint, int sourcePort, Duration batchInterval) {
        List<String> args = new java.util.ArrayList<>(List.of("--job-name", JOB_NAME, "--keyspace", keyspace,
                "--checkpoint", checkpoint.toUri().toString(),
                "--source-port", String.valueOf(sourcePort),
                "--receivers", String.valueOf(options.receivers()),
                "--batch-interval", Durations.format(batchInterval),
                "--cassandra-port", String.valueOf(cassandraPort),
                "--lateness", "1m", "--top-n-window", "10m", "--top-n-slide", "1m"));
        args.addAll(options.jobArgs());
        return args;
    }
    private final Path workDir;
    /** The job now running, for the harness's shutdown hook. */
    private final AtomicReference<SparkSubmitJob> running;

    JobRun(CqlSession session, int cassandraPort, BenchmarkOptions options, Path workDir,
            AtomicReference<SparkSubmitJob> running) {
        this.session = session;
        this.cassandraPort = cassandraPort;
        this.options = options;
        this.workDir = workDir;
        this.running = running;
    }

    Result run(Duration batchInterval, int rate) throws IOException, InterruptedException {
        String name = Durations.format(batchInterval) + "_" + rate;
        String keyspace = "bench_" + name;
        Path log = workDir.resolve("logs").resolve("job-" + name + ".log");
        Path checkpoint = workDir.resolve("checkpoints").resolve(name);
        for (String statement : Schema.statements(keyspace, 1)) {
            session.execute(statement);
        }
        GeneratorSettings settings = GeneratorSettings.builder()
                .port(0)
                .rate(rate)
                .count(-1)
                .malformedShare(0).lateShare(0).veryLateShare(0)
                .startTime(Instant.now())
                .eventSpacing(Duration.ofNanos(Math.round(1e9 / rate)))
                .build();
        int uiPort = freePort();
        Progress progress = new Progress(batchInterval, rate, keyspace, log);
        try (GeneratorServer generator = new GeneratorServer(settings).start();
                EmissionTimeline timeline = new EmissionTimeline(generator)) {
            SparkSubmitJob job = SparkSubmitJob.start(log,
                    List.of("spark.ui.enabled=true", "spark.ui.port=" + uiPort,
                            "spark.streaming.ui.retainedBatches=" + RETAINED_BATCHES),
                    jobArgs(keyspace, checkpoint, generator.port(), batchInterval));
            running.set(job);
            try {
                measure(job, generator, timeline, new SparkStreamingStats(uiPort), progress);
            } catch (IOException | RuntimeException e) {
                progress.error = e.toString();
            } finally {
                progress.stopOutcome = stop(job, keyspace);
                running.set(null);
            }
        }
        try {
            session.execute("DROP KEYSPACE IF EXISTS " + keyspace); // its compactions must not weigh on the next run
            Directories.delete(checkpoint);
        } catch (IOException | RuntimeException e) {
            progress.stopOutcome += "; cleanup failed: " + e;
        }
        return progress.result();
    }

    private void measure(SparkSubmitJob job, GeneratorServer generator, EmissionTimeline timeline,
            SparkStreamingStats stats, Progress progress) throws IOException, InterruptedException {
        String appId = stats.awaitApplicationId(STARTUP_TIMEOUT, job::isAlive);
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (generator.connections() < options.receivers()) {
            if (!job.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(generator.connections() + " of " + options.receivers()
                        + " receivers connected" + (job.isAlive() ? " after " + STARTUP_TIMEOUT : "; the job exited"));
            }
            Thread.sleep(200);
        }
        sleepWhileAlive(job, options.warmup());
        progress.catchUpWait = awaitCaughtUp(job, stats, appId, progress.batchInterval, options.warmup());

        progress.windowStart = System.currentTimeMillis();
        progress.loadAtWindowStart = Report.loadAverage();
        FreshnessProbe probe = new FreshnessProbe(session, progress.keyspace, timeline,
                generator.settings().regions()).start();
        try {
            sleepWhileAlive(job, options.duration());
        } finally {
            progress.freshness = probe.stop();
            progress.windowEnd = System.currentTimeMillis();
            progress.loadAtWindowEnd = Report.loadAverage();
        }
        progress.lagAtWindowStart = timeline.lagMillisAt(progress.windowStart);
        progress.lagAtWindowEnd = timeline.lagMillisAt(progress.windowEnd);
        progress.maxLag = timeline.maxLagMillis(progress.windowStart, progress.windowEnd);

        // a batch of the window's end may still be running: give it one interval plus a little to finish
        long grace = System.currentTimeMillis() + progress.batchInterval.toMillis() + 5_000;
        List<Batch> batches = stats.batches(appId);
        while (System.currentTimeMillis() < grace && batches.stream()
                .anyMatch(b -> BatchFigures.inWindow(b, progress.windowStart, progress.windowEnd) && !b.completed())) {
            Thread.sleep(500);
            batches = stats.batches(appId);
        }
        progress.batches = batches;
        progress.statistics = stats.statistics(appId);
        progress.figures = BatchFigures.of(batches, progress.windowStart, progress.windowEnd, progress.batchInterval);
    }

    /**
     * The first batches of a cold driver are slow and leave a backlog that a job keeping up works off soon; measured
     * meanwhile, it would be charged to the window. Waits until the newest completed batch was scheduled within one
     * interval and at most one batch is pending, for up to {@code limit}. Returns the time waited, -1 on timeout.
     */
    private static long awaitCaughtUp(SparkSubmitJob job, SparkStreamingStats stats, String appId,
            Duration batchInterval, Duration limit) throws IOException, InterruptedException {
        long start = System.currentTimeMillis();
        while (System.currentTimeMillis() - start < limit.toMillis()) {
            List<Batch> batches = stats.batches(appId);
            List<Batch> completed = batches.stream().filter(Batch::completed).toList();
            long pending = batches.size() - completed.size();
            Long newestDelay = completed.isEmpty() ? null : completed.get(completed.size() - 1).schedulingDelay();
            if (newestDelay != null && newestDelay < batchInterval.toMillis() && pending <= 1) {
                return System.currentTimeMillis() - start;
            }
            sleepWhileAlive(job, Duration.ofSeconds(1));
        }
        return -1;
    }

    private static void sleepWhileAlive(SparkSubmitJob job, Duration time) throws InterruptedException {
        long end = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < end) {
            if (!job.isAlive()) {
                throw new IllegalStateException("the job exited during the run");
            }
            Thread.sleep(Math.min(1_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
    }

    /** Graceful stop as the product does it (a stop request in Cassandra); killed if it does not exit in time. */
    private String stop(SparkSubmitJob job, String keyspace) throws InterruptedException {
        if (!job.isAlive()) {
            return "had exited by itself (code " + job.awaitExit(Duration.ofSeconds(1)) + ")";
        }
        long started = System.nanoTime();
        try {
            new StopRequests(session, keyspace, JOB_NAME).request();
            int code = job.awaitExit(STOP_TIMEOUT);
            return "stopped gracefully in " + (System.nanoTime() - started) / 1_000_000_000 + " s, exit code " + code;
        } catch (AssertionError | RuntimeException e) {
            job.kill();
            return "KILLED: no exit within " + Durations.format(STOP_TIMEOUT) + " of the stop request (" + e.getMessage()
                    .lines().findFirst().orElse("") + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }

    /** The figures gathered so far; a failed run reports what it got. */
    private static final class Progress {
        final Duration batchInterval;
        final int rate;
        final String keyspace;
        final Path log;
        long windowStart;
        long windowEnd;
        FreshnessProbe.Result freshness;
        long lagAtWindowStart = -1;
        long lagAtWindowEnd = -1;
        long maxLag = -1;
        List<Batch> batches = List.of();
        SparkStreamingStats.Statistics statistics;
        BatchFigures figures;
        long catchUpWait;
        String loadAtWindowStart;
        String loadAtWindowEnd;
        String stopOutcome;
        String error;

        Progress(Duration batchInterval, int rate, String keyspace, Path log) {
            this.batchInterval = batchInterval;
            this.rate = rate;
            this.keyspace = keyspace;
            this.log = log;
        }

        Result result() {
            List<String> unsustained = figures == null ? List.of() : figures.unsustainedReasons(batchInterval, rate);
            return new Result(batchInterval, rate, keyspace, figures, unsustained, freshness, lagAtWindowStart,
                    lagAtWindowEnd, maxLag, statistics, batches, windowStart, windowEnd, catchUpWait,
                    loadAtWindowStart, loadAtWindowEnd, stopOutcome, error, log);
        }
    }
}
