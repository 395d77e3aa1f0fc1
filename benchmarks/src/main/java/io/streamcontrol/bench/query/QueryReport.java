package io.streamcontrol.bench.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamcontrol.bench.harness.Machine;
import io.streamcontrol.bench.harness.Percentiles;
import io.streamcontrol.contract.settings.Durations;
import io.streamcontrol.generator.GeneratorSettings;
import java.io.IOException;
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
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The report of the query benchmark: what was measured, in which conditions, against which target. */
final class QueryReport {

    /** The batch answer against the REST answer, bucket by bucket, for the buckets that can no longer change. */
    record Comparison(int compared, List<Instant> open, List<String> differences) {

        static Comparison of(Map<Instant, String> batch, Map<Instant, String> rest, Instant completeBefore,
                Duration bucket) {
            List<Instant> open = new ArrayList<>();
            List<String> differences = new ArrayList<>();
            int compared = 0;
            for (Instant start : new TreeSet<>(union(batch, rest))) {
                if (start.plus(bucket).isAfter(completeBefore)) {
                    open.add(start);
                    continue;
                }
                compared++;
                String b = batch.get(start);
                String r = rest.get(start);
                if (b == null || !b.equals(r)) {
                    differences.add(start + ": Spark SQL " + (b == null ? "no bucket" : b) + ", REST "
                            + (r == null ? "no bucket" : r));
                }
            }
            return new Comparison(compared, open, differences);
        }

        private static Set<Instant> union(Map<Instant, String> a, Map<Instant, String> b) {
            Set<Instant> keys = new TreeSet<>(a.keySet());
            keys.addAll(b.keySet());
            return keys;
        }

        boolean equal() {
            return compared > 0 && differences.isEmpty();
        }

        @Override
        public String toString() {
            String excluded = open.isEmpty() ? "" : "; still open, not compared: " + String.join(", ",
                    open.stream().map(Instant::toString).toList());
            if (compared == 0) {
                return "NOTHING COMPARED (no complete bucket)" + excluded;
            }
            return differences.isEmpty()
                    ? compared + " complete bucket(s) EQUAL (count, quantity sum, sale amount sum/min/max)" + excluded
                    : "DIFFERENT in " + differences.size() + " of " + compared + " complete bucket(s): "
                            + String.join("; ", differences) + excluded;
        }
    }

    /** One execution of the Spark SQL query and the comparison of its answer with the REST answer read after it. */
    record BatchRun(long millis, long rawRows, Comparison comparison) {
    }

    private final QueryBenchmarkOptions options;
    private final Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final String machine = Machine.summary();
    private final String loadAtStart = Machine.loadAverage();
    private final List<String> failures = new ArrayList<>();
    private final List<QueryLoad.Result> warmups = new ArrayList<>();
    private final List<BatchRun> batchRuns = new ArrayList<>();
    private GeneratorSettings backlog;
    private Instant backlogEnd;
    private long backlogLoadedMs = -1;
    private Instant liveStart;
    /** The paced runs, one per rate, in the order run. */
    private final List<QueryLoad.Result> paced = new ArrayList<>();
    private QueryLoad.Result capacity;
    private JsonNode jobMetrics;
    private String restSeriesPath;
    private Percentiles restSeries;
    private long sparkStartMs = -1;
    private int sparkCores;

    QueryReport(QueryBenchmarkOptions options) {
        this.options = options;
    }

    void backlog(GeneratorSettings settings) {
        this.backlog = settings;
        this.backlogEnd = settings.startTime().plus(settings.eventSpacing().multipliedBy(settings.count()));
    }

    Instant backlogEnd() {
        return backlogEnd;
    }

    void backlogLoaded(long millis) {
        this.backlogLoadedMs = millis;
    }

    void liveStart(Instant at) {
        this.liveStart = at;
    }

    void warmup(QueryLoad.Result result) {
        warmups.add(result);
    }

    void paced(QueryLoad.Result result) {
        paced.add(result);
    }

    void capacity(QueryLoad.Result result) {
        this.capacity = result;
    }

    void jobWhileQueried(JsonNode metrics) {
        this.jobMetrics = metrics;
    }

    void restSeries(String path, Percentiles micros) {
        this.restSeriesPath = path;
        this.restSeries = micros;
    }

    void sparkStart(long millis, int cores) {
        this.sparkStartMs = millis;
        this.sparkCores = cores;
    }

    void batchRun(long millis, long rawRows, Comparison comparison) {
        batchRuns.add(new BatchRun(millis, rawRows, comparison));
    }

    void failure(String what) {
        failures.add(what);
    }

    /** Something failed: an error, a non-2xx answer or socket error in any wrk run, or a batch answer not equal. */
    boolean hasFailures() {
        return !failures.isEmpty() || paced.isEmpty() || capacity == null || batchRuns.isEmpty()
                || paced.stream().anyMatch(r -> !r.clean()) || !capacity.clean()
                || warmups.stream().anyMatch(w -> !w.clean())
                || batchRuns.stream().anyMatch(r -> !r.comparison().equal());
    }

    /**
     * At every paced rate p99 under the target and the rate achieved (at least 95%), and the service's CPU per request
     * over the paced runs within its target.
     */
    boolean targetsMet() {
        return !paced.isEmpty() && paced.stream().allMatch(QueryReport::p99Met)
                && serviceCpuMsPerRequest() <= QueryBenchmarkOptions.SERVICE_CPU_TARGET_MS;
    }

    private static boolean p99Met(QueryLoad.Result r) {
        return r.p99Us() < QueryBenchmarkOptions.P99_TARGET_MS * 1000 && rateAchieved(r);
    }

    /** The service's CPU time over all paced runs (the mix at the paced rates) divided by their requests, in ms. */
    double serviceCpuMsPerRequest() {
        long requests = paced.stream().mapToLong(QueryLoad.Result::requests).sum();
        return requests == 0 ? Double.NaN
                : paced.stream().mapToLong(QueryLoad.Result::serviceCpuMs).sum() / (double) requests;
    }

    private static boolean rateAchieved(QueryLoad.Result r) {
        return r.achievedRate() >= 0.95 * r.targetRate();
    }

    String text() {
        StringWriter buffer = new StringWriter();
        PrintWriter out = new PrintWriter(buffer);
        out.printf("Query benchmark, started %s%n", started);
        out.printf("Machine: %s%n", machine);
        out.printf("Load average (1 min) at start %s, at end %s: everything (Cassandra, the job, the service, wrk, Spark)"
                + " shares the machine's cores.%n", loadAtStart, Machine.loadAverage());
        if (Machine.busy(loadAtStart)) {
            out.println("WARNING: the machine was already busy when the benchmark started: the figures understate it.");
        }
        out.printf("Cassandra %s single node (LocalCassandra, heap 1g); the control service jar as a process (-Xmx256m);"
                + " job %s through its API: local[4], driver 768m, %d receivers, batch interval %s, backpressure on,"
                + " lateness %s, top-N window 10m sliding by 1m.%n", Machine.cassandraVersion(), QueryBenchmark.JOB,
                options.receivers(), Durations.format(options.batchInterval()),
                Durations.format(QueryBenchmark.LATENESS));
        dataSection(out);
        loadSection(out);
        batchSection(out);
        for (String failure : failures) {
            out.println("FAILURE: " + failure);
        }
        out.flush();
        return buffer.toString();
    }

    private void dataSection(PrintWriter out) {
        if (backlog == null) {
            return;
        }
        out.printf(Locale.ROOT, "Data: a backlog of %,d events with event times from %s to %s (one every %.1f ms of"
                + " event time; generator defaults: 100 products, 5 regions, 50 states, Zipf skew 1, 1%% malformed,"
                + " 2%% late by 20 s, 0.5%% too late by 10 min), sent at %,d events/s and processed after %s; then live"
                + " input at %,d events/s (event time = wall time) from %s until the end.%n",
                backlog.count(), backlog.startTime(), backlogEnd.truncatedTo(ChronoUnit.SECONDS),
                backlog.eventSpacing().toNanos() / 1e6, options.backlogSendRate(),
                backlogLoadedMs < 0 ? "-" : backlogLoadedMs / 1000 + " s", options.liveRate(),
                liveStart == null ? "-" : liveStart.truncatedTo(ChronoUnit.SECONDS));
        out.println();
    }

    private void loadSection(PrintWriter out) {
        out.println("Queries under load: wrk (a second process) on loopback with query-mix.lua and the viewer's API key,"
                + " one connection per wrk thread; paced runs send on a fixed schedule per connection (wrk's delay()"
                + " hook).");
        out.println("  mix: 35% rollup series at minute granularity over the last hour, 15% at hour granularity over the"
                + " last 24 h (keys: 60% products, 20% regions, 20% states); 15% running totals (all regions, 100"
                + " products, one state); 15% top-N (products now, states' last 5 windows); 15% raw events of a product"
                + " over the last 10 minutes (limit 50); 5% rejects of today (limit 50).");
        if (paced.isEmpty()) {
            out.println();
            return;
        }
        out.printf("  %-13s %9s %10s %9s %7s %7s %7s %7s %8s %8s %7s %7s%n", "run", "target/s", "achieved/s",
                "requests", "p50", "p90", "p99", "p99.9", "max", "non-2xx", "socket", "behind");
        for (QueryLoad.Result r : runs()) {
            out.println("  " + row(r));
        }
        out.printf("  (latency in ms from writing the request to the whole answer, wrk's histogram; %s measured, after a"
                + " %s warm-up at the paced rate with the same connections%s; socket = connect/read/write errors and"
                + " timeouts over %d s; behind = requests sent more than 1 ms after they were due, the connection still"
                + " waiting for its previous answer: wrk does not count that wait as latency)%n",
                Durations.format(options.duration()), Durations.format(options.warmup()),
                options.serviceWarmup().isZero() ? "" : ", and before the first paced run an unpaced service warm-up"
                        + " of " + Durations.format(options.serviceWarmup()) + " for the JIT",
                QueryLoad.WRK_TIMEOUT.toSeconds());
        for (QueryLoad.Result r : measured()) {
            out.printf(Locale.ROOT, "  per query type, %s run (ms, measured in the script from request() to response();"
                    + " %,.0f bytes per answer on average):%n", r.name(), (double) r.bytes() / Math.max(1, r.requests()));
            out.printf("    %-18s %8s %7s %7s %7s %7s%n", "type", "requests", "p50", "p90", "p99", "max");
            r.byType().forEach((type, p) -> out.printf(Locale.ROOT, "    %-18s %,8d %7.2f %7.2f %7.2f %7.2f%n", type,
                    p.count(), p.at(50) / 1000.0, p.at(90) / 1000.0, p.at(99) / 1000.0, p.max() / 1000.0));
        }
        for (QueryLoad.Result r : runs()) {
            r.non2xxSamples().forEach((key, sample) -> out.printf("  NON-2XX in %s: %s %s%n", r.name(), key, sample));
        }
        out.println("  the first answer of each type (its start):");
        paced.get(0).answers().forEach((type, answer) -> out.printf("    %-18s %s%n", type, answer));
        out.println("  load average at the end of each run: " + String.join(", ",
                runs().stream().map(r -> r.name() + " " + r.loadAtEnd()).toList()));
        for (QueryLoad.Result r : measured()) {
            out.printf("  %s run, %s%n", r.name(), r.cpu());
        }
        jobLine(out);
        long pacedRequests = paced.stream().mapToLong(QueryLoad.Result::requests).sum();
        long pacedServiceMs = paced.stream().mapToLong(QueryLoad.Result::serviceCpuMs).sum();
        out.printf(Locale.ROOT, "service CPU per request: %.3f ms (%,.1f CPU s of the service process over the paced"
                + " runs / %,d requests; target <= %.1f ms: %s)%n", serviceCpuMsPerRequest(), pacedServiceMs / 1000.0,
                pacedRequests, QueryBenchmarkOptions.SERVICE_CPU_TARGET_MS,
                serviceCpuMsPerRequest() <= QueryBenchmarkOptions.SERVICE_CPU_TARGET_MS ? "PASS" : "MISSED");
        for (QueryLoad.Result r : measured()) {
            out.printf(Locale.ROOT, "  %s: service CPU %.3f ms per request (%,.1f CPU s / %,d requests)%n", r.name(),
                    r.serviceCpuMsPerRequest(), r.serviceCpuMs() / 1000.0, r.requests());
        }
        for (QueryLoad.Result r : paced) {
            out.printf(Locale.ROOT, "Target p99 < %d ms at %d requests/s: %s (p99 %.2f ms at %,.1f requests/s achieved%s)%n",
                    QueryBenchmarkOptions.P99_TARGET_MS, r.targetRate(), p99Met(r) ? "PASS" : "MISSED",
                    r.p99Us() / 1000.0, r.achievedRate(), rateAchieved(r) ? "" : ", below 95% of the target rate");
        }
        if (capacity != null) {
            out.printf(Locale.ROOT, "Capacity (unpaced, %d connections): %,.0f requests/s at p50 %.2f ms, p99 %.2f ms%n",
                    capacity.connections(), capacity.achievedRate(), capacity.p50Us() / 1000.0,
                    capacity.p99Us() / 1000.0);
        }
        out.println();
    }

    /** The warm-ups, then the measured runs. */
    private List<QueryLoad.Result> runs() {
        List<QueryLoad.Result> runs = new ArrayList<>(warmups);
        runs.addAll(measured());
        return runs;
    }

    private List<QueryLoad.Result> measured() {
        return Stream.concat(paced.stream(), Stream.of(capacity)).filter(Objects::nonNull).toList();
    }

    private static String row(QueryLoad.Result r) {
        return String.format(Locale.ROOT, "%-13s %9s %,10.1f %,9d %7.2f %7.2f %7.2f %7.2f %8.2f %8d %7d %7d",
                r.name().replace("-warmup", "-wu"), r.targetRate() > 0 ? String.valueOf(r.targetRate()) : "unpaced",
                r.achievedRate(), r.requests(), r.p50Us() / 1000.0, r.p90Us() / 1000.0, r.p99Us() / 1000.0,
                r.p999Us() / 1000.0, r.maxUs() / 1000.0, r.non2xx(), r.socketErrors(), r.behind());
    }

    /** How the job fared while queried: its most recent completed batches, as the service reports them. */
    private void jobLine(PrintWriter out) {
        if (jobMetrics == null) {
            return;
        }
        long records = 0;
        long processingSum = 0;
        long maxProcessing = 0;
        long maxDelay = 0;
        int batches = 0;
        for (JsonNode b : jobMetrics.path("batches")) {
            if (!b.hasNonNull("processingTimeMs")) {
                continue; // not completed yet
            }
            batches++;
            records += b.path("inputSize").asLong();
            processingSum += b.path("processingTimeMs").asLong();
            maxProcessing = Math.max(maxProcessing, b.path("processingTimeMs").asLong());
            maxDelay = Math.max(maxDelay, b.path("schedulingDelayMs").asLong());
        }
        if (batches == 0) {
            out.println("  the job while queried: no completed batch in GET /api/jobs/" + QueryBenchmark.JOB + "/metrics: "
                    + jobMetrics);
            return;
        }
        JsonNode s = jobMetrics.path("statistics");
        out.printf(Locale.ROOT, "  the job while queried (its %d most recent completed batches in GET /api/jobs/%s/metrics"
                + " after the paced run): %,.0f events/s in, processing mean %,d ms, max %,d ms, scheduling delay max"
                + " %,d ms (batch interval %s); receivers active %d of %d%n", batches, QueryBenchmark.JOB,
                records * 1000.0 / (batches * options.batchInterval().toMillis()), processingSum / batches,
                maxProcessing, maxDelay, Durations.format(options.batchInterval()), s.path("numActiveReceivers").asInt(),
                s.path("numReceivers").asInt());
    }

    private void batchSection(PrintWriter out) {
        if (restSeries == null) {
            return;
        }
        out.println("The same answer two ways: the hourly rollup series of the busiest product over the loaded range.");
        out.printf(Locale.ROOT, "  REST: GET %s%n    p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d sequential calls (Java"
                + " HttpClient in the harness, after as many unmeasured)%n", restSeriesPath, restSeries.at(50) / 1000.0,
                restSeries.at(99) / 1000.0, restSeries.max() / 1000.0, restSeries.count());
        if (batchRuns.isEmpty()) {
            out.println();
            return;
        }
        out.printf("  Spark SQL (local[%d] in the harness's JVM, spark-cassandra-connector, a scan of the whole raw_events"
                + " table, as a nightly report; session start %,d ms, not included below):%n", sparkCores, sparkStartMs);
        out.println("    " + BatchQuery.HOURLY_SERIES.replace("\n", "\n    "));
        for (int i = 0; i < batchRuns.size(); i++) {
            BatchRun r = batchRuns.get(i);
            out.printf(Locale.ROOT, "    %-5s %,9d ms  (~%,d rows in raw_events: the sources' accepted counters); vs REST"
                    + " read after it: %s%n", i == 0 ? "cold" : "warm", r.millis(), r.rawRows(), r.comparison());
        }
        long cold = batchRuns.get(0).millis();
        long[] warm = batchRuns.stream().skip(1).mapToLong(BatchRun::millis).toArray();
        long warmMedian = Percentiles.of(warm).at(50);
        double restP50Ms = restSeries.at(50) / 1000.0;
        out.printf(Locale.ROOT, "  Ratio Spark SQL / REST p50: cold %,.0f x (%,d ms / %.2f ms), warm %,.0f x (median %,d ms"
                + " / %.2f ms)%n", cold / restP50Ms, cold, restP50Ms, warmMedian / restP50Ms, warmMedian, restP50Ms);
        if (!paced.isEmpty()) {
            QueryLoad.Result last = paced.get(paced.size() - 1);
            out.printf(Locale.ROOT, "  (against the p50 of the whole mix under the paced load of %d requests/s, %.2f ms:"
                    + " warm %,.0f x)%n", last.targetRate(), last.p50Us() / 1000.0, warmMedian / (last.p50Us() / 1000.0));
        }
        out.println();
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        String text = text();
        Files.writeString(dir.resolve("report.txt"), text);
        Files.writeString(dir.resolve("report.md"), "# Query benchmark report\n\nWritten by"
                + " `benchmarks/run-query-benchmark.sh` (its `report.txt`, unchanged).\n\n```text\n" + text + "```\n");
    }
}
