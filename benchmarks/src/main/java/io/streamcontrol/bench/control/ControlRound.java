package io.streamcontrol.bench.control;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.JsonNode;
import io.streamcontrol.bench.harness.ControlServiceProcess;
import io.streamcontrol.bench.harness.Machine;
import io.streamcontrol.bench.harness.Processes;
import io.streamcontrol.bench.harness.ServiceApi;
import io.streamcontrol.bench.harness.ServiceApi.JobStatus;
import io.streamcontrol.bench.harness.SourcesTable;
import io.streamcontrol.bench.harness.SparkStreamingStats.Batch;
import io.streamcontrol.contract.settings.Durations;
import io.streamcontrol.contract.settings.LineFormat;
import io.streamcontrol.generator.GeneratorServer;
import io.streamcontrol.generator.GeneratorSettings;
import io.streamcontrol.testkit.AcceptedLines;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One round: the control service started as a process on a fresh control keyspace, a fresh job created and started
 * through its API, reconfigured twice while input flows (batch interval there and back), left to process every line
 * of the count-limited generator, checked for lost and duplicated events, and stopped gracefully.
 */
final class ControlRound {

    static final long JOB_POLL_MS = 100;
    static final Duration LAUNCH_TIMEOUT = Duration.ofMinutes(4);
    static final Duration FIRST_BATCH_TIMEOUT = Duration.ofMinutes(3);
    static final Duration STANDBY_TIMEOUT = Duration.ofMinutes(2);
    static final Duration STOP_TIMEOUT = Duration.ofMinutes(4);
    static final Duration GONE_TIMEOUT = Duration.ofMinutes(3);
    static final long LATENESS_MS = 60_000;
    static final int BATCHES_WITH_INPUT_BEFORE_RECONFIGURE = 2;

    /** Something asked of the service at {@code requestedAt} (epoch ms), whose milestones count from then. */
    interface Requested {
        long requestedAt();
    }

    /** One launch of the job's driver as seen from outside; times in epoch ms, -1 when not seen. */
    record Launch(long requestedAt, String appId, int generation, String driverUiUrl, long submittedAt,
            long startingAt, long runningSeenAt, long jvmStartedAt, long sparkContextAt, long streamingAt,
            long receiversAt, Batch firstBatch, long firstBatchEnd, long firstBatchSeenAt, Batch firstInputBatch,
            long firstInputBatchEnd) implements Requested {

        long toRunning() {
            return since(runningSeenAt);
        }

        long toFirstBatch() {
            return since(firstBatchEnd);
        }

        long since(long at) {
            return at < 0 || requestedAt < 0 ? -1 : at - requestedAt;
        }
    }

    /**
     * A reconfiguration of the running job; {@code downtimeMs} = old driver's last batch end to new driver's first
     * with input. In place (the driver restarted its streaming context, {@code oldGoneAt} -1): the old streaming
     * context's last batch end to the new one's first with input.
     */
    record Reconfiguration(String from, String to, long requestedAt, long stoppingAt, String oldAppId,
            long oldLastBatchEnd, long oldGoneAt, long oldStoppedAt, long emittedAtRequest, long count, Launch next,
            String failure, Launch restart) implements Requested {

        /** -1 when the reconfiguration failed (see {@code failure}; {@code restart} is the start that followed). */
        long downtimeMs() {
            return failure != null || next == null || next.firstInputBatchEnd() < 0 || oldLastBatchEnd < 0 ? -1
                    : next.firstInputBatchEnd() - oldLastBatchEnd;
        }

        boolean inputFlowing() {
            return emittedAtRequest < count;
        }
    }

    /** Everything the generator's lines should have left in the job's tables, and what they hold. */
    record LossCheck(long expectedAccepted, int malformed, int tooLate, long rawRows, long lost, long unexpected,
            long countedInTotals, long acceptedCounter, boolean totalsExact, long waitedMs) {

        /** Events counted more than once in the region totals (an event aggregated twice). */
        long duplicates() {
            return Math.max(0, countedInTotals - (expectedAccepted - lost));
        }

        boolean clean() {
            return lost == 0 && unexpected == 0 && duplicates() == 0 && totalsExact
                    && acceptedCounter == expectedAccepted;
        }
    }

    /** Everything one round measured; {@code error} is set if the round failed before it was complete. */
    record Result(int round, String job, long serviceStartMs, String springStarted, long rssAfterStartKb,
            long peakRssManagingKb, long highWaterMarkKb, Launch start, List<Reconfiguration> reconfigurations,
            long stopRequestedAt, long stoppedSeenAt, String stopState, Duration stopInterval, LossCheck loss,
            Map<Integer, Integer> metricsPolls, String metricsSample, List<String> history, String loadAtStart,
            String loadAtEnd, String error, Path serviceLog, Path driverLogs) {

        /** POST stop to the first GET showing the state the job ended in ({@code stopState}). */
        long stopMs() {
            return stoppedSeenAt < 0 || stopRequestedAt < 0 ? -1 : stoppedSeenAt - stopRequestedAt;
        }

        boolean stoppedGracefully() {
            return "STOPPED".equals(stopState);
        }
    }

    private final int round;
    private final ControlBenchmarkOptions options;
    private final CqlSession session;
    private final String cassandraContactPoint;
    private final Path serviceJar;
    private final Path sparkHome;
    private final Path jobJar;
    private final Path work;
    /** The service and the drivers of this round, for the harness's shutdown hook. */
    private final AtomicReference<Process> serviceProcess;
    private final Set<Long> driverPids;

    private final String job;
    private final String keyspace;
    private final Progress progress = new Progress();

    ControlRound(int round, ControlBenchmarkOptions options, CqlSession session, String cassandraContactPoint,
            Path serviceJar, Path sparkHome, Path jobJar, Path work, AtomicReference<Process> serviceProcess,
            Set<Long> driverPids) {
        this.round = round;
        this.options = options;
        this.session = session;
        this.cassandraContactPoint = cassandraContactPoint;
        this.serviceJar = serviceJar;
        this.sparkHome = sparkHome;
        this.jobJar = jobJar;
        this.work = work;
        this.serviceProcess = serviceProcess;
        this.driverPids = driverPids;
        this.job = "bench-r" + round;
        this.keyspace = "bench_ctl_r" + round;
    }

    Result run() throws InterruptedException {
        progress.loadAtStart = Machine.loadAverage();
        Path serviceWork = work.resolve("service-r" + round);
        progress.serviceLog = serviceWork.resolve("service.log");
        progress.driverLogs = serviceWork.resolve("jobs").resolve(job);
        GeneratorSettings generatorSettings = generatorSettings();
        ControlServiceProcess service = null;
        try (GeneratorServer generator = new GeneratorServer(generatorSettings).start();
                ConnectionWatch connections = new ConnectionWatch(generator)) {
            step("starting the control service (log " + progress.serviceLog + ")");
            service = ControlServiceProcess.start(serviceJar, Processes.freePort(),
                    ControlServiceProcess.arguments(cassandraContactPoint, "bench_control_r" + round, sparkHome, jobJar,
                            serviceWork, options.standby()),
                    progress.serviceLog, serviceProcess::set);
            progress.serviceStartMs = service.startupMillis();
            progress.rssAfterStartKb = service.rssAfterStartKb();
            step(String.format("  healthy after %d ms, RSS %d MB", service.startupMillis(), service.rssAfterStartKb() / 1024));
            measureJob(service, generator, connections, generatorSettings);
        } catch (Exception e) {
            progress.error = e.toString();
            e.printStackTrace();
        } finally {
            if (service != null) {
                progress.springStarted = service.springStartedLine();
                progress.highWaterMarkKb = service.highWaterMarkKb();
                if (progress.peakRssManagingKb < 0) {
                    progress.peakRssManagingKb = service.peakRssKb();
                }
                service.collectDrivers(driverPids);
                service.close();
            }
            serviceProcess.set(null);
            ControlServiceProcess.stopDrivers(driverPids, this::step);
            dropKeyspaces();
            progress.loadAtEnd = Machine.loadAverage();
        }
        return progress.result(round, job);
    }

    private void measureJob(ControlServiceProcess service, GeneratorServer generator, ConnectionWatch connections,
            GeneratorSettings generatorSettings) throws Exception {
        ServiceApi api = service.api();
        ServiceApi.expect(201, "create job " + job, api.post("/api/jobs",
                ServiceApi.jobDefinition(job, keyspace, generator.port(), options.receivers(), options.batchInterval(),
                        Duration.ofMillis(LATENESS_MS), Map.of())));
        MetricsPoller metrics = new MetricsPoller(api, job);
        List<DriverPoller> pollers = new ArrayList<>();
        try {
            if (options.standby()) {
                awaitStandby();
            }
            service.resetPeak();
            step("starting job " + job);
            long requested = System.currentTimeMillis();
            ServiceApi.expect(202, "start " + job, api.post("/api/jobs/" + job + "/start", null));
            LaunchWatch start = watchLaunch(api, generator, requested, null, 0, pollers);
            Launch launch = start.finish(connections, FIRST_BATCH_TIMEOUT);
            progress.start = launch;
            step(String.format("  RUNNING after %d ms, first batch completed %d ms after the request (app %s)",
                    launch.toRunning(), launch.toFirstBatch(), launch.appId()));

            Duration[] intervals = {options.reconfigureInterval(), options.batchInterval()};
            for (Duration to : intervals) {
                DriverPoller old = pollers.get(pollers.size() - 1);
                awaitBatchesWithInput(old, BATCHES_WITH_INPUT_BEFORE_RECONFIGURE);
                progress.reconfigurations.add(reconfigure(api, generator, connections, old, to, pollers));
            }

            AcceptedLines expected = AcceptedLines.of(generatorSettings, options.receivers(), LATENESS_MS);
            step("waiting until every line is processed (" + generatorSettings.count() + " lines)");
            long waitStart = System.currentTimeMillis();
            new SourcesTable(session, keyspace, job, options.receivers()).awaitProcessed(api, expected.lastSeqs(),
                    Duration.ofSeconds(options.count() / options.rate() + 180));
            long waited = System.currentTimeMillis() - waitStart;
            metrics.close();
            progress.metricsPolls = metrics.statuses();
            progress.metricsSample = metrics.sample();

            step("stopping job " + job);
            progress.stopInterval = options.batchInterval();
            progress.stopRequestedAt = System.currentTimeMillis();
            ServiceApi.expect(202, "stop " + job, api.post("/api/jobs/" + job + "/stop", null));
            JobStatus ended = api.awaitJob(job, JobStatus::stopped, "stopped", STOP_TIMEOUT, JOB_POLL_MS);
            progress.stoppedSeenAt = System.currentTimeMillis();
            progress.stopState = ended.state();
            progress.peakRssManagingKb = service.peakRssKb();
            step("  " + ended.state() + " after " + (progress.stoppedSeenAt - progress.stopRequestedAt) + " ms"
                    + (ended.lastError() == null ? "" : ": " + ended.lastError()));
            progress.loss = checkLoss(expected, waited);
            step("  " + progress.loss);
        } finally {
            try {
                progress.history = history(api);
                fillFromHistory(api);
            } catch (IOException | RuntimeException e) {
                step("could not read the job's history: " + e);
            }
            metrics.close();
            if (progress.metricsPolls.isEmpty()) {
                progress.metricsPolls = metrics.statuses();
                progress.metricsSample = metrics.sample();
            }
            for (DriverPoller poller : pollers) {
                poller.close();
            }
        }
    }

    /** A stopped job's standby driver is up and waits for a start, as it would for a job stopped a while. */
    private void awaitStandby() throws InterruptedException {
        step("waiting for the job's standby driver");
        long since = System.currentTimeMillis();
        long deadline = since + STANDBY_TIMEOUT.toMillis();
        while (session.execute("SELECT ready_at FROM " + keyspace + ".standby_drivers WHERE job_name = ?", job).all()
                .stream().allMatch(row -> row.isNull(0))) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("no standby driver of " + job + " waits " + STANDBY_TIMEOUT
                        + " after the job was created (the service's log says why)");
            }
            Thread.sleep(200);
        }
        step(String.format("  standby driver waiting %d ms after the job was created", System.currentTimeMillis()
                - since));
    }

    private Reconfiguration reconfigure(ServiceApi api, GeneratorServer generator, ConnectionWatch connections,
            DriverPoller old, Duration to, List<DriverPoller> pollers) throws Exception {
        JobStatus before = api.job(job);
        String from = current(api);
        step("reconfiguring " + job + ": batch interval " + from + " -> " + Durations.format(to));
        long emitted = generator.emitted();
        long requested = System.currentTimeMillis();
        long contextBefore = old.streamingStartMillis();
        ServiceApi.Response accepted = ServiceApi.expect(202, "reconfigure " + job, api.put("/api/jobs/" + job
                + "/configuration", Map.of("settings", Map.of("batchInterval", Durations.format(to)))));
        if (accepted.body().path("status").path("state").asText().equals("RUNNING")) {
            old.expectRestart(); // the driver drains first: its streaming context is still up
            return reconfiguredInPlace(before, old, contextBefore, from, to, requested, emitted, connections);
        }
        LaunchWatch watch;
        try {
            watch = watchLaunch(api, generator, requested, before.appId(), before.generation() + 1, pollers);
        } catch (JobEnded e) {
            old.awaitGone(GONE_TIMEOUT);
            long oldLast = old.lastEnded().map(DriverPoller::end).orElse(-1L);
            step("  reconfiguration FAILED: " + e.getMessage() + "; starting the job again to go on");
            long restartRequested = System.currentTimeMillis();
            ServiceApi.expect(202, "start " + job + " again", api.post("/api/jobs/" + job + "/start", null));
            Launch restart = watchLaunch(api, generator, restartRequested, before.appId(), 0, pollers)
                    .finish(connections, FIRST_BATCH_TIMEOUT);
            step(String.format("  started again: RUNNING after %d ms, %s", restart.toRunning(),
                    restart.firstInputBatchEnd() < 0 ? "no batch with input (the generator had sent every line)"
                            : String.format("first batch with input ended %d ms after the start request (%d ms after"
                                    + " the old driver's last batch)", restart.since(restart.firstInputBatchEnd()),
                                    restart.firstInputBatchEnd() - oldLast)));
            return new Reconfiguration(from, Durations.format(to), requested, -1, old.appId(), oldLast,
                    old.goneMillis(), -1, emitted, options.count(), null, e.getMessage(), restart);
        }
        Launch next = watch.finish(connections, FIRST_BATCH_TIMEOUT);
        if (!old.awaitGone(GONE_TIMEOUT)) {
            throw new IllegalStateException("the old driver " + old.appId() + " still answers " + GONE_TIMEOUT
                    + " after the reconfiguration");
        }
        long oldLast = old.lastEnded().map(DriverPoller::end).orElse(-1L);
        Reconfiguration r = new Reconfiguration(from, Durations.format(to), requested,
                -1, old.appId(), oldLast, old.goneMillis(), -1, emitted, options.count(), next, null, null);
        step(String.format("  downtime %d ms (old driver's last batch ended %d ms after the request, new driver's"
                + " first batch with input %d ms after it); RUNNING after %d ms", r.downtimeMs(), oldLast - requested,
                next.since(next.firstInputBatchEnd()), next.toRunning()));
        return r;
    }

    /**
     * A reconfiguration the running driver took by restarting its streaming context: the old context's batches are
     * those before the new context's start, on the same driver API.
     */
    private Reconfiguration reconfiguredInPlace(JobStatus before, DriverPoller driver, long contextBefore, String from,
            Duration to, long requested, long emitted, ConnectionWatch connections) throws InterruptedException {
        long deadline = System.nanoTime() + FIRST_BATCH_TIMEOUT.toNanos();
        while (driver.streamingStartMillis() <= contextBefore) {
            if (driver.isGone() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the streaming context of " + driver.appId() + " did not restart"
                        + (driver.isGone() ? " (the driver went away)" : " within " + FIRST_BATCH_TIMEOUT));
            }
            Thread.sleep(50);
        }
        long restartedAt = driver.streamingStartMillis();
        Optional<Batch> first = driver.awaitFirstCompleted(b -> b.batchTime() >= restartedAt, FIRST_BATCH_TIMEOUT);
        Optional<Batch> firstInput = driver.awaitFirstCompleted(b -> b.batchTime() >= restartedAt
                && b.inputSize() > 0, FIRST_BATCH_TIMEOUT);
        if (first.isEmpty() || firstInput.isEmpty()) {
            throw new IllegalStateException("no completed batch with input of the restarted streaming context of "
                    + driver.appId() + " within " + FIRST_BATCH_TIMEOUT);
        }
        long oldLast = driver.batches().stream().filter(Batch::completed).filter(b -> b.batchTime() < restartedAt)
                .mapToLong(DriverPoller::end).max().orElse(-1);
        Launch next = new Launch(requested, driver.appId(), before.generation(), before.driverUiUrl(), -1, -1, -1, -1,
                -1, restartedAt, connections.allConnectedAfter(requested, options.receivers()), first.get(),
                DriverPoller.end(first.get()), System.currentTimeMillis(), firstInput.get(),
                DriverPoller.end(firstInput.get()));
        Reconfiguration r = new Reconfiguration(from, Durations.format(to), requested, -1, driver.appId(), oldLast, -1,
                -1, emitted, options.count(), next, null, null);
        step(String.format("  in place: downtime %d ms (the old streaming context's last batch ended %d ms after the"
                + " request, the new one started after %d ms, its first batch with input ended after %d ms)",
                r.downtimeMs(), oldLast - requested, restartedAt - requested, next.since(next.firstInputBatchEnd())));
        return r;
    }

    private String current(ServiceApi api) throws IOException, InterruptedException {
        JsonNode settings = api.get("/api/jobs/" + job).body().path("configuration").path("settings");
        return settings.path("batchInterval").asText("?");
    }

    /** What is seen of one launch while it comes up: job states polled every 100 ms, then the driver's batches. */
    private final class LaunchWatch {
        final GeneratorServer generator;
        final long requestedAt;
        final Map<String, Long> firstSeen = new LinkedHashMap<>();
        JobStatus status;
        DriverPoller poller;

        LaunchWatch(GeneratorServer generator, long requestedAt) {
            this.generator = generator;
            this.requestedAt = requestedAt;
        }

        Launch finish(ConnectionWatch connections, Duration timeout) throws InterruptedException {
            Optional<Batch> first = poller.awaitFirstCompleted(b -> true, timeout);
            long firstSeenAt = System.currentTimeMillis();
            if (first.isEmpty()) {
                throw new IllegalStateException("no completed batch of " + poller.appId() + " within " + timeout
                        + (poller.isGone() ? " (the driver went away)" : "") + "; last poll failure: "
                        + poller.lastFailure());
            }
            Optional<Batch> firstInput = awaitFirstInput(timeout);
            long[] driverRow = driverRow(status.appId());
            return new Launch(requestedAt, status.appId(), status.generation(), status.driverUiUrl(), -1, -1,
                    firstSeen.getOrDefault("RUNNING", -1L), driverRow[0], poller.sparkContextStartMillis(),
                    poller.streamingStartMillis(), connections.allConnectedAfter(requestedAt, options.receivers()),
                    first.get(), DriverPoller.end(first.get()), firstSeenAt, firstInput.orElse(null),
                    firstInput.map(DriverPoller::end).orElse(-1L));
        }

        /**
         * The first completed batch with input; empty if the generator has sent every line and the driver completed
         * three batches without any (nothing left to receive).
         */
        private Optional<Batch> awaitFirstInput(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Optional<Batch> batch = poller.firstCompleted(b -> b.inputSize() > 0);
                if (batch.isPresent()) {
                    return batch;
                }
                if (generator.emitted() >= options.count() && poller.completed() >= 3) {
                    return Optional.empty();
                }
                if (poller.isGone() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("no completed batch with input of " + poller.appId()
                            + (poller.isGone() ? " (the driver went away)" : " within " + timeout));
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * Polls the job every 100 ms until a launch newer than {@code oldAppId} (of at least {@code minGeneration}) is
     * RUNNING with its app id and UI known; starts polling that driver's batches as soon as both are known.
     */
    private LaunchWatch watchLaunch(ServiceApi api, GeneratorServer generator, long requestedAt, String oldAppId,
            int minGeneration, List<DriverPoller> pollers) throws IOException, InterruptedException {
        LaunchWatch watch = new LaunchWatch(generator, requestedAt);
        long deadline = System.nanoTime() + LAUNCH_TIMEOUT.toNanos();
        JobStatus s = null;
        while (System.nanoTime() < deadline) {
            long before = System.currentTimeMillis();
            s = api.job(job);
            long now = System.currentTimeMillis();
            boolean newLaunch = s.generation() >= minGeneration && (s.appId() == null || !s.appId().equals(oldAppId))
                    && Set.of("SUBMITTED", "STARTING", "RUNNING").contains(s.state());
            if (newLaunch) {
                watch.firstSeen.putIfAbsent(s.state(), now);
                if (watch.poller == null && s.appId() != null && s.driverUiUrl() != null) {
                    watch.poller = new DriverPoller(s.appId(), s.driverUiUrl());
                    pollers.add(watch.poller);
                }
                if (watch.poller != null && s.state().equals("RUNNING")) {
                    watch.status = s;
                    return watch;
                }
            } else if (ServiceApi.ENDED.contains(s.state())) {
                throw new JobEnded(job + " " + s.state() + " while launching: " + abbreviate(s.lastError()));
            }
            long sleep = JOB_POLL_MS - (System.currentTimeMillis() - before);
            if (sleep > 0) {
                Thread.sleep(sleep);
            }
        }
        throw new IllegalStateException("job " + job + " not RUNNING (new launch) within " + LAUNCH_TIMEOUT
                + "; last seen " + s);
    }

    private void awaitBatchesWithInput(DriverPoller poller, int batches) throws InterruptedException {
        long deadline = System.nanoTime() + FIRST_BATCH_TIMEOUT.toNanos();
        while (poller.completedWithInput() < batches) {
            if (poller.isGone() || System.nanoTime() > deadline) {
                throw new IllegalStateException("driver " + poller.appId() + " did not complete " + batches
                        + " batches with input" + (poller.isGone() ? " (it went away)" : " within " + FIRST_BATCH_TIMEOUT));
            }
            Thread.sleep(100);
        }
    }

    private LossCheck checkLoss(AcceptedLines expected, long waitedMs) {
        Set<Long> raw = new HashSet<>();
        long rows = 0;
        for (Row row : session.execute("SELECT order_id FROM " + keyspace + ".raw_events")) {
            raw.add(row.getLong(0));
            rows++;
        }
        Set<Long> accepted = expected.acceptedIds();
        long lost = accepted.stream().filter(id -> !raw.contains(id)).count();
        long unexpected = raw.stream().filter(id -> !accepted.contains(id)).count();
        Map<String, String> totals = new TreeMap<>();
        long regionCount = 0;
        for (Row r : session.execute("SELECT dimension, key, event_count, quantity_sum, sale_sum, sale_min, sale_max FROM "
                + keyspace + ".running_totals")) {
            totals.put(r.getString(0) + "|" + r.getString(1), AcceptedLines.aggregateText(r.getLong(2), r.getLong(3),
                    r.getBigDecimal(4), r.getBigDecimal(5), r.getBigDecimal(6)));
            if ("region".equals(r.getString(0))) {
                regionCount += r.getLong(2);
            }
        }
        long acceptedCounter = 0;
        for (Row r : session.execute("SELECT accepted FROM " + keyspace + ".sources WHERE job_name = ?", job)) {
            acceptedCounter += r.getLong(0);
        }
        return new LossCheck(accepted.size(), expected.malformed(), expected.tooLate(), rows, lost, unexpected,
                regionCount, acceptedCounter, totals.equals(expected.totals()), waitedMs);
    }

    /** launch_id, app_id... of the drivers row: [started_at epoch ms, pid] of the given app, -1 when not there. */
    private long[] driverRow(String appId) {
        try {
            Row row = session.execute("SELECT app_id, pid, started_at FROM " + keyspace + ".drivers WHERE job_name = ?",
                    job).one();
            if (row != null && Objects.equals(appId, row.getString(0))) {
                if (!row.isNull(1)) {
                    driverPids.add(row.getLong(1));
                }
                return new long[] {row.isNull(2) ? -1 : row.getInstant(2).toEpochMilli(), row.isNull(1) ? -1 : row.getLong(1)};
            }
        } catch (RuntimeException e) {
            // no drivers table (yet): the figure stays unknown
        }
        return new long[] {-1, -1};
    }

    private List<String> history(ServiceApi api) throws IOException, InterruptedException {
        List<String> lines = new ArrayList<>();
        for (JsonNode t : api.get("/api/jobs/" + job + "/history?limit=100").body().path("items")) {
            lines.add(0, t.path("at").asText() + " " + t.path("from").asText("-") + " -> " + t.path("to").asText()
                    + ": " + t.path("reason").asText());
        }
        return lines;
    }

    /** The service's own transition times (SUBMITTED, STARTING, STOPPING, STOPPED) of each launch. */
    private void fillFromHistory(ServiceApi api) throws IOException, InterruptedException {
        List<long[]> transitions = new ArrayList<>(); // at, state index
        List<String> states = new ArrayList<>();
        for (JsonNode t : api.get("/api/jobs/" + job + "/history?limit=100").body().path("items")) {
            transitions.add(0, new long[] {Instant.parse(t.path("at").asText()).toEpochMilli()});
            states.add(0, t.path("to").asText());
        }
        java.util.function.BiFunction<String, Long, Long> after = (state, since) -> {
            for (int i = 0; i < transitions.size(); i++) {
                if (states.get(i).equals(state) && transitions.get(i)[0] >= since) {
                    return transitions.get(i)[0];
                }
            }
            return -1L;
        };
        progress.start = withHistory(progress.start, after);
        List<Reconfiguration> updated = new ArrayList<>();
        for (Reconfiguration r : progress.reconfigurations) {
            boolean inPlace = r.oldGoneAt() < 0 && r.failure() == null;
            long stopping = inPlace ? -1 : after.apply("STOPPING", r.requestedAt());
            long stopped = r.failure() != null || inPlace ? -1
                    : after.apply("STOPPED", Math.max(stopping, r.requestedAt()));
            if (r.next() != null && stopped > r.next().runningSeenAt()) {
                stopped = -1; // not this reconfiguration's
            }
            updated.add(new Reconfiguration(r.from(), r.to(), r.requestedAt(), stopping, r.oldAppId(),
                    r.oldLastBatchEnd(), r.oldGoneAt(), stopped, r.emittedAtRequest(), r.count(),
                    withHistory(r.next(), after), r.failure(), withHistory(r.restart(), after)));
        }
        progress.reconfigurations.clear();
        progress.reconfigurations.addAll(updated);
    }

    private static Launch withHistory(Launch l, java.util.function.BiFunction<String, Long, Long> after) {
        if (l == null) {
            return null;
        }
        long submitted = after.apply("SUBMITTED", l.requestedAt());
        long starting = after.apply("STARTING", Math.max(submitted, l.requestedAt()));
        return new Launch(l.requestedAt(), l.appId(), l.generation(), l.driverUiUrl(), submitted, starting,
                l.runningSeenAt(), l.jvmStartedAt(), l.sparkContextAt(), l.streamingAt(), l.receiversAt(),
                l.firstBatch(), l.firstBatchEnd(), l.firstBatchSeenAt(), l.firstInputBatch(), l.firstInputBatchEnd());
    }

    private GeneratorSettings generatorSettings() {
        return GeneratorSettings.builder()
                .port(0)
                .seed(1000L + round)
                .rate(options.rate())
                .count(options.count())
                .format(LineFormat.CSV)
                .malformedShare(0.02)
                .lateShare(0.03).lateBy(Duration.ofSeconds(5))
                .veryLateShare(0.01).veryLateBy(Duration.ofMinutes(2))
                .startTime(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .eventSpacing(Duration.ofNanos(Math.round(1e9 / options.rate())))
                .build();
    }

    /** The round's keyspaces go: their compactions must not weigh on the next round. */
    private void dropKeyspaces() {
        for (String ks : List.of(keyspace, "bench_control_r" + round)) {
            try {
                session.execute("DROP KEYSPACE IF EXISTS " + ks);
            } catch (RuntimeException e) {
                step("could not drop keyspace " + ks + ": " + e.getMessage());
            }
        }
    }

    static String abbreviate(String text) {
        return text == null || text.length() <= 160 ? text : text.substring(0, 160) + "...";
    }

    private void step(String message) {
        System.err.println("==> [round " + round + "] " + message);
    }

    /** GET /api/jobs/{name}/metrics every second while the job runs: HTTP statuses seen and one answer. */
    private static final class MetricsPoller implements AutoCloseable {
        private final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        private final Thread thread;
        private volatile String sample;
        private volatile boolean closed;

        MetricsPoller(ServiceApi api, String job) {
            thread = new Thread(() -> {
                while (!closed) {
                    try {
                        ServiceApi.Response r = api.get("/api/jobs/" + job + "/metrics");
                        statuses.merge(r.status(), 1, Integer::sum);
                        String body = r.body().toString();
                        sample = "HTTP " + r.status() + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
                        Thread.sleep(1_000);
                    } catch (InterruptedException e) {
                        return;
                    } catch (IOException | RuntimeException e) {
                        statuses.merge(-1, 1, Integer::sum);
                    }
                }
            }, "metrics-poller");
            thread.setDaemon(true);
            thread.start();
        }

        Map<Integer, Integer> statuses() {
            return new TreeMap<>(statuses);
        }

        String sample() {
            return sample;
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            thread.interrupt();
            thread.join(2_000);
        }
    }

    /** The job ended (FAILED, KILLED, LOST) when it should have come up. */
    static final class JobEnded extends IllegalStateException {
        JobEnded(String message) {
            super(message);
        }
    }

    /** The figures gathered so far; a failed round reports what it got. */
    private static final class Progress {
        long serviceStartMs = -1;
        String springStarted = "-";
        long rssAfterStartKb = -1;
        long peakRssManagingKb = -1;
        long highWaterMarkKb = -1;
        Launch start;
        final List<Reconfiguration> reconfigurations = new ArrayList<>();
        long stopRequestedAt = -1;
        long stoppedSeenAt = -1;
        String stopState;
        Duration stopInterval;
        LossCheck loss;
        Map<Integer, Integer> metricsPolls = Map.of();
        String metricsSample;
        List<String> history = List.of();
        String loadAtStart;
        String loadAtEnd;
        String error;
        Path serviceLog;
        Path driverLogs;

        Result result(int round, String job) {
            return new Result(round, job, serviceStartMs, springStarted, rssAfterStartKb, peakRssManagingKb,
                    highWaterMarkKb, start, List.copyOf(reconfigurations), stopRequestedAt, stoppedSeenAt, stopState,
                    stopInterval,
                    loss, metricsPolls, metricsSample, history, loadAtStart, loadAtEnd, error, serviceLog, driverLogs);
        }
    }
}
