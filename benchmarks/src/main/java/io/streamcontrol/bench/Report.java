package io.streamcontrol.bench;

import io.streamcontrol.bench.SparkStreamingStats.Batch;
import io.streamcontrol.job.config.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/** The text report and the per-batch CSV of a benchmark run. */
final class Report {

    private final BenchmarkOptions options;
    private final Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final String machine = machine();
    private final String loadAtStart = loadAverage();
    private List<CassandraWriteLimit.Result> cassandraLimits = List.of();
    private final List<JobRun.Result> runs = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    Report(BenchmarkOptions options) {
        this.options = options;
    }

    void cassandraLimits(List<CassandraWriteLimit.Result> limits) {
        this.cassandraLimits = limits;
    }

    void add(JobRun.Result run) {
        runs.add(run);
    }

    void failure(String what) {
        failures.add(what);
    }

    boolean hasFailures() {
        return !failures.isEmpty() || runs.stream().anyMatch(r -> r.error() != null);
    }

    String text() {
        StringWriter buffer = new StringWriter();
        PrintWriter out = new PrintWriter(buffer);
        out.printf("Ingest benchmark, started %s%n", started);
        out.printf("Machine: %s%n", machine);
        out.printf("Load average (1 min) at start %s, at end %s: anything else running on the machine weighs on every figure.%n",
                loadAtStart, loadAverage());
        if (busy(loadAtStart)) {
            out.println("WARNING: the machine was already busy when the benchmark started: the figures understate it.");
        }
        out.printf("Cassandra %s single node (LocalCassandra, heap 1g, concurrent_writes 32); job: spark-submit local[4],"
                + " driver 768m, %d receivers, clean input (no malformed or late lines), extra job settings: %s.%n",
                cassandraVersion(), options.receivers(),
                options.jobArgs().isEmpty() ? "none" : String.join(" ", options.jobArgs()));
        out.println();
        cassandraSection(out);
        jobSections(out);
        summary(out);
        for (String failure : failures) {
            out.println("FAILURE: " + failure);
        }
        out.flush();
        return buffer.toString();
    }

    private void cassandraSection(PrintWriter out) {
        if (options.skipCassandraLimit()) {
            out.println("Cassandra's own write limit: skipped (--skip-cassandra-limit).");
            out.println();
            return;
        }
        if (cassandraLimits.isEmpty()) {
            return;
        }
        out.printf("Cassandra's own write limit: raw_events rows from the generator's events, this JVM -> Cassandra, no Spark"
                + " (both methods warmed up for %s, then each measured for %s):%n",
                Durations.format(IngestBenchmark.writeLimitWarmup(options)), Durations.format(options.cassandraWriteTime()));
        for (CassandraWriteLimit.Result r : cassandraLimits) {
            String shape = r.rowsPerBatch() > 1
                    ? String.format(Locale.ROOT, "%d batches in flight, %.1f rows/batch", r.inFlight(), r.rowsPerBatch())
                    : String.format(Locale.ROOT, "%d rows in flight", r.inFlight());
            out.printf(Locale.ROOT, "  %-38s %-36s %,9.0f rows/s  (%,d rows, %d failed requests%s)%n", r.method(), shape,
                    r.rowsPerSecond(), r.rows(), r.failures(), r.failures() > 0 ? ", first: " + r.firstFailure() : "");
        }
        out.println();
    }

    private void jobSections(PrintWriter out) {
        if (options.skipJob()) {
            out.println("Streaming job: skipped (--skip-job).");
            out.println();
            return;
        }
        out.printf("Streaming job: per rate a fresh keyspace and checkpoint, %s warmup after the receivers connect (extended by"
                + " up to another %s until the last batch's scheduling delay is below one interval), then a %s window.%n",
                Durations.format(options.warmup()), Durations.format(options.warmup()), Durations.format(options.duration()));
        out.println("Sustained = over the window's batches: avg processing < 80% of the interval; scheduling delay not growing"
                + " (last-third mean <= first-third mean + 1 interval, last batch < 1 interval, none left queued after"
                + " interval + 5 s); input >= 95% of the target.");
        out.println("Freshness = first rollup poll (every " + FreshnessProbe.POLL_INTERVAL.toMillis()
                + " ms, region/minute, all regions summed) that sees an event - when the generator sent it. Approximate:"
                + " events of a minute are attributed in sequence order although receivers make them visible in"
                + " parallel, and events not yet visible when the window ends are not counted; gen lag = how far the generator's sending runs behind event time (constant = the time its"
                + " receivers took to connect; growing = TCP back-pressure from receivers that do not keep up).");
        for (Duration interval : options.batchIntervals()) {
            List<JobRun.Result> ofInterval = runs.stream().filter(r -> r.batchInterval().equals(interval)).toList();
            if (ofInterval.isEmpty()) {
                continue;
            }
            out.println();
            out.printf("Batch interval %s:%n", Durations.format(interval));
            out.printf("  %7s %-9s %8s %13s %15s %15s %7s %19s %13s%n", "rate/s", "sustained", "input/s",
                    "proc avg/max", "sched first/last", "total p50/p99", "batches", "fresh p50/p99/max", "gen lag s/e");
            for (JobRun.Result r : ofInterval) {
                out.println("  " + row(r));
            }
            for (JobRun.Result r : ofInterval) {
                out.printf("  %d/s: %s; stop: %s; log: %s%n", r.rate(), details(r), r.stopOutcome(), r.log());
                if (r.error() != null) {
                    out.printf("    FAILED: %s%n", r.error());
                }
                for (String reason : r.unsustained()) {
                    out.printf("    not sustained: %s%n", reason);
                }
            }
        }
        out.println("  (times in ms; batches = batch times in the window, unfinished in parentheses)");
        out.println();
    }

    private static String row(JobRun.Result r) {
        BatchFigures f = r.figures();
        String sustained = r.error() != null ? "FAILED" : r.sustained() ? "yes" : "NO";
        if (f == null) {
            return String.format(Locale.ROOT, "%7d %-9s", r.rate(), sustained);
        }
        return String.format(Locale.ROOT, "%7d %-9s %,8.0f %13s %15s %15s %7s %19s %13s", r.rate(), sustained,
                f.inputRate(), String.format(Locale.ROOT, "%.0f/%d", f.avgProcessingMs(), f.maxProcessingMs()),
                f.schedulingDelayFirstMs() + "/" + f.schedulingDelayLastMs(),
                f.totalDelayP50Ms() + "/" + f.totalDelayP99Ms(),
                f.batches() + (f.unfinished() > 0 ? "(" + f.unfinished() + ")" : ""),
                freshness(r.freshness()), r.lagAtWindowStartMs() + "/" + r.lagAtWindowEndMs());
    }

    private static String freshness(FreshnessProbe.Result f) {
        if (f == null || f.delays().isEmpty()) {
            return "-";
        }
        return f.delays().at(50) + "/" + f.delays().at(99) + "/" + f.delays().max();
    }

    private static String details(JobRun.Result r) {
        List<String> parts = new ArrayList<>();
        BatchFigures f = r.figures();
        if (f != null) {
            parts.add(String.format(Locale.ROOT, "%,d records in the window; sched delay mean first/last third %.0f/%.0f ms",
                    f.inputRecords(), f.schedulingDelayFirstThirdMs(), f.schedulingDelayLastThirdMs()));
        }
        if (r.statistics() != null) {
            parts.add(String.format(Locale.ROOT, "receivers active %d/%d", r.statistics().activeReceivers(),
                    r.statistics().receivers()));
        }
        if (r.freshness() != null) {
            FreshnessProbe.Result p = r.freshness();
            parts.add(String.format(Locale.ROOT, "freshness of %,d events from %d polls (query mean %.0f ms, max %d ms)%s%s",
                    p.delays().count(), p.polls(), p.meanQueryMillis(), p.maxQueryMillis(),
                    p.overcounts() > 0 ? ", " + p.overcounts() + " OVERCOUNTED bucket readings" : "",
                    p.failure() != null ? ", last poll failure: " + p.failure() : ""));
        }
        if (r.maxLagMs() >= 0) {
            parts.add("gen lag max " + r.maxLagMs() + " ms");
        }
        if (r.catchUpWaitMs() >= 1000 || r.catchUpWaitMs() < 0) {
            parts.add(r.catchUpWaitMs() > 0 ? "window started " + r.catchUpWaitMs() / 1000 + " s after the warmup, once"
                    + " the startup backlog was worked off" : "startup backlog NOT worked off within a second warmup");
        }
        if (r.loadAtWindowStart() != null) {
            parts.add("load average at window start/end " + r.loadAtWindowStart() + "/" + r.loadAtWindowEnd());
        }
        return String.join("; ", parts);
    }

    private void summary(PrintWriter out) {
        if (options.skipJob() || runs.isEmpty()) {
            return;
        }
        Optional<CassandraWriteLimit.Result> best = cassandraLimits.stream()
                .max((a, b) -> Double.compare(a.rowsPerSecond(), b.rowsPerSecond()));
        out.println("Summary:");
        for (Duration interval : options.batchIntervals()) {
            List<JobRun.Result> ofInterval = runs.stream().filter(r -> r.batchInterval().equals(interval)).toList();
            if (ofInterval.isEmpty()) {
                continue;
            }
            Optional<JobRun.Result> highest = ofInterval.stream().filter(JobRun.Result::sustained)
                    .max((a, b) -> Integer.compare(a.rate(), b.rate()));
            if (highest.isEmpty()) {
                out.printf("  batch interval %s: no tried rate sustained (lowest tried: %d/s)%n", Durations.format(interval),
                        ofInterval.get(0).rate());
                continue;
            }
            JobRun.Result h = highest.get();
            boolean ceilingFound = ofInterval.stream().anyMatch(r -> !r.sustained());
            String fraction = best.map(b -> String.format(Locale.ROOT, " = %.0f%% of Cassandra's better limit (%,.0f rows/s, %s)",
                    100.0 * h.rate() / b.rowsPerSecond(), b.rowsPerSecond(), b.method())).orElse("");
            out.printf(Locale.ROOT, "  batch interval %s: highest sustained rate %,d/s%s%s; freshness p50 %s ms, p99 %s ms%n",
                    Durations.format(interval), h.rate(), ceilingFound ? "" : " (the highest rate tried)", fraction,
                    h.freshness() == null ? "-" : h.freshness().delays().at(50),
                    h.freshness() == null ? "-" : h.freshness().delays().at(99));
        }
        out.println();
    }

    /** One line per batch of every run (in or out of its window). */
    String batchesCsv() {
        StringBuilder csv = new StringBuilder("batch_interval_ms,target_rate,batch_time,in_window,status,input_size,"
                + "scheduling_delay_ms,processing_time_ms,total_delay_ms\n");
        for (JobRun.Result r : runs) {
            for (Batch b : r.batches()) {
                csv.append(r.batchInterval().toMillis()).append(',').append(r.rate()).append(',')
                        .append(Instant.ofEpochMilli(b.batchTime())).append(',')
                        .append(BatchFigures.inWindow(b, r.windowStart(), r.windowEnd())).append(',')
                        .append(b.status()).append(',').append(b.inputSize()).append(',')
                        .append(orEmpty(b.schedulingDelay())).append(',').append(orEmpty(b.processingTime())).append(',')
                        .append(orEmpty(b.totalDelay())).append('\n');
            }
        }
        return csv.toString();
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.txt"), text());
        Files.writeString(dir.resolve("batches.csv"), batchesCsv());
    }

    private static String orEmpty(Long value) {
        return value == null ? "" : value.toString();
    }

    static String machine() {
        return String.format(Locale.ROOT, "%d CPUs, %s RAM, %s %s (%s)", Runtime.getRuntime().availableProcessors(),
                memTotal(), System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("java.home"));
    }

    private static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> String.format(Locale.ROOT, "%.1f GiB",
                            Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0))
                    .findFirst().orElse("? GiB");
        } catch (IOException | RuntimeException e) {
            return "? GiB";
        }
    }

    static boolean busy(String loadAverage) {
        try {
            return Double.parseDouble(loadAverage) > Runtime.getRuntime().availableProcessors() / 2.0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    static String cassandraVersion() {
        Properties properties = new Properties();
        try (InputStream in = Report.class.getResourceAsStream("/local-cassandra.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // unknown then
        }
        return properties.getProperty("cassandra.version", "?");
    }
}
