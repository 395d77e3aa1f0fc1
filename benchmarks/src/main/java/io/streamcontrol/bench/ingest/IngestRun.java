package io.streamcontrol.bench.ingest;

import com.datastax.oss.driver.api.core.CqlSession;
import io.streamcontrol.bench.baseline.BaselineJob;
import io.streamcontrol.bench.harness.CpuUsage;
import io.streamcontrol.bench.harness.Directories;
import io.streamcontrol.bench.harness.Machine;
import io.streamcontrol.bench.harness.Processes;
import io.streamcontrol.bench.harness.SourcesTable;
import io.streamcontrol.bench.harness.SparkStreamingStats;
import io.streamcontrol.bench.harness.SparkStreamingStats.Batch;
import io.streamcontrol.cassandra.LocalCassandra;
import io.streamcontrol.contract.settings.Durations;
import io.streamcontrol.contract.tables.Schema;
import io.streamcontrol.contract.tables.StopRequests;
import io.streamcontrol.generator.GeneratorServer;
import io.streamcontrol.generator.GeneratorSettings;
import io.streamcontrol.testkit.SparkSubmitJob;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One measured run of the streaming job or of the baseline at one rate: a fresh keyspace (and checkpoint), the
 * generator at that rate with realistic input, the application via spark-submit (driver GC logged), a warmup, a
 * measured window (driver REST API, generator lag, freshness, CPU per process, Cassandra's request counters), a stop
 * (the job: gracefully, by a stop request row), and the check of what it wrote.
 */
final class IngestRun {

    static final String JOB_NAME = "bench";
    static final Duration LATENESS = Duration.ofMinutes(1);
    /** Late events: within the lateness. Too-late events: beyond it (the generator's defaults, as KnownLines picks). */
    static final Duration LATE_BY = Duration.ofSeconds(20);
    static final Duration VERY_LATE_BY = Duration.ofMinutes(10);
    static final Duration TOP_N_WINDOW = Duration.ofMinutes(10);
    static final Duration TOP_N_SLIDE = Duration.ofMinutes(1);
    static final int TOP_N = 10;
    static final String BASELINE_TABLE = "lines";
    static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);
    /** The job's own drain timeout (2 m) plus time to stop Spark. */
    static final Duration STOP_TIMEOUT = Duration.ofMinutes(4);
    static final Duration BASELINE_DRAIN_TIMEOUT = Duration.ofMinutes(3);
    static final int RETAINED_BATCHES = 5000;
    /** The generator's threads in this JVM: generator-accept-*, generator-connection-*. */
    static final String GENERATOR_THREADS = "generator-";
    /** Cassandra's compaction threads (CompactionExecutor:n); their CPU is part of Cassandra's, reported apart. */
    static final String COMPACTION_THREADS = "CompactionExec";

    enum Subject {
        JOB("job"), BASELINE("baseline");

        final String label;

        Subject(String label) {
            this.label = label;
        }
    }

    /** What to run: purpose is "probe", "confirm" or "key space". */
    record Spec(Subject subject, Duration batchInterval, int rate, Duration window, String purpose, int repetition,
            int products) {
    }

    /** What one run measured. {@code error} is set when the run failed before its figures were complete. */
    record Result(int index, Spec spec, String keyspace, BatchFigures figures, GeneratorLag lag, List<String> unsustained,
            FreshnessProbe.Result freshness, CpuUsage.Usage cpu, GcLog.Summary gc, List<GcLog.Pause> gcPauses,
            CassandraMetrics.Counts cassandra, long rowsWritten, ExactnessCheck.Result check,
            SparkStreamingStats.Statistics statistics, List<Batch> batches, long windowStart, long windowEnd,
            long catchUpWaitMs, String loadAtWindowStart, String loadAtWindowEnd, String stopOutcome,
            boolean stoppedCleanly, String error, Path runDir) {

        /** Sustained: the window's figures pass, it stopped cleanly, and what it wrote is right. */
        boolean sustained() {
            return error == null && figures != null && unsustained.isEmpty();
        }

        /** A failure of the job (not of a rate): an error, an unclean stop, or tables that are not exact. */
        boolean failed() {
            return spec.subject() == Subject.JOB && (error != null || !stoppedCleanly || check == null || !check.exact());
        }

        /** Events the application received in the window. */
        long windowEvents() {
            return figures == null ? 0 : figures.inputRecords();
        }
    }

    private final CqlSession session;
    private final LocalCassandra cassandra;
    private final CassandraMetrics metrics;
    private final IngestBenchmarkOptions options;
    private final Path workDir;
    private final Path baselineJar;
    /** The application now running, for the harness's shutdown hook. */
    private final AtomicReference<SparkSubmitJob> running;
    private int runs;

    IngestRun(CqlSession session, LocalCassandra cassandra, CassandraMetrics metrics, IngestBenchmarkOptions options,
            Path workDir, Path baselineJar, AtomicReference<SparkSubmitJob> running) {
        this.session = session;
        this.cassandra = cassandra;
        this.metrics = metrics;
        this.options = options;
        this.workDir = workDir;
        this.baselineJar = baselineJar;
        this.running = running;
    }

    GeneratorSettings generatorSettings(int rate, int products) {
        return GeneratorSettings.builder()
                .port(0)
                .rate(rate)
                .count(-1)
                .products(products)
                .malformedShare(options.malformedShare())
                .lateShare(options.lateShare()).lateBy(LATE_BY)
                .veryLateShare(options.veryLateShare()).veryLateBy(VERY_LATE_BY)
                .startTime(Instant.now())
                .eventSpacing(Duration.ofNanos(Math.round(1e9 / rate)))
                .build();
    }

    private List<String> jobArgs(String keyspace, Path checkpoint, int sourcePort, Duration batchInterval) {
        List<String> args = new ArrayList<>(List.of("--job-name", JOB_NAME, "--keyspace", keyspace,
                "--checkpoint", checkpoint.toUri().toString(),
                "--source-port", String.valueOf(sourcePort),
                "--receivers", String.valueOf(options.receivers()),
                "--batch-interval", Durations.format(batchInterval),
                "--cassandra-port", String.valueOf(cassandra.nativePort()),
                "--lateness", Durations.format(LATENESS),
                "--top-n", String.valueOf(TOP_N),
                "--top-n-window", Durations.format(TOP_N_WINDOW),
                "--top-n-slide", Durations.format(TOP_N_SLIDE)));
        args.addAll(options.jobArgs());
        return args;
    }

    Result run(Spec spec) throws IOException, InterruptedException {
        int index = ++runs;
        String keyspace = "bench_r" + index;
        Path runDir = workDir.resolve("runs").resolve(String.format("r%02d-%s-%s-%d-%s%d", index, spec.subject().label,
                Durations.format(spec.batchInterval()), spec.rate(), spec.purpose().replace(' ', '-'), spec.repetition()));
        Path checkpoint = runDir.resolve("checkpoint");
        Path gcLog = runDir.resolve("gc.log");
        Progress p = new Progress(index, spec, keyspace, runDir);
        createSchema(spec.subject(), keyspace);
        GeneratorSettings settings = generatorSettings(spec.rate(), spec.products());
        int uiPort = Processes.freePort();
        List<String> conf = new ArrayList<>(List.of("spark.ui.enabled=true", "spark.ui.port=" + uiPort,
                "spark.streaming.ui.retainedBatches=" + RETAINED_BATCHES,
                "spark.driver.extraJavaOptions=" + GcLog.option(gcLog) + driverProfiling(runDir)));
        GeneratorServer generator = new GeneratorServer(settings).start();
        try (EmissionTimeline timeline = new EmissionTimeline(generator)) {
            SparkSubmitJob app = launch(spec, keyspace, checkpoint, generator.port(), conf, runDir.resolve("driver.log"));
            running.set(app);
            SparkStreamingStats stats = new SparkStreamingStats(uiPort);
            String appId = null;
            try {
                appId = stats.awaitApplicationId(STARTUP_TIMEOUT, app::isAlive);
                measure(app, appId, generator, timeline, stats, p);
            } catch (IOException | RuntimeException e) {
                p.error = e.toString();
            } finally {
                if (spec.subject() == Subject.JOB) {
                    stopJob(app, keyspace, p);
                } else {
                    stopBaseline(app, generator, stats, appId, p);
                }
                running.set(null);
            }
        } finally {
            generator.close();
        }
        check(p, settings);
        try {
            p.gcPauses = GcLog.read(gcLog);
            p.gc = GcLog.summarize(p.gcPauses, p.windowStart, p.windowEnd);
        } catch (IOException | RuntimeException e) {
            p.note("GC log unreadable: " + e);
        }
        try {
            session.execute("DROP KEYSPACE IF EXISTS " + keyspace); // its compactions must not weigh on the next run
            Directories.delete(checkpoint);
        } catch (IOException | RuntimeException e) {
            p.note("cleanup failed: " + e);
        }
        return p.result();
    }

    /**
     * BENCH_DRIVER_JAVA_OPTS, for profiling: extra options of the driver JVM, {@code {run}} standing for the run's
     * directory (e.g. {@code -XX:StartFlightRecording=filename={run}/driver.jfr,settings=profile}).
     */
    private static String driverProfiling(Path runDir) {
        String extra = System.getenv("BENCH_DRIVER_JAVA_OPTS");
        return extra == null || extra.isBlank() ? "" : " " + extra.replace("{run}", runDir.toString());
    }

    private void createSchema(Subject subject, String keyspace) {
        if (subject == Subject.JOB) {
            for (String statement : Schema.statements(keyspace, 1)) {
                session.execute(statement);
            }
        } else {
            session.execute("CREATE KEYSPACE IF NOT EXISTS " + keyspace
                    + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            session.execute("CREATE TABLE IF NOT EXISTS " + keyspace + "." + BASELINE_TABLE + " ("
                    + BaselineJob.TABLE_COLUMNS + ")");
        }
    }

    private SparkSubmitJob launch(Spec spec, String keyspace, Path checkpoint, int sourcePort, List<String> conf,
            Path log) throws IOException {
        if (spec.subject() == Subject.JOB) {
            return SparkSubmitJob.start(log, conf, jobArgs(keyspace, checkpoint, sourcePort, spec.batchInterval()));
        }
        List<String> baselineConf = new ArrayList<>(conf);
        baselineConf.addAll(List.of("spark.cassandra.connection.host=" + cassandra.host(),
                "spark.cassandra.connection.port=" + cassandra.nativePort(),
                "spark.cassandra.connection.localDC=" + LocalCassandra.DATACENTER,
                "spark.streaming.stopGracefullyOnShutdown=true"));
        return SparkSubmitJob.start(log, baselineConf, BaselineJob.class.getName(), baselineJar,
                List.of(SparkSubmitJob.jobJar()), List.of("127.0.0.1", String.valueOf(sourcePort),
                        String.valueOf(spec.batchInterval().toMillis()), keyspace, BASELINE_TABLE));
    }

    private int receivers(Subject subject) {
        return subject == Subject.JOB ? options.receivers() : 1;
    }

    private void measure(SparkSubmitJob app, String appId, GeneratorServer generator, EmissionTimeline timeline,
            SparkStreamingStats stats, Progress p) throws IOException, InterruptedException {
        int receivers = receivers(p.spec.subject());
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (generator.connections() < receivers) {
            if (!app.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(generator.connections() + " of " + receivers + " receivers connected"
                        + (app.isAlive() ? " after " + STARTUP_TIMEOUT : "; the application exited"));
            }
            Thread.sleep(200);
        }
        sleepWhileAlive(app, options.warmup());
        p.catchUpWait = awaitCaughtUp(app, stats, appId, p.spec.batchInterval(), options.catchUp());

        String rawTable = p.spec.subject() == Subject.JOB ? Schema.RAW_EVENTS : BASELINE_TABLE;
        Map<String, List<Long>> pids = new LinkedHashMap<>();
        pids.put("driver", List.of(app.pid()));
        pids.put("cassandra", List.of(cassandra.pid()));
        pids.put("harness", List.of(ProcessHandle.current().pid()));
        SourcesTable sources = new SourcesTable(session, p.keyspace, JOB_NAME, receivers);

        p.windowStart = System.currentTimeMillis();
        p.loadAtWindowStart = Machine.loadAverage();
        CpuUsage.Snapshot cpuBefore = cpuSnapshot(pids, cassandra);
        long generatorBefore = CpuUsage.threadsMillis(GENERATOR_THREADS);
        CassandraMetrics.Counts countsBefore = readMetrics(p.keyspace, rawTable);
        long acceptedBefore = p.spec.subject() == Subject.JOB ? sum(sources.longs("accepted")) : 0;
        FreshnessProbe probe = p.spec.subject() == Subject.JOB
                ? new FreshnessProbe(session, p.keyspace, timeline, generator.source()).start() : null;
        try {
            sleepWhileAlive(app, p.spec.window());
        } finally {
            if (probe != null) {
                p.freshness = probe.stop();
            }
            p.windowEnd = System.currentTimeMillis();
            long generatorMillis = CpuUsage.threadsMillis(GENERATOR_THREADS) - generatorBefore;
            CpuUsage.Snapshot cpuAfter = cpuSnapshot(pids, cassandra);
            p.cpu = CpuUsage.Usage.between(cpuBefore, cpuAfter, Map.of("generator", generatorMillis));
            p.cassandra = readMetrics(p.keyspace, rawTable).minus(countsBefore);
            p.loadAtWindowEnd = Machine.loadAverage();
            if (p.spec.subject() == Subject.JOB) {
                p.rowsWritten = sum(sources.longs("accepted")) - acceptedBefore;
            }
        }
        p.lag = timeline.lag(p.windowStart, p.windowEnd, 1_000);

        // a batch of the window's end may still be running: give it one interval plus a little to finish
        long grace = System.currentTimeMillis() + p.spec.batchInterval().toMillis() + 5_000;
        List<Batch> batches = stats.batches(appId);
        while (System.currentTimeMillis() < grace && batches.stream()
                .anyMatch(b -> BatchFigures.inWindow(b, p.windowStart, p.windowEnd) && !b.completed())) {
            Thread.sleep(500);
            batches = stats.batches(appId);
        }
        p.batches = batches;
        p.statistics = stats.statistics(appId);
        p.figures = BatchFigures.of(batches, p.windowStart, p.windowEnd, p.spec.batchInterval());
        if (p.spec.subject() == Subject.BASELINE) {
            // every line of the baseline with an order_id is one row (the rare garbage line without one is dropped)
            p.rowsWritten = p.figures.inputRecords();
        }
    }

    /** The CPU of {@code pids} and, as "compaction", of Cassandra's compaction threads. */
    static CpuUsage.Snapshot cpuSnapshot(Map<String, List<Long>> pids, LocalCassandra cassandra) {
        return CpuUsage.Snapshot.take(pids, Map.of("compaction", new CpuUsage.Threads(cassandra.pid(),
                COMPACTION_THREADS)));
    }

    private CassandraMetrics.Counts readMetrics(String keyspace, String table) {
        return metrics == null ? CassandraMetrics.Counts.unreadable() : metrics.read(keyspace, table);
    }

    /**
     * The first batches of a cold driver (and a cold Cassandra) are slow and leave a backlog that a job keeping up works
     * off within a minute or two; measured meanwhile, it would be charged to the window. Waits until
     * {@link BatchFigures#caughtUp} says the backlog is gone, for up to {@code limit}. Returns the time waited, -1 on
     * timeout (the window then starts anyway and its figures judge the backlog).
     */
    private static long awaitCaughtUp(SparkSubmitJob app, SparkStreamingStats stats, String appId,
            Duration batchInterval, Duration limit) throws IOException, InterruptedException {
        long start = System.currentTimeMillis();
        while (System.currentTimeMillis() - start < limit.toMillis()) {
            if (BatchFigures.caughtUp(stats.batches(appId), batchInterval)) {
                return System.currentTimeMillis() - start;
            }
            sleepWhileAlive(app, Duration.ofSeconds(1));
        }
        return -1;
    }

    private static void sleepWhileAlive(SparkSubmitJob app, Duration time) throws InterruptedException {
        long end = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < end) {
            if (!app.isAlive()) {
                throw new IllegalStateException("the application exited during the run");
            }
            Thread.sleep(Math.min(1_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
    }

    /** Graceful stop as the product does it (a stop request in Cassandra); killed if it does not exit in time. */
    private void stopJob(SparkSubmitJob job, String keyspace, Progress p) throws InterruptedException {
        if (!job.isAlive()) {
            p.stopOutcome = "had exited by itself (code " + job.awaitExit(Duration.ofSeconds(1)) + ")";
            return;
        }
        long started = System.nanoTime();
        try {
            new StopRequests(session, keyspace, JOB_NAME).request();
            int code = job.awaitExit(STOP_TIMEOUT);
            p.stopOutcome = "stopped gracefully in " + (System.nanoTime() - started) / 1_000_000_000 + " s, exit code "
                    + code;
            p.stoppedCleanly = code == 0;
            long uncommitted = uncommittedLines(keyspace);
            if (uncommitted > 0) {
                // the batches in flight wrote rows no commit covers (the next start replays them): nothing to check
                p.stopOutcome += ", but NOT DRAINED within the job's drain timeout (" + uncommitted
                        + " lines stored and not committed)";
                p.stoppedCleanly = false;
                p.undrained = true;
            }
        } catch (AssertionError | RuntimeException e) {
            job.kill();
            p.stopOutcome = "KILLED: no exit within " + Durations.format(STOP_TIMEOUT) + " of the stop request ("
                    + e.getMessage().lines().findFirst().orElse("") + ")";
        }
    }

    /** Lines the job's receivers stored that no commit covers: none after a drained stop. */
    private long uncommittedLines(String keyspace) {
        SourcesTable sources = new SourcesTable(session, keyspace, JOB_NAME, options.receivers());
        long[] stored = sources.longs("last_stored_seq");
        long[] processed = sources.longs("processed_seq");
        long uncommitted = 0;
        for (int source = 0; source < stored.length; source++) {
            uncommitted += Math.max(0, stored[source] - processed[source]);
        }
        return uncommitted;
    }

    /**
     * The baseline reads a plain connection that cannot be drained by request: the generator stops sending, the
     * harness waits until every line received is processed, reads how many lines the receiver got, then stops the
     * driver with SIGTERM (graceful by spark.streaming.stopGracefullyOnShutdown).
     */
    private void stopBaseline(SparkSubmitJob app, GeneratorServer generator, SparkStreamingStats stats, String appId,
            Progress p) throws InterruptedException {
        generator.close();
        try {
            if (appId != null && app.isAlive()) {
                long deadline = System.currentTimeMillis() + BASELINE_DRAIN_TIMEOUT.toMillis();
                long settle = p.spec.batchInterval().toMillis() + 1_000;
                SparkStreamingStats.Statistics last = null;
                while (System.currentTimeMillis() < deadline) {
                    SparkStreamingStats.Statistics s = stats.statistics(appId);
                    if (last != null && s.processedRecords() == s.receivedRecords()
                            && s.receivedRecords() == last.receivedRecords()) {
                        p.received = s.receivedRecords();
                        break;
                    }
                    last = s;
                    Thread.sleep(settle);
                }
                if (p.received < 0) {
                    p.note("the baseline did not finish its received lines within " + BASELINE_DRAIN_TIMEOUT);
                }
            }
        } catch (IOException | RuntimeException e) {
            p.note("could not read the baseline's received lines: " + e);
        } finally {
            long started = System.nanoTime();
            app.close();
            p.stopOutcome = "generator closed, then SIGTERM; ended in " + (System.nanoTime() - started) / 1_000_000_000
                    + " s";
            p.stoppedCleanly = true;
        }
    }

    private void check(Progress p, GeneratorSettings settings) {
        if (p.undrained) {
            p.note("exactness not checked: the stop did not drain, so the tables hold rows of batches no commit covers");
            return;
        }
        try {
            io.streamcontrol.generator.SalesEventSource source = new io.streamcontrol.generator.SalesEventSource(settings);
            if (p.spec.subject() == Subject.JOB) {
                p.check = ExactnessCheck.job(session, p.keyspace, JOB_NAME, source, options.receivers(),
                        LATENESS.toMillis(), TOP_N_WINDOW.toMillis(), TOP_N_SLIDE.toMillis(), TOP_N);
            } else if (p.received >= 0) {
                p.check = ExactnessCheck.baseline(session, p.keyspace, BASELINE_TABLE, source, p.received);
            }
        } catch (RuntimeException e) {
            p.note("the check failed: " + e);
        }
    }

    private static long sum(long[] values) {
        return Arrays.stream(values).filter(v -> v > 0).sum();
    }

    /** The figures gathered so far; a failed run reports what it got. */
    private static final class Progress {
        final int index;
        final Spec spec;
        final String keyspace;
        final Path runDir;
        long windowStart;
        long windowEnd;
        FreshnessProbe.Result freshness;
        GeneratorLag lag;
        CpuUsage.Usage cpu;
        GcLog.Summary gc;
        List<GcLog.Pause> gcPauses = List.of();
        CassandraMetrics.Counts cassandra;
        long rowsWritten = -1;
        long received = -1;
        ExactnessCheck.Result check;
        List<Batch> batches = List.of();
        SparkStreamingStats.Statistics statistics;
        BatchFigures figures;
        long catchUpWait;
        String loadAtWindowStart;
        String loadAtWindowEnd;
        String stopOutcome = "";
        boolean stoppedCleanly;
        boolean undrained;
        String error;
        final List<String> notes = new ArrayList<>();

        Progress(int index, Spec spec, String keyspace, Path runDir) {
            this.index = index;
            this.spec = spec;
            this.keyspace = keyspace;
            this.runDir = runDir;
        }

        void note(String note) {
            notes.add(note);
        }

        Result result() {
            List<String> unsustained = new ArrayList<>();
            if (figures != null) {
                unsustained.addAll(figures.unsustainedReasons(spec.batchInterval(), spec.rate(), lag));
            }
            if (freshness != null) {
                BatchFigures.stalenessReason(freshness.delays(), spec.batchInterval()).ifPresent(unsustained::add);
            }
            if (!stoppedCleanly) {
                unsustained.add("no clean stop: " + stopOutcome);
            }
            if (check == null) {
                unsustained.add("what it wrote was not checked");
            } else if (!check.exact()) {
                unsustained.add("what it wrote is not exact");
            }
            String stop = notes.isEmpty() ? stopOutcome : stopOutcome + "; " + String.join("; ", notes);
            return new Result(index, spec, keyspace, figures, lag, unsustained, freshness, cpu, gc, gcPauses,
                    cassandra, rowsWritten, check, statistics, batches, windowStart, windowEnd, catchUpWait,
                    loadAtWindowStart, loadAtWindowEnd, stop, stoppedCleanly, error, runDir);
        }
    }
}
