package io.streamcontrol.bench.query;

import static io.streamcontrol.bench.harness.BenchmarkMain.progress;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import io.streamcontrol.bench.harness.BenchmarkMain;
import io.streamcontrol.bench.harness.ControlServiceProcess;
import io.streamcontrol.bench.harness.Machine;
import io.streamcontrol.bench.harness.Percentiles;
import io.streamcontrol.bench.harness.Processes;
import io.streamcontrol.bench.harness.ServiceApi;
import io.streamcontrol.bench.harness.ServiceApi.JobStatus;
import io.streamcontrol.bench.harness.SourcesTable;
import io.streamcontrol.cassandra.LocalCassandra;
import io.streamcontrol.contract.settings.Durations;
import io.streamcontrol.generator.GeneratorServer;
import io.streamcontrol.generator.GeneratorSettings;
import io.streamcontrol.testkit.AcceptedLines;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The rollup query benchmark: the control service's analytics API under load from wrk on loopback while the job
 * ingests, against the same answer computed the batch way (Spark SQL over the raw table). See
 * {@link QueryBenchmarkOptions#USAGE} and benchmarks/README.md.
 */
public final class QueryBenchmark implements BenchmarkMain.CassandraBenchmark {

    static final String JOB = "query-bench";
    static final String KEYSPACE = "bench_query";
    static final String CONTROL_KEYSPACE = "bench_query_control";
    static final Duration LATENESS = Duration.ofMinutes(1);
    static final long SEED = 7;
    static final Duration LAUNCH_TIMEOUT = Duration.ofMinutes(4);
    static final Duration LIVE_TIMEOUT = Duration.ofMinutes(2);
    static final Duration STOP_TIMEOUT = Duration.ofMinutes(4);
    static final long JOB_POLL_MS = 500;
    /** Sequential calls of the REST query the batch query answers (after as many again to warm up). */
    static final int REST_SERIES_CALLS = 200;

    private final QueryBenchmarkOptions options;
    private final QueryReport report;
    private final Path serviceJar;
    private final Path sparkHome;
    private final Path jobJar;
    /** What the shutdown hook stops on Ctrl-C: wrk, the service and the drivers it launched. */
    private final AtomicReference<Process> service = new AtomicReference<>();
    private final AtomicReference<Process> wrk = new AtomicReference<>();
    private final Set<Long> driverPids = ConcurrentHashMap.newKeySet();
    /** What the measurement has running, stopped before Cassandra, also after a failure. */
    private GeneratorServer generator;
    private ControlServiceProcess controlService;
    private BatchQuery batch;

    private QueryBenchmark(QueryBenchmarkOptions options) {
        this.options = options;
        this.report = new QueryReport(options);
        this.serviceJar = BenchmarkMain.requiredFile("service.jar");
        this.sparkHome = BenchmarkMain.requiredFile("spark.home");
        this.jobJar = BenchmarkMain.requiredFile("job.jar");
    }

    public static void main(String[] args) throws Exception {
        BenchmarkMain.run(args, "query benchmark", QueryBenchmarkOptions.USAGE, QueryBenchmarkOptions::parse,
                options -> new QueryBenchmark(options).run());
    }

    /** 0 = every target met, 1 = something failed (non-2xx answers, a different batch answer...), 3 = a target missed. */
    private int run() throws Exception {
        BenchmarkMain.withCassandra(options.out(), this);
        System.out.println();
        System.out.print(report.text());
        System.out.println("(written to " + options.out().resolve("report.txt") + ")");
        return report.hasFailures() ? 1 : report.targetsMet() ? 0 : 3;
    }

    @Override
    public void measure(Path work, LocalCassandra cassandra, CqlSession session) throws Exception {
        SourcesTable sources = new SourcesTable(session, KEYSPACE, JOB, options.receivers());
        GeneratorSettings backlog = backlogSettings(Instant.now());
        report.backlog(backlog);
        generator = new GeneratorServer(backlog).start();
        int sourcePort = generator.port();

        Path serviceLog = work.resolve("service").resolve("service.log");
        progress("starting the control service (log " + serviceLog + ")");
        controlService = ControlServiceProcess.start(serviceJar, Processes.freePort(),
                ControlServiceProcess.arguments(cassandra.contactPoint(), CONTROL_KEYSPACE, sparkHome, jobJar,
                        serviceLog.getParent(), false),
                serviceLog, service::set);
        ServiceApi api = controlService.api();
        ServiceApi viewer = api.as(controlService.viewer());
        startJob(api, sourcePort);

        progress(String.format("pre-loading %,d events (event time %s to %s) at %,d events/s",
                backlog.count(), backlog.startTime(), report.backlogEnd(), options.backlogSendRate()));
        long loadStart = System.currentTimeMillis();
        long[] backlogLastSeqs = lastSeqs(backlog.count(), options.receivers());
        sources.awaitProcessed(api, backlogLastSeqs, Duration.ofSeconds(
                backlog.count() * 4 / options.backlogSendRate() + 300));
        report.backlogLoaded(System.currentTimeMillis() - loadStart);
        progress("  processed after " + (System.currentTimeMillis() - loadStart) / 1000 + " s");

        // the live phase: a second generator on the same port continues the sequence at event time = now
        generator.close();
        Instant liveStart = Instant.now();
        generator = new GeneratorServer(liveSettings(backlog, sourcePort, liveStart)).start();
        report.liveStart(liveStart);
        progress("live input at " + options.liveRate() + " events/s from " + liveStart);
        awaitLive(sources, backlogLastSeqs);
        Keys keys = keys(viewer);

        QueryLoad load = new QueryLoad(work.resolve("wrk"), api.port(), JOB, controlService.viewer(),
                keys.products(), keys.regions(), keys.states(), wrk);
        Map<String, List<Long>> watched = watched(controlService, cassandra);
        if (!options.serviceWarmup().isZero()) {
            // a fresh JVM compiles the query path during its first minutes (its JIT compilers took about as much
            // CPU as the requests themselves then): warm it up unpaced before anything is measured
            progress(String.format("wrk service-warmup: unpaced, %d connections, %s (not measured)",
                    options.capacityConnections(), Durations.format(options.serviceWarmup())));
            report.warmup(load.run("service-warmup", 0, options.capacityConnections(),
                    options.serviceWarmup(), watched));
        }
        for (int rate : options.queryRates()) {
            String name = options.queryRates().size() == 1 ? "paced" : "paced-" + rate;
            report.paced(measureLoad(load, name, rate, options.connections(), watched));
        }
        report.jobWhileQueried(jobMetrics(api));
        report.capacity(measureLoad(load, "capacity", 0, options.capacityConnections(), watched));

        String product = generator.source().productKey(0);
        Instant from = backlog.startTime();
        Instant to = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        String seriesPath = seriesPath(product, from, to);
        progress("timing the REST query " + seriesPath + " (" + REST_SERIES_CALLS + " sequential calls)");
        report.restSeries(seriesPath, timeRest(viewer, seriesPath));

        progress("the batch way: Spark SQL over " + KEYSPACE + ".raw_events (load average "
                + Machine.loadAverage() + ")");
        batch = BatchQuery.start(cassandra.host(), cassandra.nativePort(), KEYSPACE);
        report.sparkStart(batch.startMillis(), batch.cores());
        for (int i = 0; i <= options.batchRepeats(); i++) {
            Instant complete = completeBefore(sources);
            BatchQuery.Run run = batch.hourlySeries(product, from, to);
            Map<Instant, String> rest = restHourly(viewer, seriesPath);
            long rawRows = Arrays.stream(sources.longs("accepted")).sum();
            QueryReport.Comparison comparison = QueryReport.Comparison.of(run.buckets(), rest, complete,
                    Duration.ofHours(1));
            report.batchRun(run.millis(), rawRows, comparison);
            progress(String.format("  %s run: %,d ms over ~%,d raw rows; %s", i == 0 ? "cold" : "warm",
                    run.millis(), rawRows, comparison));
        }
        batch.close();
        batch = null;
        stopJob(api);
    }

    @Override
    public void failed(String error) {
        report.failure(error);
    }

    @Override
    public void beforeCassandraStops() throws InterruptedException {
        if (batch != null) {
            batch.close();
        }
        if (controlService != null) {
            controlService.collectDrivers(driverPids);
            controlService.close();
        }
        service.set(null);
        ControlServiceProcess.stopDrivers(driverPids, BenchmarkMain::progress);
        if (generator != null) {
            generator.close();
        }
    }

    @Override
    public void afterCassandraStopped() throws IOException {
        report.write(options.out());
    }

    /** The backlog: {@code backlogEvents} spread evenly from the start of the hour {@code backlog} ago up to now. */
    private GeneratorSettings backlogSettings(Instant now) {
        Instant start = now.minus(options.backlog()).truncatedTo(ChronoUnit.HOURS);
        Duration spacing = Duration.between(start, now).dividedBy(options.backlogEvents());
        return GeneratorSettings.builder().port(0).seed(SEED).rate(options.backlogSendRate())
                .count(options.backlogEvents()).startTime(start).eventSpacing(spacing).build();
    }

    /**
     * The same stream after the backlog: event {@code n >= count} is due at {@code liveStart + (n - count) / liveRate},
     * sent at the live rate for as long as the benchmark runs.
     */
    private GeneratorSettings liveSettings(GeneratorSettings backlog, int port, Instant liveStart) {
        Duration spacing = Duration.ofNanos(Math.round(1e9 / options.liveRate()));
        return GeneratorSettings.builder().port(port).seed(backlog.seed()).rate(options.liveRate()).count(-1)
                .startTime(liveStart.minus(spacing.multipliedBy(backlog.count()))).eventSpacing(spacing).build();
    }

    /** The last sequence of each source partition of a stream of {@code count} events. */
    static long[] lastSeqs(long count, int partitions) {
        long[] last = new long[partitions];
        for (int p = 0; p < partitions; p++) {
            last[p] = count - 1 - Math.floorMod(count - 1 - p, partitions);
        }
        return last;
    }

    private void startJob(ServiceApi api, int sourcePort) throws IOException, InterruptedException {
        ServiceApi.expect(201, "create job " + JOB, api.post("/api/jobs", ServiceApi.jobDefinition(JOB, KEYSPACE,
                sourcePort, options.receivers(), options.batchInterval(), LATENESS, Map.of("backpressure", true))));
        progress("starting job " + JOB);
        ServiceApi.expect(202, "start " + JOB, api.post("/api/jobs/" + JOB + "/start", null));
        JobStatus s = api.awaitJob(JOB, j -> "RUNNING".equals(j.state()) || j.stopped(), "RUNNING", LAUNCH_TIMEOUT,
                JOB_POLL_MS);
        if (!"RUNNING".equals(s.state())) {
            throw new IllegalStateException("job " + JOB + " " + s.state() + " while starting: " + s.lastError());
        }
        progress("  RUNNING (" + s.appId() + ")");
    }

    /** Waits until every source processed live events and the minute rollups of the last minutes have buckets. */
    private void awaitLive(SourcesTable sources, long[] backlogLastSeqs) throws InterruptedException {
        long deadline = System.nanoTime() + LIVE_TIMEOUT.toNanos();
        while (true) {
            long[] processed = sources.longs("processed_seq");
            boolean live = processed.length == backlogLastSeqs.length;
            for (int p = 0; live && p < processed.length; p++) {
                live = processed[p] > backlogLastSeqs[p];
            }
            if (live) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no live event processed within " + LIVE_TIMEOUT + ": processed_seq "
                        + Arrays.toString(processed) + ", backlog ended at " + Arrays.toString(backlogLastSeqs));
            }
            Thread.sleep(JOB_POLL_MS);
        }
    }

    /** The keys the queries pick from, as a client would learn them: from the running totals. */
    private Keys keys(ServiceApi viewer) throws IOException, InterruptedException {
        Keys keys = new Keys(totalsKeys(viewer, "product"), totalsKeys(viewer, "region"), totalsKeys(viewer, "state"));
        progress(String.format("keys: %d products, %d regions, %d states", keys.products().size(),
                keys.regions().size(), keys.states().size()));
        return keys;
    }

    private record Keys(List<String> products, List<String> regions, List<String> states) {
    }

    private static List<String> totalsKeys(ServiceApi viewer, String dimension) throws IOException, InterruptedException {
        JsonNode body = ServiceApi.expect(200, "totals of " + dimension,
                viewer.get("/api/jobs/" + JOB + "/totals/" + dimension + "?limit=1000")).body();
        List<String> keys = new ArrayList<>();
        body.path("items").forEach(item -> keys.add(item.path("key").asText()));
        if (keys.isEmpty()) {
            throw new IllegalStateException("no running totals of " + dimension + ": " + body);
        }
        return keys;
    }

    /** A paced or unpaced wrk run after a warm-up run alike (not measured). */
    private QueryLoad.Result measureLoad(QueryLoad load, String name, int rate, int connections,
            Map<String, List<Long>> watched) throws IOException, InterruptedException {
        String pace = rate > 0 ? rate + " requests/s" : "unpaced";
        progress(String.format("wrk %s: warm-up %s, %s, %d connections (load average %s)", name,
                Durations.format(options.warmup()), pace, connections, Machine.loadAverage()));
        QueryLoad.Result warmup = load.run(name + "-warmup", rate, connections, options.warmup(), watched);
        report.warmup(warmup);
        progress(String.format("wrk %s: %s, %d connections, %s", name, pace, connections,
                Durations.format(options.duration())));
        QueryLoad.Result result = load.run(name, rate, connections, options.duration(), watched);
        progress(String.format("  %,.0f requests/s, p50 %.2f ms, p99 %.2f ms, non-2xx %d, socket errors %d, service CPU"
                + " %.3f ms per request", result.achievedRate(), result.p50Us() / 1000.0, result.p99Us() / 1000.0,
                result.non2xx(), result.socketErrors(), result.serviceCpuMsPerRequest()));
        return result;
    }

    /** The processes whose CPU time the report gives: the service, the job's driver, Cassandra and this harness. */
    private Map<String, List<Long>> watched(ControlServiceProcess controlService, LocalCassandra cassandra) {
        Set<Long> drivers = new HashSet<>();
        controlService.collectDrivers(drivers);
        Map<String, List<Long>> watched = new LinkedHashMap<>();
        watched.put(QueryLoad.SERVICE, List.of(controlService.pid()));
        watched.put("driver", drivers.stream().filter(pid -> ProcessHandle.of(pid)
                .filter(ControlServiceProcess::isDriver).isPresent()).toList());
        watched.put("Cassandra", List.of(cassandra.pid()));
        watched.put("harness+generator", List.of(ProcessHandle.current().pid()));
        return watched;
    }

    /** The job's recent batches as the service reports them (GET /api/jobs/{name}/metrics). */
    private static JsonNode jobMetrics(ServiceApi api) throws IOException, InterruptedException {
        return api.get("/api/jobs/" + JOB + "/metrics").body();
    }

    private static String seriesPath(String product, Instant from, Instant to) {
        return "/api/jobs/" + JOB + "/rollups/product/" + product + "?granularity=hour&from="
                + URLEncoder.encode(from.toString(), StandardCharsets.UTF_8) + "&to="
                + URLEncoder.encode(to.toString(), StandardCharsets.UTF_8) + "&limit=1000";
    }

    /** Latencies in microseconds of sequential calls, after as many unmeasured ones. */
    private static Percentiles timeRest(ServiceApi viewer, String path) throws IOException, InterruptedException {
        long[] micros = new long[REST_SERIES_CALLS];
        for (int i = -REST_SERIES_CALLS; i < REST_SERIES_CALLS; i++) {
            long started = System.nanoTime();
            ServiceApi.expect(200, path, viewer.get(path));
            if (i >= 0) {
                micros[i] = (System.nanoTime() - started) / 1_000;
            }
        }
        return Percentiles.of(micros);
    }

    /** The REST answer: bucket start to the aggregate text the batch answer is compared with. */
    private static Map<Instant, String> restHourly(ServiceApi viewer, String path)
            throws IOException, InterruptedException {
        Map<Instant, String> buckets = new TreeMap<>();
        String cursor = null;
        do {
            JsonNode page = ServiceApi.expect(200, path, viewer.get(path + (cursor == null ? ""
                    : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)))).body();
            for (JsonNode b : page.path("items")) {
                buckets.put(Instant.parse(b.path("bucket_start").asText()), AcceptedLines.aggregateText(
                        b.path("event_count").asLong(), b.path("quantity_sum").asLong(),
                        b.path("sale_amount_sum").decimalValue(), b.path("sale_amount_min").decimalValue(),
                        b.path("sale_amount_max").decimalValue()));
            }
            cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
        } while (cursor != null);
        return buckets;
    }

    /**
     * Buckets ending at or before this instant can no longer change: every source's newest processed event is more
     * than the lateness past it (an older event would be rejected as too late).
     */
    private static Instant completeBefore(SourcesTable sources) {
        Instant oldest = sources.oldestMaxEventTime();
        return oldest == null ? Instant.EPOCH : oldest.minus(LATENESS);
    }

    private void stopJob(ServiceApi api) throws IOException, InterruptedException {
        progress("stopping job " + JOB);
        ServiceApi.expect(202, "stop " + JOB, api.post("/api/jobs/" + JOB + "/stop", null));
        JobStatus s = api.awaitJob(JOB, JobStatus::stopped, "stopped", STOP_TIMEOUT, JOB_POLL_MS);
        progress("  " + s.state());
    }

    /** wrk, the drivers the service launched, the service (Cassandra has its own hook). */
    @Override
    public void interrupted() {
        Process load = wrk.getAndSet(null);
        if (load != null && load.isAlive()) {
            System.err.println("query benchmark: stopping wrk (pid " + load.pid() + ")");
            load.destroyForcibly();
        }
        ControlServiceProcess.stopWithDrivers(service.getAndSet(null), driverPids, "query benchmark");
    }
}
