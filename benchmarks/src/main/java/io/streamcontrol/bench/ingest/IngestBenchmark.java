package io.streamcontrol.bench.ingest;

import static io.streamcontrol.bench.harness.BenchmarkMain.progress;

import com.datastax.oss.driver.api.core.CqlSession;
import io.streamcontrol.bench.harness.BenchmarkMain;
import io.streamcontrol.bench.harness.CpuUsage;
import io.streamcontrol.bench.ingest.IngestRun.Subject;
import io.streamcontrol.cassandra.LocalCassandra;
import io.streamcontrol.contract.settings.Durations;
import io.streamcontrol.contract.tables.Schema;
import io.streamcontrol.testkit.SparkSubmitJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Measures, on this machine, Cassandra's own write limit for the job's raw rows, the highest event rate the streaming
 * job sustains per batch interval (bisection, confirmed by full-length repetitions, exact tables after each window),
 * the same for a plain baseline job, and the job at the claimed rate with other key spaces. See
 * {@link IngestBenchmarkOptions#USAGE} and benchmarks/README.md.
 *
 * <p>Exit code: 0 = every search claimed a rate and nothing failed; 1 = a failure (an error, a job run whose tables
 * are not exact or that did not stop gracefully); 3 = no job rate could be claimed for some batch interval.
 */
public final class IngestBenchmark implements BenchmarkMain.CassandraBenchmark {

    static final String WRITE_LIMIT_KEYSPACE = "bench_write_limit";
    /** Two runs in a row that fail outright (no figures) end a search: the application does not run. */
    static final int MAX_FAILED_RUNS_IN_A_ROW = 2;
    static final Duration KEY_SPACE_INTERVAL = Duration.ofSeconds(5);

    private final IngestBenchmarkOptions options;
    private final IngestReport report;
    /** The application process now running, killed by the shutdown hook if the harness is interrupted. */
    private final AtomicReference<SparkSubmitJob> runningJob = new AtomicReference<>();

    private IngestBenchmark(IngestBenchmarkOptions options, String commandLine) {
        this.options = options;
        this.report = new IngestReport(options, commandLine);
    }

    public static void main(String[] args) throws Exception {
        BenchmarkMain.run(args, "ingest benchmark", IngestBenchmarkOptions.USAGE, IngestBenchmarkOptions::parse,
                options -> new IngestBenchmark(options, System.getProperty("bench.command",
                        "benchmarks/run-ingest-benchmark.sh " + String.join(" ", args))).run());
    }

    /** As long as the measurement: a Cassandra just started writes far slower for its first seconds. */
    static Duration writeLimitWarmup(IngestBenchmarkOptions options) {
        return options.cassandraWriteTime();
    }

    /** Runs everything asked for; the exit code. */
    private int run() throws Exception {
        BenchmarkMain.withCassandra(options.out(), this);
        Path written = report.write(options.out());
        copyToResults(written);
        System.out.println();
        System.out.print(report.markdown());
        System.out.println("(written to " + written + ", with runs.csv, batches.csv, gc.csv, cassandra-limit.csv)");
        if (report.hasFailures()) {
            return 1;
        }
        return options.skipJob() || report.everyJobRateClaimed() ? 0 : 3;
    }

    @Override
    public void measure(Path work, LocalCassandra cassandra, CqlSession session) throws Exception {
        try (CassandraMetrics metrics = metrics(cassandra)) {
            if (!options.skipCassandraLimit()) {
                measureCassandraLimit(session, "start");
            }
            IngestRun runner = new IngestRun(session, cassandra, metrics, options, work, baselineJar(), runningJob);
            measureSearches(runner);
            if (!options.skipKeySpace() && (!options.skipJob() || options.keySpaceRate() > 0)) {
                measureKeySpaces(session, runner);
            }
            if (!options.skipCassandraLimit()) {
                measureCassandraLimit(session, "end");
                measureSustainedLimit(session, cassandra, metrics);
            }
        }
    }

    @Override
    public void failed(String error) {
        report.failure(error);
    }

    @Override
    public void afterCassandraStopped() {
        report.finished();
    }

    private static CassandraMetrics.Counts readMetrics(CassandraMetrics metrics) {
        return metrics == null ? CassandraMetrics.Counts.unreadable()
                : metrics.read(WRITE_LIMIT_KEYSPACE, Schema.RAW_EVENTS);
    }

    private CassandraMetrics metrics(LocalCassandra cassandra) {
        try {
            return CassandraMetrics.connect(cassandra.jmxPort());
        } catch (IOException | RuntimeException e) {
            report.note("Cassandra's JMX counters unavailable (no rows per statement): " + e);
            return null;
        }
    }

    private static Path baselineJar() {
        String jar = System.getProperty("baseline.jar");
        return jar == null || jar.isEmpty() ? null : Path.of(jar);
    }

    private void measureCassandraLimit(CqlSession session, String when) throws InterruptedException {
        progress("measuring Cassandra's own write limit (" + when + " of the run)");
        report.cassandraLimits(when, measureBursts(session, options.products()));
    }

    /** Both methods, each warmed up and then measured for --cassandra-write-seconds, with rows of {@code products}. */
    private List<CassandraWriteLimit.Result> measureBursts(CqlSession session, int products)
            throws InterruptedException {
        List<CassandraWriteLimit.Result> limits = new CassandraWriteLimit(session, WRITE_LIMIT_KEYSPACE, products)
                .measure(writeLimitWarmup(options), options.cassandraWriteTime());
        for (CassandraWriteLimit.Result r : limits) {
            progress(String.format(Locale.ROOT, "  %s: %,.0f rows/s", r.method(), r.rowsPerSecond()));
        }
        session.execute("DROP KEYSPACE IF EXISTS " + WRITE_LIMIT_KEYSPACE);
        return limits;
    }

    /**
     * The batched method for as long as a job's window, with Cassandra's (and of it, compaction's) and the harness's
     * CPU over it, and Cassandra's compaction backlog before and after.
     */
    private void measureSustainedLimit(CqlSession session, LocalCassandra cassandra, CassandraMetrics metrics)
            throws InterruptedException {
        if (options.cassandraSustainedTime().isZero()) {
            return;
        }
        progress("measuring Cassandra's batched write limit sustained for "
                + Durations.format(options.cassandraSustainedTime()));
        Map<String, List<Long>> pids = new LinkedHashMap<>();
        pids.put("cassandra", List.of(cassandra.pid()));
        pids.put("harness", List.of(ProcessHandle.current().pid()));
        CassandraMetrics.Counts countsBefore = readMetrics(metrics);
        CpuUsage.Snapshot before = IngestRun.cpuSnapshot(pids, cassandra);
        CassandraWriteLimit.Result sustained = new CassandraWriteLimit(session, WRITE_LIMIT_KEYSPACE,
                options.products()).sustained(options.cassandraSustainedTime());
        CpuUsage.Usage cpu = CpuUsage.Usage.between(before, IngestRun.cpuSnapshot(pids, cassandra), Map.of());
        CassandraMetrics.Counts counts = readMetrics(metrics).minus(countsBefore);
        progress(String.format(Locale.ROOT, "  %,.0f rows/s sustained; compaction tasks pending before %d, after %d",
                sustained.rowsPerSecond(), counts.pendingCompactionsBefore(), counts.pendingCompactions()));
        report.sustainedLimit(sustained, cpu, counts);
        session.execute("DROP KEYSPACE IF EXISTS " + WRITE_LIMIT_KEYSPACE);
    }

    private void measureSearches(IngestRun runner) throws IOException, InterruptedException {
        int jobStart = options.startRate();
        for (Duration interval : options.batchIntervals()) {
            int baselineStart = jobStart;
            if (!options.skipJob()) {
                SearchOutcome job = search(runner, Subject.JOB, interval, options.products(),
                        newSearch(options.bracket(), jobStart));
                if (job.hasClaim()) {
                    jobStart = job.claimed(); // the next (shorter) interval starts from here
                    baselineStart = job.claimed();
                }
            }
            if (!options.skipBaseline()) {
                if (baselineJar() == null) {
                    report.failure("no baseline jar (system property baseline.jar): run through run-ingest-benchmark.sh");
                } else {
                    search(runner, Subject.BASELINE, interval, options.products(),
                            newSearch(options.baselineBracket(), baselineStart));
                }
            }
        }
    }

    private RateSearch newSearch(int[] bracket, int start) {
        return bracket != null
                ? RateSearch.within(bracket[0], bracket[1], options.precision(), options.maxSteps(), options.maxConfirmations())
                : RateSearch.from(start, options.precision(), options.maxSteps(), options.maxConfirmations());
    }

    private void measureKeySpaces(CqlSession session, IngestRun runner) throws IOException, InterruptedException {
        int rate = options.keySpaceRate();
        if (rate > 0) {
            report.note(String.format(Locale.ROOT, "key space: at %,d/s as given (--key-space-rate), not at a rate this"
                    + " run claimed", rate));
        } else {
            SearchOutcome claimed = options.batchIntervals().contains(KEY_SPACE_INTERVAL)
                    ? lastJobSearch(KEY_SPACE_INTERVAL) : null;
            if (claimed == null || !claimed.hasClaim()) {
                report.note("key space: not measured, there is no claimed job rate for 5 s batches");
                return;
            }
            rate = claimed.claimed();
        }
        for (int products : options.keySpaceProducts()) {
            IngestRun.Result run = keySpaceWindow(runner, rate, products, "key space");
            IngestRun.Result floorRun = !run.sustained() && options.keySpaceFloor() > 0
                    ? keySpaceWindow(runner, (int) Math.round(rate * options.keySpaceFloor()), products, "key space floor")
                    : null;
            SearchOutcome own = options.keySpaceBisect()
                    ? search(runner, Subject.JOB, KEY_SPACE_INTERVAL, products, newSearch(null, rate)) : null;
            CassandraWriteLimit.Result cassandraAlone = null;
            if (!options.skipCassandraLimit()) {
                progress(String.format(Locale.ROOT, "key space: Cassandra's own write limit with %,d products", products));
                cassandraAlone = measureBursts(session, products).stream()
                        .filter(r -> r.method().equals(CassandraWriteLimit.BATCHED)).findFirst().orElseThrow();
            }
            report.keySpace(new IngestReport.KeySpace(products, rate, run, floorRun, own, cassandraAlone));
        }
    }

    private IngestRun.Result keySpaceWindow(IngestRun runner, int rate, int products, String purpose)
            throws IOException, InterruptedException {
        progress(String.format(Locale.ROOT, "%s: job at %,d/s with %,d products", purpose, rate, products));
        IngestRun.Result run = runner.run(new IngestRun.Spec(Subject.JOB, KEY_SPACE_INTERVAL, rate, options.duration(),
                purpose, 1, products));
        report.run(run);
        progress("  " + describe(run));
        return run;
    }

    private SearchOutcome lastJobSearch(Duration interval) {
        return searches.stream().filter(s -> s.subject() == Subject.JOB && s.batchInterval().equals(interval)
                && s.products() == options.products()).reduce((a, b) -> b).orElse(null);
    }

    private final List<SearchOutcome> searches = new ArrayList<>();

    /** Runs a search to its end: probe windows, then full-length confirmations of the candidate. */
    private SearchOutcome search(IngestRun runner, Subject subject, Duration interval, int products, RateSearch search)
            throws IOException, InterruptedException {
        String what = subject.label + ", " + Durations.format(interval) + " batches"
                + (products != options.products() ? String.format(Locale.ROOT, ", %,d products", products) : "");
        List<IngestRun.Result> results = new ArrayList<>();
        int failedInARow = 0;
        RateSearch.Finished finished = null;
        while (finished == null) {
            RateSearch.Step step = search.next();
            if (step instanceof RateSearch.Finished f) {
                finished = f;
            } else if (step instanceof RateSearch.Probe probe) {
                IngestRun.Result r = runAndReport(runner, what, new IngestRun.Spec(subject, interval, probe.rate(),
                        options.probeDuration(), "probe", 1, products));
                results.add(r);
                failedInARow = r.figures() == null ? failedInARow + 1 : 0;
                search.probed(r.sustained());
            } else if (step instanceof RateSearch.Confirm confirm) {
                boolean all = true;
                for (int rep = 1; rep <= options.repetitions() && all; rep++) {
                    IngestRun.Result r = runAndReport(runner, what, new IngestRun.Spec(subject, interval,
                            confirm.rate(), options.duration(), "confirm", rep, products));
                    results.add(r);
                    failedInARow = r.figures() == null ? failedInARow + 1 : 0;
                    all = r.sustained(); // one unsustained repetition is enough to reject the rate
                }
                search.confirmed(all);
            }
            if (finished == null && failedInARow >= MAX_FAILED_RUNS_IN_A_ROW) {
                finished = new RateSearch.Finished(0, "given up: " + failedInARow + " runs in a row failed (last: "
                        + results.get(results.size() - 1).error() + ")");
            }
        }
        progress(what + ": " + (finished.hasClaim() ? String.format(Locale.ROOT, "%,d/s claimed", finished.claimed())
                : "no rate claimed") + " (" + finished.why() + ")");
        SearchOutcome outcome = new SearchOutcome(subject, interval, products, finished, search.history(), results);
        searches.add(outcome);
        report.search(outcome);
        return outcome;
    }

    private IngestRun.Result runAndReport(IngestRun runner, String what, IngestRun.Spec spec)
            throws IOException, InterruptedException {
        progress(String.format(Locale.ROOT, "%s: %s at %,d/s (%s window%s)", what, spec.purpose(), spec.rate(),
                Durations.format(spec.window()), spec.purpose().equals("confirm") ? ", repetition " + spec.repetition()
                        + " of " + options.repetitions() : ""));
        IngestRun.Result r = runner.run(spec);
        report.run(r);
        progress("  " + describe(r));
        return r;
    }

    private static String describe(IngestRun.Result r) {
        String verdict = r.error() != null ? "FAILED: " + r.error()
                : r.sustained() ? "sustained" : "not sustained: " + String.join("; ", r.unsustained());
        return verdict + (r.check() != null ? "; " + r.check().summary() : "") + "; " + r.stopOutcome();
    }

    /** Copies the report to {@code --results-dir}/ingest-yyyy-mm-dd.md, for full-length runs only. */
    private void copyToResults(Path written) throws IOException {
        if (options.resultsDir() == null) {
            return;
        }
        if (!options.fullLength()) {
            progress("not copied to " + options.resultsDir() + ": a short run is not a result (needs --duration >= "
                    + Durations.format(IngestBenchmarkOptions.FULL_DURATION) + " and --repetitions >= "
                    + IngestBenchmarkOptions.FULL_REPETITIONS + ")");
            return;
        }
        Files.createDirectories(options.resultsDir());
        Path target = options.resultsDir().resolve(report.resultFileName());
        Files.copy(written, target, StandardCopyOption.REPLACE_EXISTING);
        progress("report copied to " + target);
    }

    @Override
    public void interrupted() {
        SparkSubmitJob job = runningJob.getAndSet(null);
        if (job != null && job.isAlive()) {
            System.err.println("ingest benchmark: interrupted, killing the application (pid " + job.pid() + ")");
            try {
                job.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
