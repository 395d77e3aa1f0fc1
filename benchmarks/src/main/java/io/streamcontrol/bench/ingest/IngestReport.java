package io.streamcontrol.bench.ingest;

import io.streamcontrol.bench.harness.CpuUsage;
import io.streamcontrol.bench.harness.Machine;
import io.streamcontrol.bench.harness.Markdown;
import io.streamcontrol.bench.harness.SparkStreamingStats.Batch;
import io.streamcontrol.bench.ingest.IngestRun.Subject;
import io.streamcontrol.contract.settings.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The ingest benchmark's Markdown report ({@code report.md}) and raw CSVs. */
final class IngestReport {

    static final String BATCHED_LIMIT_METHOD = CassandraWriteLimit.BATCHED;

    /**
     * A key-space run: the job at the claimed 5 s rate with another number of products, the window at the floor share
     * of that rate when the claimed one was not sustained, its own search, and Cassandra's batched limit for raw rows of
     * that many products (null: not run, not searched, not measured).
     */
    record KeySpace(int products, int rate, IngestRun.Result run, IngestRun.Result floorRun, SearchOutcome search,
            CassandraWriteLimit.Result cassandraAlone) {
    }

    private final IngestBenchmarkOptions options;
    private final String commandLine;
    private final Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final String loadAtStart = Machine.loadAverages();
    private Instant finished;
    private String loadAtEnd;
    /** Cassandra's write limit measured at the start of the run and again at its end, by when. */
    private final Map<String, List<CassandraWriteLimit.Result>> cassandraLimits = new LinkedHashMap<>();
    /** The batched limit held as long as a job's window, and the CPU used meanwhile; null until measured. */
    private CassandraWriteLimit.Result sustainedLimit;
    private CpuUsage.Usage sustainedCpu;
    private CassandraMetrics.Counts sustainedCounts;
    private final List<SearchOutcome> searches = new ArrayList<>();
    private final List<KeySpace> keySpaces = new ArrayList<>();
    private final List<IngestRun.Result> runs = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    IngestReport(IngestBenchmarkOptions options, String commandLine) {
        this.options = options;
        this.commandLine = commandLine;
    }

    /** One measurement of Cassandra's limit; {@code when} says when in the run ("start", "end"). */
    void cassandraLimits(String when, List<CassandraWriteLimit.Result> limits) {
        cassandraLimits.put(when, limits);
    }

    void sustainedLimit(CassandraWriteLimit.Result limit, CpuUsage.Usage cpu, CassandraMetrics.Counts counts) {
        this.sustainedLimit = limit;
        this.sustainedCpu = cpu;
        this.sustainedCounts = counts;
    }

    void run(IngestRun.Result run) {
        runs.add(run);
        if (run.failed()) {
            failures.add(String.format(Locale.ROOT, "run %d (%s at %,d/s, %s batches): %s", run.index(),
                    run.spec().subject().label, run.spec().rate(), Durations.format(run.spec().batchInterval()),
                    failureOf(run)));
        }
    }

    void search(SearchOutcome search) {
        searches.add(search);
    }

    void keySpace(KeySpace keySpace) {
        keySpaces.add(keySpace);
    }

    void failure(String what) {
        failures.add(what);
    }

    void note(String what) {
        notes.add(what);
    }

    void finished() {
        finished = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        loadAtEnd = Machine.loadAverages();
    }

    boolean hasFailures() {
        return !failures.isEmpty();
    }

    /** Whether every searched batch interval has a confirmed job rate. */
    boolean everyJobRateClaimed() {
        return searches.stream().filter(s -> s.subject() == Subject.JOB && s.products() == options.products())
                .allMatch(SearchOutcome::hasClaim);
    }

    private static String failureOf(IngestRun.Result run) {
        if (run.error() != null) {
            return "error: " + run.error();
        }
        if (!run.stoppedCleanly()) {
            return "no graceful stop: " + run.stopOutcome();
        }
        if (run.check() == null) {
            return "its tables were not checked: " + run.stopOutcome();
        }
        return "tables not exact: " + String.join("; ", run.check().tables().stream()
                .filter(t -> t.contains("DIFFERS")).toList());
    }

    // ------------------------------------------------------------------------------------------------ Markdown

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Ingest benchmark, ").append(started).append("\n\n");
        out.append(options.fullLength()
                ? "Full-length run: every claimed rate held for " + Durations.format(options.duration()) + " windows x "
                        + options.repetitions() + " repetitions.\n\n"
                : "**SHORT RUN - not a result**: windows of " + Durations.format(options.duration()) + " x "
                        + options.repetitions() + " repetitions (a result needs at least "
                        + Durations.format(IngestBenchmarkOptions.FULL_DURATION) + " x "
                        + IngestBenchmarkOptions.FULL_REPETITIONS + ").\n\n");
        verdict(out);
        machine(out);
        method(out);
        cassandra(out);
        for (Duration interval : options.batchIntervals()) {
            interval(out, interval);
        }
        keySpaceSection(out);
        if (!failures.isEmpty() || !notes.isEmpty()) {
            out.append("## Failures and notes\n\n");
            failures.forEach(f -> out.append("- FAILURE: ").append(Markdown.cell(f)).append('\n'));
            notes.forEach(n -> out.append("- ").append(Markdown.cell(n)).append('\n'));
            out.append('\n');
        }
        out.append("## Files\n\n`runs.csv` (one line per run, every figure), `batches.csv` (every batch of every run),"
                + " `gc.csv` (every driver GC pause of every run: heap before/after), `cassandra-limit.csv`;"
                + " `work/runs/<run>/` holds each driver's log and GC log, `work/cassandra/` Cassandra's data and logs.\n");
        return out.toString();
    }

    private void verdict(StringBuilder out) {
        out.append("## Verdict\n\n");
        Optional<CassandraWriteLimit.Result> limit = batchedLimit();
        for (Duration interval : options.batchIntervals()) {
            Optional<SearchOutcome> job = search(Subject.JOB, interval, options.products());
            Optional<SearchOutcome> baseline = search(Subject.BASELINE, interval, options.products());
            out.append("- **").append(Durations.format(interval)).append(" batches: ")
                    .append(verdictLine(job, baseline, Optional.ofNullable(sustainedLimit), limit)).append("**\n");
        }
        long jobRuns = runs.stream().filter(r -> r.spec().subject() == Subject.JOB).count();
        long exact = runs.stream().filter(r -> r.spec().subject() == Subject.JOB && r.check() != null
                && r.check().exact()).count();
        out.append(String.format(Locale.ROOT, "- Exactness: %d of %d job runs stopped gracefully with exact tables%s%n",
                runs.stream().filter(r -> r.spec().subject() == Subject.JOB && !r.failed()).count(), jobRuns,
                exact == jobRuns ? "" : " - **" + (jobRuns - exact) + " NOT EXACT or unchecked** (see Failures)"));
        for (KeySpace k : keySpaces) {
            out.append(String.format(Locale.ROOT, "- Key space %,d products at %,d/s (5 s batches): %s%s%s%s%n",
                    k.products(), k.rate(), k.run() == null ? "not run" : sustainedWord(k.run()),
                    k.run() == null ? "" : "; heap after GC " + heapTrend(k.run().gc()),
                    k.floorRun() == null ? "" : String.format(Locale.ROOT, "; at %,d/s (%s of the claim): %s, heap after"
                            + " GC %s", k.floorRun().spec().rate(), percentOfClaim(k), sustainedWord(k.floorRun()),
                            heapTrend(k.floorRun().gc())),
                    k.cassandraAlone() == null ? "" : String.format(Locale.ROOT,
                            "; Cassandra alone, batched raw rows of %,d products: %,.0f rows/s", k.products(),
                            k.cassandraAlone().rowsPerSecond())));
        }
        if (!failures.isEmpty()) {
            out.append("- **FAILED**: ").append(failures.size()).append(" failure(s), listed at the end\n");
        }
        out.append('\n');
    }

    /**
     * "job N events/s = X% of Cassandra's batched limit = Y× the baseline job"; with a sustained limit, the share is of
     * that one, the share of the short measurement's next to it.
     */
    static String verdictLine(Optional<SearchOutcome> job, Optional<SearchOutcome> baseline,
            Optional<CassandraWriteLimit.Result> sustained, Optional<CassandraWriteLimit.Result> limit) {
        String jobRate = job.filter(SearchOutcome::hasClaim).map(s -> String.format(Locale.ROOT, "%,d", s.claimed()))
                .orElse(job.isPresent() ? "(no rate confirmed)" : "(not measured)");
        String share = sustained.isPresent()
                ? share(job, sustained) + " of Cassandra's sustained batched limit (" + share(job, limit)
                        + " of its best short measurement)"
                : share(job, limit) + " of Cassandra's batched limit";
        String times = job.filter(SearchOutcome::hasClaim).flatMap(s -> baseline.filter(SearchOutcome::hasClaim)
                .map(b -> String.format(Locale.ROOT, "%.2f×", s.claimed() / (double) b.claimed()))).orElse("?×");
        String baselineNote = baseline.map(b -> b.hasClaim() ? String.format(Locale.ROOT, " (%,d events/s)", b.claimed())
                : " (baseline: no rate confirmed)").orElse(" (baseline not measured)");
        return "job " + jobRate + " events/s = " + share + " = " + times + " the baseline job" + baselineNote;
    }

    private static String share(Optional<SearchOutcome> job, Optional<CassandraWriteLimit.Result> limit) {
        return job.filter(SearchOutcome::hasClaim).flatMap(s -> limit.map(l -> String.format(Locale.ROOT, "%.0f%%",
                100.0 * s.claimed() / l.rowsPerSecond()))).orElse("?%");
    }

    /**
     * The higher of the batched measurements: a single one has come out a third low on this shared machine (Cassandra
     * just started, or a neighbour busy), which would flatter the job's share of it.
     */
    private Optional<CassandraWriteLimit.Result> batchedLimit() {
        return cassandraLimits.values().stream().flatMap(List::stream)
                .filter(r -> r.method().equals(BATCHED_LIMIT_METHOD))
                .max(Comparator.comparingDouble(CassandraWriteLimit.Result::rowsPerSecond));
    }

    private Optional<SearchOutcome> search(Subject subject, Duration interval, int products) {
        return searches.stream().filter(s -> s.subject() == subject && s.batchInterval().equals(interval)
                && s.products() == products).findFirst();
    }

    private void machine(StringBuilder out) {
        out.append("## Machine and settings\n\n");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("command", "`" + commandLine + "`"));
        rows.add(List.of("started / finished (UTC)", started + " / " + (finished == null ? "-" : finished)));
        rows.add(List.of("CPUs (nproc)", String.valueOf(Runtime.getRuntime().availableProcessors())));
        rows.add(List.of("CPU model", Machine.cpuModel()));
        rows.add(List.of("memory", Machine.memTotal()));
        rows.add(List.of("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.home") + ")"));
        rows.add(List.of("load average 1/5/15 min at start / end", loadAtStart + " / " + (loadAtEnd == null ? "-" : loadAtEnd)
                + (Machine.busy(loadAtStart.split(" ")[0]) ? " - **the machine was busy at the start: figures understate it**" : "")));
        rows.add(List.of("Cassandra", Machine.cassandraVersion() + " single node (LocalCassandra, heap 1g, concurrent_writes 32),"
                + " keyspaces with replication factor 1"));
        rows.add(List.of("Spark", "spark-submit local[4], driver memory 768m (the same for job and baseline); driver GC"
                + " logged with `" + GcLog.OPTION + "`"));
        rows.add(List.of("job", options.receivers() + " receivers, lateness " + Durations.format(IngestRun.LATENESS)
                + ", top-" + IngestRun.TOP_N + " over " + Durations.format(IngestRun.TOP_N_WINDOW) + " sliding by "
                + Durations.format(IngestRun.TOP_N_SLIDE) + ", extra settings: "
                + (options.jobArgs().isEmpty() ? "none" : "`" + String.join(" ", options.jobArgs()) + "`")));
        rows.add(List.of("baseline", "`BaselineJob`: one socketTextStream receiver (plain lines), per batch"
                + " saveToCassandra of (order_id, line), connector defaults, no WAL, no checkpoint"));
        rows.add(List.of("input (generator, in the harness JVM)", String.format(Locale.ROOT, "%d products (searches), 5 regions,"
                + " 50 states, Zipf skew 1; %.1f%% malformed, %.1f%% late by %s (accepted), %.1f%% too late by %s"
                + " (rejected)", options.products(), options.malformedShare() * 100, options.lateShare() * 100,
                Durations.format(IngestRun.LATE_BY), options.veryLateShare() * 100, Durations.format(IngestRun.VERY_LATE_BY))));
        rows.add(List.of("windows", String.format(Locale.ROOT, "warmup %s (+ up to %s until caught up: the newest"
                + " batch scheduled within a fifth of an interval); probes %s; confirmations and key space %s;"
                + " %d repetitions", Durations.format(options.warmup()),
                Durations.format(options.catchUp()), Durations.format(options.probeDuration()),
                Durations.format(options.duration()), options.repetitions())));
        rows.add(List.of("search", String.format(Locale.ROOT, "job %s; baseline %s; bisect until hi/lo < %.2f, at most %d"
                + " probe steps and %d confirmations per search", options.bracket() == null ? "doubling from "
                + options.startRate() + "/s (1 s batches: from the 5 s claim)" : "bracket " + options.bracket()[0] + ","
                + options.bracket()[1], options.baselineBracket() == null ? "doubling from the job's claim"
                : "bracket " + options.baselineBracket()[0] + "," + options.baselineBracket()[1], options.precision(),
                options.maxSteps(), options.maxConfirmations())));
        out.append(Markdown.table(List.of("what", "value"), rows)).append('\n');
    }

    private void method(StringBuilder out) {
        out.append("## How it is measured\n\n");
        out.append("- **Sustained** (every criterion over the window's batches, from the driver's REST API): input >= "
                + "95% of the target; median scheduling delay < 1 batch interval (no standing backlog); the scheduling"
                + " delay's least-squares line rises by < 1 interval over the window (slope about zero); the generator's"
                + " lag (wall clock minus the event time of the newest line sent) rises by < 1 interval (at least 1 s):"
                + " it grows when the receivers stop reading; every batch of the window finished within interval + 5 s;"
                + " average processing time < the interval; job: freshness p99 <= 2 intervals; a clean stop; exact"
                + " tables (job) or one row per line (baseline).\n");
        out.append("- **Search**: bisection (see settings); probe steps use " + Durations.format(options.probeDuration())
                + " windows, the claimed rate is the one that held in " + options.repetitions() + " full-length ("
                + Durations.format(options.duration()) + ") windows in a row; a failed confirmation makes that rate the"
                + " upper bound. Every run starts fresh: new keyspace, checkpoint, generator and driver.\n");
        out.append("- **Exactness** (job): after each window the job is stopped gracefully (a `stop_requests` row); the"
                + " generator's lines 0..`processed_seq` of each source (`sources` table) are recomputed with the rule of"
                + " the test kit's `ExpectedResults` (streaming, unit-tested equal to it) and every table is paged"
                + " through: raw_events (every column), rejects, rollups, running_totals, top_n, the sources' counters."
                + " Any difference fails the run and the benchmark (exit code 1).\n");
        out.append("- **Baseline check**: rows in its table = distinct order_ids among the lines its receiver got"
                + " (`numReceivedRecords` after the generator stopped and every batch finished).\n");
        out.append("- **CPU** over the window from /proc: the driver JVM (spark-submit execs it), Cassandra's JVM, the"
                + " harness JVM (incl. generator, freshness probe); the generator's own threads by ThreadMXBean; the"
                + " machine's idle share from /proc/stat. Per event = CPU time / events the application received in the"
                + " window (µs = 1e-6 CPU-s).\n");
        out.append("- **GC**: the driver's GC log; pauses in the window, heap after GC first/last/min/max and its"
                + " least-squares slope (MB/min; flat = no growth); the full series is in gc.csv.\n");
        out.append("- **Rows per statement**: Cassandra's own counters over JMX (local port): CQL write requests"
                + " coordinated (ClientRequest Write; a batch counts once), those writing the raw table"
                + " (Table CoordinatorWriteLatency count) and its partition updates (Table WriteLatency count); rows ="
                + " the job's `sources.accepted` growth over the window (baseline: lines received).\n");
        out.append("- **Freshness** (job): the region/minute rollups polled every "
                + FreshnessProbe.POLL_INTERVAL.toMillis() + " ms; an event counts as fresh at the first poll whose"
                + " bucket count includes it (members of a minute recomputed from the generator's lines, late ones in"
                + " the minute they were shifted to), minus when the generator sent it.\n\n");
    }

    private void cassandra(StringBuilder out) {
        out.append("## Cassandra's own write limit\n\n");
        if (options.skipCassandraLimit() || cassandraLimits.isEmpty()) {
            out.append(options.skipCassandraLimit() ? "Skipped (--skip-cassandra-limit).\n\n" : "Not measured.\n\n");
            return;
        }
        out.append("raw_events rows from the generator's events, from the harness JVM, no Spark; each method warmed up for "
                + Durations.format(IngestBenchmark.writeLimitWarmup(options)) + ", then measured for "
                + Durations.format(options.cassandraWriteTime()) + ", at the start of the run and again at its end."
                + " Without the sustained measurement below, \"the limit\" is the higher of the batched ones.\n\n");
        List<List<String>> rows = new ArrayList<>();
        cassandraLimits.forEach((when, results) -> results.forEach(r ->
            rows.add(List.of(when, r.method(), r.rowsPerBatch() > 1
                    ? String.format(Locale.ROOT, "%d batches in flight, %.1f rows/batch", r.inFlight(), r.rowsPerBatch())
                    : String.format(Locale.ROOT, "%d rows in flight", r.inFlight()),
                    String.format(Locale.ROOT, "%,.0f", r.rowsPerSecond()), String.format(Locale.ROOT, "%,d", r.rows()),
                    r.failures() + (r.failures() > 0 ? " (first: " + r.firstFailure() + ")" : "")))));
        out.append(Markdown.table(List.of("measured", "method", "shape", "rows/s", "rows", "failed requests"), rows))
                .append('\n');
        sustainedLimitSection(out);
    }

    private void sustainedLimitSection(StringBuilder out) {
        if (sustainedLimit == null) {
            return;
        }
        CassandraWriteLimit.Result r = sustainedLimit;
        out.append(String.format(Locale.ROOT, "**Sustained**: the batched method alone for %s into an empty table, after"
                + " the end-of-run measurement, as long as a job's window so that the memtable flushes and compactions"
                + " of what it writes weigh on it as they weigh on the job (a short measurement leaves most of them"
                + " out): **%,.0f rows/s** (%,d rows, %d failed requests). The verdict's share is of this limit.%n%n",
                Durations.format(r.measured().withNanos(0)), r.rowsPerSecond(), r.rows(), r.failures()));
        List<List<String>> rows = new ArrayList<>();
        for (int minute = 0; minute < r.rowsByMinute().size(); minute++) {
            rows.add(List.of(String.valueOf(minute + 1),
                    String.format(Locale.ROOT, "%,.0f", r.rowsByMinute().get(minute) / 60.0)));
        }
        if (!rows.isEmpty()) {
            out.append(Markdown.table(List.of("minute", "rows/s"), rows)).append('\n');
        }
        if (sustainedCpu != null && r.rows() > 0) {
            out.append(String.format(Locale.ROOT, "CPU per row over it: Cassandra %.1f µs (of it its compaction threads"
                    + " %.1f µs), the writing client (harness JVM) %.1f µs; machine idle %.0f%%.%n%n",
                    1000.0 * sustainedCpu.millis().getOrDefault("cassandra", 0L) / r.rows(),
                    1000.0 * sustainedCpu.millis().getOrDefault("compaction", 0L) / r.rows(),
                    1000.0 * sustainedCpu.millis().getOrDefault("harness", 0L) / r.rows(),
                    100 * sustainedCpu.idleShare()));
        }
        if (sustainedCounts != null && sustainedCounts.pendingCompactions() >= 0) {
            out.append(String.format(Locale.ROOT, "Compaction tasks pending: %d before, %d after. A backlog that grows"
                    + " means compaction fell behind the writes: Cassandra put off part of the cost of what it took,"
                    + " and would not take this rate for ever.%n%n",
                    sustainedCounts.pendingCompactionsBefore(), sustainedCounts.pendingCompactions()));
        }
    }

    private void interval(StringBuilder out, Duration interval) {
        List<SearchOutcome> ofInterval = searches.stream()
                .filter(s -> s.batchInterval().equals(interval) && s.products() == options.products()).toList();
        if (ofInterval.isEmpty()) {
            return;
        }
        out.append("## ").append(Durations.format(interval)).append(" batches\n\n");
        for (SearchOutcome s : ofInterval) {
            out.append("### ").append(s.subject() == Subject.JOB ? "Job" : "Baseline").append("\n\n");
            searchSummary(out, s);
        }
    }

    private void searchSummary(StringBuilder out, SearchOutcome s) {
        out.append(s.hasClaim() ? String.format(Locale.ROOT, "Claimed: **%,d events/s** - %s.%n%n", s.claimed(), s.finished().why())
                : "No rate claimed: " + s.finished().why() + ".\n\n");
        out.append("Search steps: ").append(s.history().isEmpty() ? "none" : s.history().stream()
                .map(e -> String.format(Locale.ROOT, "%s %,d %s -> %s", e.kind(), e.rate(), e.sustained() ? "ok" : "NO",
                        e.bracket())).collect(Collectors.joining("; "))).append("\n\n");
        runTables(out, s.runs());
    }

    private void runTables(StringBuilder out, List<IngestRun.Result> list) {
        if (list.isEmpty()) {
            return;
        }
        List<List<String>> verdicts = new ArrayList<>();
        List<List<String>> costs = new ArrayList<>();
        for (IngestRun.Result r : list) {
            verdicts.add(verdictRow(r));
            costs.add(costRow(r));
        }
        out.append(Markdown.table(List.of("run", "purpose", "rate/s", "window", "sustained", "input/s", "proc avg/max ms",
                "sched median/max ms", "sched slope ms/min", "gen lag rise ms", "fresh p50/p99 ms", "check", "stop"),
                verdicts)).append('\n');
        out.append(Markdown.table(List.of("run", "CPU µs/event driver", "Cassandra", "of it compaction", "generator",
                "harness", "idle %", "compactions pending start/end", "GC pauses ms (% of window)",
                "heap after GC MB first/last/max, slope", "CQL writes/s",
                "rows per raw-table statement", "rows per partition write"), costs)).append('\n');
        for (IngestRun.Result r : list) {
            List<String> why = new ArrayList<>(r.unsustained());
            if (r.error() != null) {
                why.add(0, "FAILED: " + r.error());
            }
            if (r.check() != null && !r.check().exact()) {
                why.addAll(r.check().tables().stream().filter(t -> t.contains("DIFFERS")).toList());
            }
            if (!why.isEmpty()) {
                out.append("- run ").append(r.index()).append(": ").append(Markdown.cell(String.join("; ", why)))
                        .append('\n');
            }
        }
        out.append('\n');
    }

    private static List<String> verdictRow(IngestRun.Result r) {
        BatchFigures f = r.figures();
        List<String> row = new ArrayList<>(List.of(String.valueOf(r.index()),
                r.spec().purpose() + (r.spec().purpose().equals("confirm") ? " " + r.spec().repetition() : ""),
                String.format(Locale.ROOT, "%,d", r.spec().rate()), Durations.format(r.spec().window()),
                r.error() != null ? "FAILED" : r.sustained() ? "yes" : "**NO**"));
        if (f == null) {
            row.addAll(List.of("-", "-", "-", "-", "-", "-"));
        } else {
            row.add(String.format(Locale.ROOT, "%,.0f", f.inputRate()));
            row.add(String.format(Locale.ROOT, "%.0f/%d", f.avgProcessingMs(), f.maxProcessingMs()));
            row.add(f.schedulingDelayMedianMs() + "/" + f.schedulingDelayMaxMs());
            row.add(String.format(Locale.ROOT, "%.1f", f.schedulingDelay().slope() * 60_000));
            row.add(r.lag() == null ? "-" : String.format(Locale.ROOT, "%.0f", r.lag().riseMs()));
            row.add(freshness(r.freshness()));
        }
        row.add(r.check() == null ? "-" : r.check().summary());
        row.add(r.stopOutcome());
        return row;
    }

    private static List<String> costRow(IngestRun.Result r) {
        long events = r.windowEvents();
        CpuUsage.Usage cpu = r.cpu();
        List<String> row = new ArrayList<>(List.of(String.valueOf(r.index())));
        for (String process : List.of("driver", "cassandra", "compaction", "generator", "harness")) {
            Long ms = cpu == null ? null : cpu.millis().get(process);
            row.add(ms == null || events <= 0 ? "-" : String.format(Locale.ROOT, "%.1f", ms * 1000.0 / events));
        }
        row.add(cpu == null ? "-" : String.format(Locale.ROOT, "%.0f", cpu.idleShare() * 100));
        CassandraMetrics.Counts c = r.cassandra();
        row.add(c == null || c.pendingCompactions() < 0 ? "-"
                : c.pendingCompactionsBefore() + "/" + c.pendingCompactions());
        GcLog.Summary gc = r.gc();
        row.add(gc == null ? "-" : String.format(Locale.ROOT, "%.0f in %d (%.1f%%)%s", gc.pauseMs(), gc.pauses(),
                gc.pauseShare() * 100, gc.fullPauses() > 0 ? ", " + gc.fullPauses() + " FULL" : ""));
        row.add(heapTrend(gc));
        double seconds = (r.windowEnd() - r.windowStart()) / 1000.0;
        row.add(c == null || c.writeRequests() < 0 ? "-" : String.format(Locale.ROOT, "%,.0f", c.writeRequests() / seconds));
        row.add(ratio(r.rowsWritten(), c == null ? -1 : c.tableWriteRequests()));
        row.add(ratio(r.rowsWritten(), c == null ? -1 : c.tablePartitionWrites()));
        return row;
    }

    private static String ratio(long rows, long statements) {
        return rows < 0 || statements <= 0 ? "-" : String.format(Locale.ROOT, "%.1f", rows / (double) statements);
    }

    static String heapTrend(GcLog.Summary gc) {
        if (gc == null || gc.isEmpty()) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.0f/%.0f/%.0f, %+.1f MB/min", gc.heapAfterFirstMb(), gc.heapAfterLastMb(),
                gc.heapAfterMaxMb(), gc.heapAfterMbPerMinute());
    }

    private static String freshness(FreshnessProbe.Result f) {
        if (f == null || f.delays().isEmpty()) {
            return "-";
        }
        return f.delays().at(50) + "/" + f.delays().at(99);
    }

    private void keySpaceSection(StringBuilder out) {
        if (keySpaces.isEmpty()) {
            return;
        }
        out.append("## Key space\n\n");
        out.append("The job with 5 s batches at the claimed 5 s rate (or the one given by --key-space-rate), the same"
                + " events except the number of products (rollup and running-total keys): one full-length window each,"
                + " and one more at the floor share of that rate (--key-space-floor) when it was not sustained.\n\n");
        List<List<String>> rows = new ArrayList<>();
        for (KeySpace k : keySpaces) {
            IngestRun.Result r = k.run();
            rows.add(List.of(String.format(Locale.ROOT, "%,d", k.products()), String.format(Locale.ROOT, "%,d", k.rate()),
                    r == null ? "not run" : sustainedCell(r),
                    r == null ? "-" : heapTrend(r.gc()),
                    k.floorRun() == null ? "not run" : String.format(Locale.ROOT, "%,d/s (%s): %s",
                            k.floorRun().spec().rate(), percentOfClaim(k), sustainedCell(k.floorRun())),
                    k.search() == null ? "not searched (--key-space-bisect)" : k.search().hasClaim()
                            ? String.format(Locale.ROOT, "%,d/s", k.search().claimed()) : "none: " + k.search().finished().why(),
                    k.cassandraAlone() == null ? "not measured" : String.format(Locale.ROOT, "%,.0f rows/s, %.1f rows/batch",
                            k.cassandraAlone().rowsPerSecond(), k.cassandraAlone().rowsPerBatch())));
        }
        out.append(Markdown.table(List.of("products", "rate/s", "sustained", "heap after GC MB first/last/max, slope",
                "below the claim (--key-space-floor)", "own sustained rate",
                "Cassandra alone: batched raw rows of as many products"), rows)).append('\n');
        for (KeySpace k : keySpaces) {
            List<IngestRun.Result> list = new ArrayList<>();
            if (k.run() != null) {
                list.add(k.run());
            }
            if (k.floorRun() != null) {
                list.add(k.floorRun());
            }
            if (k.search() != null) {
                list.addAll(k.search().runs());
            }
            if (!list.isEmpty()) {
                out.append(String.format(Locale.ROOT, "### %,d products%n%n", k.products()));
                runTables(out, list);
            }
        }
    }

    private static String sustainedWord(IngestRun.Result run) {
        return run.sustained() ? "sustained" : "NOT sustained";
    }

    private static String sustainedCell(IngestRun.Result run) {
        return run.error() != null ? "FAILED" : run.sustained() ? "yes" : "**NO**";
    }

    private static String percentOfClaim(KeySpace k) {
        return String.format(Locale.ROOT, "%.0f%%", 100.0 * k.floorRun().spec().rate() / k.rate());
    }

    // ------------------------------------------------------------------------------------------------ CSV

    String runsCsv() {
        StringBuilder csv = new StringBuilder("run,subject,batch_interval_ms,products,purpose,repetition,rate,window_ms,"
                + "sustained,failed,input_rate,events,avg_processing_ms,max_processing_ms,sched_median_ms,sched_max_ms,"
                + "sched_slope_ms_per_min,lag_start_ms,lag_end_ms,lag_rise_ms,fresh_p50_ms,fresh_p99_ms,"
                + "cpu_driver_ms,cpu_cassandra_ms,cpu_compaction_ms,cpu_generator_ms,cpu_harness_ms,machine_busy_ms,"
                + "machine_idle_ms,"
                + "gc_pauses,gc_pause_ms,heap_after_first_mb,heap_after_last_mb,heap_after_max_mb,heap_after_slope_mb_per_min,"
                + "cql_write_requests,raw_table_write_requests,raw_table_partition_writes,compactions_pending_start,"
                + "compactions_pending_end,rows_written,exact,stop,reasons\n");
        for (IngestRun.Result r : runs) {
            BatchFigures f = r.figures();
            CpuUsage.Usage cpu = r.cpu();
            GcLog.Summary gc = r.gc();
            CassandraMetrics.Counts c = r.cassandra();
            List<Object> v = new ArrayList<>(List.of(r.index(), r.spec().subject().label, r.spec().batchInterval().toMillis(),
                    r.spec().products(), r.spec().purpose(), r.spec().repetition(), r.spec().rate(),
                    r.spec().window().toMillis(), r.sustained(), r.failed()));
            v.addAll(f == null ? List.of("", "", "", "", "", "", "") : List.of(num(f.inputRate()), f.inputRecords(),
                    num(f.avgProcessingMs()), f.maxProcessingMs(), f.schedulingDelayMedianMs(), f.schedulingDelayMaxMs(),
                    num(f.schedulingDelay().slope() * 60_000)));
            v.addAll(r.lag() == null ? List.of("", "", "") : List.of(r.lag().startMs(), r.lag().endMs(), num(r.lag().riseMs())));
            boolean fresh = r.freshness() != null && !r.freshness().delays().isEmpty();
            v.add(fresh ? r.freshness().delays().at(50) : "");
            v.add(fresh ? r.freshness().delays().at(99) : "");
            for (String process : List.of("driver", "cassandra", "compaction", "generator", "harness")) {
                v.add(cpu == null ? "" : cpu.millis().getOrDefault(process, -1L));
            }
            v.add(cpu == null ? "" : cpu.machineBusyMillis());
            v.add(cpu == null ? "" : cpu.machineIdleMillis());
            v.addAll(gc == null ? List.of("", "", "", "", "", "") : List.of(gc.pauses(), num(gc.pauseMs()),
                    num(gc.heapAfterFirstMb()), num(gc.heapAfterLastMb()), num(gc.heapAfterMaxMb()),
                    num(gc.heapAfterMbPerMinute())));
            v.addAll(c == null ? List.of("", "", "", "", "") : List.of(c.writeRequests(), c.tableWriteRequests(),
                    c.tablePartitionWrites(), c.pendingCompactionsBefore(), c.pendingCompactions()));
            v.add(r.rowsWritten());
            v.add(r.check() == null ? "" : r.check().exact());
            v.add(quote(r.stopOutcome()));
            v.add(quote(String.join("; ", r.unsustained())));
            csvLine(csv, v.toArray());
        }
        return csv.toString();
    }

    /** One line per batch of every run (in or out of its window). */
    String batchesCsv() {
        StringBuilder csv = new StringBuilder("run,subject,batch_interval_ms,target_rate,batch_time,in_window,status,"
                + "input_size,scheduling_delay_ms,processing_time_ms,total_delay_ms\n");
        for (IngestRun.Result r : runs) {
            for (Batch b : r.batches()) {
                csvLine(csv, r.index(), r.spec().subject().label, r.spec().batchInterval().toMillis(), r.spec().rate(),
                        Instant.ofEpochMilli(b.batchTime()), BatchFigures.inWindow(b, r.windowStart(), r.windowEnd()),
                        b.status(), b.inputSize(), orEmpty(b.schedulingDelay()), orEmpty(b.processingTime()),
                        orEmpty(b.totalDelay()));
            }
        }
        return csv.toString();
    }

    /** Every driver GC pause of every run: the heap-after-GC series. */
    String gcCsv() {
        StringBuilder csv = new StringBuilder("run,subject,time,in_window,kind,heap_before_mb,heap_after_mb,"
                + "heap_committed_mb,pause_ms\n");
        for (IngestRun.Result r : runs) {
            for (GcLog.Pause p : r.gcPauses()) {
                csvLine(csv, r.index(), r.spec().subject().label, Instant.ofEpochMilli(p.atMillis()),
                        p.atMillis() >= r.windowStart() && p.atMillis() <= r.windowEnd(), quote(p.kind()),
                        num(p.beforeMb()), num(p.afterMb()), num(p.committedMb()), num(p.pauseMs()));
            }
        }
        return csv.toString();
    }

    String cassandraLimitCsv() {
        StringBuilder csv = new StringBuilder(
                "when,method,in_flight,rows_per_statement,rows,measured_ms,rows_per_s,failures\n");
        Map<String, List<CassandraWriteLimit.Result>> all = new LinkedHashMap<>(cassandraLimits);
        if (sustainedLimit != null) {
            all.put("sustained", List.of(sustainedLimit));
        }
        keySpaces.stream().filter(k -> k.cassandraAlone() != null).forEach(k -> all.put(
                String.format(Locale.ROOT, "key space %d products", k.products()), List.of(k.cassandraAlone())));
        all.forEach((when, results) -> results.forEach(r -> csvLine(csv, quote(when), quote(r.method()),
                r.inFlight(), num(r.rowsPerBatch()), r.rows(), r.measured().toMillis(), num(r.rowsPerSecond()),
                r.failures())));
        return csv.toString();
    }

    private static void csvLine(StringBuilder csv, Object... values) {
        csv.append(java.util.Arrays.stream(values).map(String::valueOf).collect(Collectors.joining(","))).append('\n');
    }

    /** Writes report.md and the CSVs to {@code dir}; returns the report's path. */
    Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path report = dir.resolve("report.md");
        Files.writeString(report, markdown());
        Files.writeString(dir.resolve("runs.csv"), runsCsv());
        Files.writeString(dir.resolve("batches.csv"), batchesCsv());
        Files.writeString(dir.resolve("gc.csv"), gcCsv());
        Files.writeString(dir.resolve("cassandra-limit.csv"), cassandraLimitCsv());
        return report;
    }

    /** The name a result copy of this report gets: ingest-yyyy-mm-dd.md, the UTC date of the start. */
    String resultFileName() {
        return "ingest-" + started.atOffset(ZoneOffset.UTC).toLocalDate() + ".md";
    }

    private static String num(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String quote(String text) {
        return "\"" + (text == null ? "" : text.replace("\"", "'")) + "\"";
    }

    private static String orEmpty(Long value) {
        return value == null ? "" : value.toString();
    }
}
