package io.streamcontrol.bench.control;

import io.streamcontrol.bench.control.ControlRound.Launch;
import io.streamcontrol.bench.control.ControlRound.LossCheck;
import io.streamcontrol.bench.control.ControlRound.Reconfiguration;
import io.streamcontrol.bench.control.ControlRound.Requested;
import io.streamcontrol.bench.control.ControlRound.Result;
import io.streamcontrol.bench.harness.Machine;
import io.streamcontrol.bench.harness.Percentiles;
import io.streamcontrol.contract.settings.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/** The text report and per-round CSV of {@link ControlBenchmark}. */
final class ControlReport {

    static final long RUNNING_TARGET_MS = 8_000;
    static final long FIRST_BATCH_TARGET_MS = 10_000;
    static final long STOP_MARGIN_MS = 5_000;
    static final long DOWNTIME_TARGET_MS = 10_000;
    static final long RSS_TARGET_KB = 350 * 1024;

    private final ControlBenchmarkOptions options;
    private final Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final String machine = Machine.summary();
    private final String loadAtStart = Machine.loadAverage();
    private final List<Result> rounds = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private String serviceJar = "?";

    ControlReport(ControlBenchmarkOptions options) {
        this.options = options;
    }

    void serviceJar(Path jar) {
        this.serviceJar = jar.getFileName().toString();
    }

    void add(Result round) {
        rounds.add(round);
    }

    void failure(String what) {
        failures.add(what);
    }

    boolean hasFailures() {
        return !failures.isEmpty() || rounds.stream().anyMatch(r -> r.error() != null);
    }

    /** Whether every figure with a target met it in every round. */
    boolean allTargetsMet() {
        return figures().stream().allMatch(f -> f.pass() == null || f.pass());
    }

    /** One line of the table; {@code limit} is the target's bound in the figure's unit (ms, kB), -1 if none. */
    private record Figure(String name, long[] values, String unit, String target, long limit, Boolean pass) {
    }

    private List<Figure> figures() {
        List<Figure> figures = new ArrayList<>();
        List<Launch> starts = rounds.stream().map(Result::start).filter(l -> l != null).toList();
        List<Reconfiguration> reconfigs = rounds.stream().flatMap(r -> r.reconfigurations().stream()).toList();
        List<LossCheck> losses = rounds.stream().map(Result::loss).filter(l -> l != null).toList();

        figures.add(new Figure("Service start (process -> /actuator/health 200)",
                values(rounds, Result::serviceStartMs), "s", "-", -1, null));
        figures.add(new Figure("Service RSS after start (VmRSS)", values(rounds, Result::rssAfterStartKb), "MB", "-", -1, null));
        figures.add(new Figure("Service RSS managing the job (peak VmRSS)",
                values(rounds, Result::peakRssManagingKb), "MB", "-", -1, null));
        long[] hwm = values(rounds, Result::highWaterMarkKb);
        figures.add(new Figure("Service RSS peak over the round (VmHWM)", hwm, "MB", "< 350 MB", RSS_TARGET_KB,
                judge(hwm, rounds.size(), v -> v < RSS_TARGET_KB)));
        long[] running = values(starts, Launch::toRunning);
        figures.add(new Figure("Start request -> state RUNNING", running, "s", "<= 8 s", RUNNING_TARGET_MS,
                judge(running, rounds.size(), v -> v <= RUNNING_TARGET_MS)));
        long[] firstBatch = values(starts, Launch::toFirstBatch);
        figures.add(new Figure("Start request -> first completed batch", firstBatch, "s", "<= 10 s", FIRST_BATCH_TARGET_MS,
                judge(firstBatch, rounds.size(), v -> v <= FIRST_BATCH_TARGET_MS)));
        long[] downtime = values(reconfigs, Reconfiguration::downtimeMs);
        figures.add(new Figure("Reconfigure downtime (" + reconfigs.size() + " reconfigurations)", downtime, "s",
                "<= 10 s", DOWNTIME_TARGET_MS, judge(downtime, rounds.size() * 2, v -> v <= DOWNTIME_TARGET_MS)));
        long[] lost = values(losses, LossCheck::lost);
        long[] duplicates = values(losses, LossCheck::duplicates);
        boolean clean = losses.size() == rounds.size() && losses.stream().allMatch(LossCheck::clean);
        figures.add(new Figure("Events lost (accepted ids not in raw_events)", lost, "n", "0", 0,
                losses.size() == rounds.size() ? clean : Boolean.FALSE));
        figures.add(new Figure("Events duplicated (counted twice in totals)", duplicates, "n", "0", 0,
                losses.size() == rounds.size() ? clean : Boolean.FALSE));
        long[] stop = values(rounds.stream().filter(Result::stoppedGracefully).toList(), Result::stopMs);
        long stopLimit = options.batchInterval().toMillis() + STOP_MARGIN_MS;
        figures.add(new Figure("Graceful stop (POST stop -> STOPPED)", stop, "s",
                "<= " + Durations.format(options.batchInterval()) + " + 5 s", stopLimit,
                judge(stop, rounds.size(), v -> v <= stopLimit)));
        return figures;
    }

    private static <T> long[] values(List<T> items, ToLongFunction<T> figure) {
        return items.stream().mapToLong(figure).filter(v -> v >= 0).toArray();
    }

    /** PASS when every expected sample exists and meets the target. */
    private static Boolean judge(long[] values, int expected, java.util.function.LongPredicate ok) {
        if (values.length < expected || values.length == 0) {
            return Boolean.FALSE;
        }
        for (long v : values) {
            if (!ok.test(v)) {
                return Boolean.FALSE;
            }
        }
        return Boolean.TRUE;
    }

    String text() {
        StringWriter buffer = new StringWriter();
        PrintWriter out = new PrintWriter(buffer);
        out.printf("Control-plane benchmark, started %s%n", started);
        out.printf("Machine: %s%n", machine);
        out.printf("Load average (1 min) at start %s, at end %s: anything else running on the machine weighs on every figure.%n",
                loadAtStart, Machine.loadAverage());
        if (Machine.busy(loadAtStart)) {
            out.println("WARNING: the machine was already busy when the benchmark started: the figures understate it.");
        }
        out.printf(Locale.ROOT, "Setup: Cassandra %s single node (LocalCassandra, heap 1g); service %s as a process"
                + " (-Xmx256m, reconcile-interval 1s, a fresh control keyspace per round, standby drivers %s);"
                + " job created per round: local[4],"
                + " driver 768m, %d receivers, batch interval %s, reconfigured %s -> %s -> %s while input flows;"
                + " generator %,d events/s, %,d lines per round (2%% malformed, 3%% late, 1%% too late), then quiet.%n",
                Machine.cassandraVersion(), serviceJar, options.standby()
                        ? "on: each start waits until the job's standby is ready, then takes it over"
                        : "off: every start launches a driver", options.receivers(),
                Durations.format(options.batchInterval()),
                Durations.format(options.batchInterval()), Durations.format(options.reconfigureInterval()),
                Durations.format(options.batchInterval()), options.rate(), options.count());
        out.printf("Rounds: %d of %d completed.%n", rounds.stream().filter(r -> r.error() == null).count(), options.rounds());
        out.println();
        out.printf("  %-48s %9s %9s  %-14s %s%n", "figure", "median", "max", "target", "result");
        for (Figure f : figures()) {
            Percentiles p = Percentiles.of(f.values());
            out.printf("  %-48s %9s %9s  %-14s %s%n", f.name(), format(p.at(50), f.unit()), format(p.max(), f.unit()),
                    f.target(), f.pass() == null ? "(no target)" : f.pass() ? "PASS" : "FAIL" + miss(f));
        }
        out.println("  PASS = every round (every reconfiguration) met the target; median is the nearest-rank median.");
        out.println();
        definitions(out);
        phases(out);
        perRound(out);
        for (String failure : failures) {
            out.println("FAILURE: " + failure);
        }
        out.flush();
        return buffer.toString();
    }

    private static String miss(Figure f) {
        if (f.values().length == 0) {
            return " (no measurement)";
        }
        long limit = f.limit();
        long max = Percentiles.of(f.values()).max();
        String missing = f.name().startsWith("Reconfigure") || f.name().startsWith("Graceful")
                ? " (failed ones have no figure: see the rounds)" : "";
        if (limit > 0 && max > limit) {
            return " (max over by " + format(max - limit, f.unit()) + ")" + missing;
        }
        return missing;
    }

    private static String format(long value, String unit) {
        if (value < 0) {
            return "-";
        }
        return switch (unit) {
            case "s" -> String.format(Locale.ROOT, "%.1f s", value / 1000.0);
            case "MB" -> String.format(Locale.ROOT, "%d MB", Math.round(value / 1024.0));
            default -> Long.toString(value);
        };
    }

    private void definitions(PrintWriter out) {
        out.println("What is measured (times on this machine's clock; the driver's batch times are wall-clock ms too):");
        out.println("  service start: ProcessBuilder.start() of java -jar to the first 200 of /actuator/health (polled every"
                + " 100 ms), including the creation of a fresh control keyspace. RSS: VmRSS/VmHWM of the service process"
                + " from /proc; 'managing' = peak VmRSS sampled every 250 ms from the start request to STOPPED while"
                + " GET /api/jobs/{name}/metrics is polled every second.");
        out.println("  start -> RUNNING: POST /start sent to the first GET /api/jobs/{name} (every 100 ms) showing RUNNING.");
        out.println("  start -> first completed batch: POST /start sent to batchTime + totalDelay (= end of processing) of"
                + " the driver's first completed batch (lowest batch time, with or without input), read from"
                + " {driverUiUrl}/api/v1/applications/{appId}/streaming/batches polled every 200 ms.");
        out.println("  reconfigure downtime: PUT /configuration {batchInterval} while the generator still sends; end"
                + " (batchTime + totalDelay) of the last completed batch of the old driver (polled until its API stops"
                + " answering) to the end of the first completed batch with input of the new driver (new appId and"
                + " generation); for a change the running driver takes in place (the batch interval does), end of the"
                + " old streaming context's last completed batch to the end of the new context's first with input, on"
                + " the same driver API.");
        out.println("  lost / duplicated: once processed_seq of every source partition equals its last sequence, and the"
                + " job is stopped: the generator's accepted lines (ExpectedResults, lateness 1m) against raw_events"
                + " order ids (lost = missing, unexpected = extra); duplicated = region running_totals event_count"
                + " beyond the accepted events present; running_totals of every key and sources.accepted must match.");
        out.println("  graceful stop: POST /stop (default timeout) to the first GET showing STOPPED, after every line was"
                + " processed (the source is quiet by then).");
        out.println();
    }

    private void phases(PrintWriter out) {
        List<Launch> starts = rounds.stream().map(Result::start).filter(l -> l != null).toList();
        List<Reconfiguration> reconfigs = rounds.stream().flatMap(r -> r.reconfigurations().stream())
                .filter(r -> r.next() != null).toList();
        if (starts.isEmpty()) {
            return;
        }
        out.println("Where the time goes (median ms after the request, over rounds; '-' = not seen):");
        out.print("  start:      ");
        out.println(String.join(", ", concat(launchPhases(starts, Function.identity()),
                phase("first batch time", starts, l -> l.firstBatch() == null ? -1 : l.firstBatch().batchTime()),
                phase("first batch end", starts, Launch::firstBatchEnd),
                phase("first batch with input end", starts, Launch::firstInputBatchEnd))));
        if (!reconfigs.isEmpty()) {
            out.print("  reconfigure:");
            out.println(String.join(", ", concat(List.of(
                    phase("STOPPING", reconfigs, Reconfiguration::stoppingAt),
                    phase("old driver's last batch end", reconfigs, Reconfiguration::oldLastBatchEnd),
                    phase("old driver's API gone", reconfigs, Reconfiguration::oldGoneAt),
                    phase("STOPPED", reconfigs, Reconfiguration::oldStoppedAt)),
                    concat(launchPhases(reconfigs, Reconfiguration::next),
                            phase("first batch time", reconfigs, r -> r.next().firstInputBatch() == null ? -1
                                    : r.next().firstInputBatch().batchTime()),
                            phase("first batch with input end", reconfigs, r -> r.next().firstInputBatchEnd())))));
        }
        out.println();
    }

    /** A driver's milestones from its submission to RUNNING: a start's, and a reconfiguration's new driver's. */
    private static final List<Map.Entry<String, ToLongFunction<Launch>>> LAUNCH_MILESTONES = List.of(
            Map.entry("SUBMITTED", Launch::submittedAt),
            Map.entry("driver JVM main", Launch::jvmStartedAt),
            Map.entry("SparkContext started", Launch::sparkContextAt),
            Map.entry("STARTING (launcher connected)", Launch::startingAt),
            Map.entry("StreamingContext started", Launch::streamingAt),
            Map.entry("receivers connected", Launch::receiversAt),
            Map.entry("RUNNING seen", Launch::runningSeenAt));

    private static <T extends Requested> List<String> launchPhases(List<T> requests, Function<T, Launch> launch) {
        return LAUNCH_MILESTONES.stream().map(milestone -> phase(milestone.getKey(), requests,
                r -> milestone.getValue().applyAsLong(launch.apply(r)))).toList();
    }

    private static List<String> concat(List<String> first, String... then) {
        return concat(first, List.of(then));
    }

    private static List<String> concat(List<String> first, List<String> then) {
        return Stream.concat(first.stream(), then.stream()).toList();
    }

    /** The name and the median of the milestone's offsets from the request, over the requests that saw it. */
    private static <T extends Requested> String phase(String name, List<T> requests, ToLongFunction<T> at) {
        return name + " " + median(requests.stream().filter(r -> at.applyAsLong(r) >= 0)
                .mapToLong(r -> at.applyAsLong(r) - r.requestedAt()).toArray());
    }

    /** Offsets may be negative (a batch time before the request is impossible, but a clock step is not). */
    private static String median(long[] offsets) {
        return offsets.length == 0 ? "-" : String.format(Locale.ROOT, "%+d", Percentiles.of(offsets).at(50));
    }

    private void perRound(PrintWriter out) {
        for (Result r : rounds) {
            out.printf("Round %d (job %s, load average %s -> %s)%s%n", r.round(), r.job(), r.loadAtStart(), r.loadAtEnd(),
                    r.error() != null ? ": FAILED: " + r.error() : "");
            out.printf(Locale.ROOT, "  service: healthy after %s (%s); RSS after start %s, peak managing %s, VmHWM %s%n",
                    format(r.serviceStartMs(), "s"), r.springStarted(), format(r.rssAfterStartKb(), "MB"),
                    format(r.peakRssManagingKb(), "MB"), format(r.highWaterMarkKb(), "MB"));
            Launch s = r.start();
            if (s != null) {
                out.printf(Locale.ROOT, "  start: RUNNING after %s, first batch ended after %s (batch time +%d ms,"
                        + " %d records), first batch with input ended after %s; app %s%n",
                        format(s.toRunning(), "s"), format(s.toFirstBatch(), "s"),
                        s.firstBatch().batchTime() - s.requestedAt(), s.firstBatch().inputSize(),
                        format(s.since(s.firstInputBatchEnd()), "s"), s.appId());
            }
            for (Reconfiguration c : r.reconfigurations()) {
                Launch n = c.next();
                if (c.failure() != null) {
                    Launch s2 = c.restart();
                    out.printf(Locale.ROOT, "  reconfigure %s -> %s: FAILED: %s (old %s: last batch ended +%d ms, API gone"
                            + " +%d ms)%s%n", c.from(), c.to(), c.failure(), c.oldAppId(),
                            c.oldLastBatchEnd() - c.requestedAt(), c.oldGoneAt() - c.requestedAt(),
                            s2 == null ? "" : String.format(Locale.ROOT, "; the benchmark started the job again"
                                    + " (POST /start): %s (generation %d) RUNNING after %s, first batch with input"
                                    + " ended after %s, %s after the old driver's last batch", s2.appId(),
                                    s2.generation(), format(s2.toRunning(), "s"),
                                    format(s2.since(s2.firstInputBatchEnd()), "s"),
                                    s2.firstInputBatchEnd() < 0 ? "-" : format(s2.firstInputBatchEnd() - c.oldLastBatchEnd(), "s")));
                    continue;
                }
                if (c.oldGoneAt() < 0) {
                    out.printf(Locale.ROOT, "  reconfigure %s -> %s in place: downtime %s (%s: the old streaming"
                            + " context's last batch ended +%d ms, the new one started +%d ms, its first batch with"
                            + " input (%d records) ended +%d ms)%n", c.from(), c.to(), format(c.downtimeMs(), "s"),
                            n.appId(), c.oldLastBatchEnd() - c.requestedAt(), n.streamingAt() - c.requestedAt(),
                            n.firstInputBatch().inputSize(), n.firstInputBatchEnd() - c.requestedAt());
                    continue;
                }
                out.printf(Locale.ROOT, "  reconfigure %s -> %s: downtime %s (old %s: last batch ended +%d ms, API gone"
                        + " +%d ms; new %s (generation %d): RUNNING +%d ms, first batch with input (%d records) ended"
                        + " +%d ms)%s%n", c.from(), c.to(), format(c.downtimeMs(), "s"), c.oldAppId(),
                        c.oldLastBatchEnd() - c.requestedAt(), c.oldGoneAt() - c.requestedAt(), n.appId(),
                        n.generation(), n.toRunning(), n.firstInputBatch() == null ? 0 : n.firstInputBatch().inputSize(),
                        n.firstInputBatchEnd() - c.requestedAt(),
                        c.inputFlowing() && n.firstInputBatch() != null ? ""
                                : " WARNING: no input left (the generator had sent every line): no downtime figure");
            }
            if (r.stopMs() >= 0) {
                out.printf("  graceful stop: %s after %s%s%n", r.stopState(), format(r.stopMs(), "s"),
                        r.stoppedGracefully() ? "" : " (NOT a graceful stop)");
            }
            LossCheck l = r.loss();
            if (l != null) {
                out.printf(Locale.ROOT, "  lines: every line processed %s after the last reconfiguration; expected"
                        + " accepted %,d (+%,d malformed, %,d too late rejected); raw_events %,d rows: lost %d,"
                        + " unexpected %d; counted in region totals %,d: duplicated %d; running_totals exact: %s;"
                        + " sources.accepted %,d%n", format(l.waitedMs(), "s"), l.expectedAccepted(), l.malformed(),
                        l.tooLate(), l.rawRows(), l.lost(), l.unexpected(), l.countedInTotals(), l.duplicates(),
                        l.totalsExact() ? "yes" : "NO", l.acceptedCounter());
            }
            out.printf("  GET /api/jobs/%s/metrics: HTTP status -> count %s%s%n", r.job(), r.metricsPolls(),
                    r.metricsSample() == null ? "" : "; last: " + r.metricsSample());
            out.printf("  logs: service %s; drivers %s%n", r.serviceLog(), r.driverLogs());
            if (!r.history().isEmpty()) {
                out.println("  history:");
                r.history().forEach(h -> out.println("    " + h));
            }
            out.println();
        }
    }

    String roundsCsv() {
        StringBuilder csv = new StringBuilder("round,service_start_ms,rss_after_start_kb,rss_peak_managing_kb,vm_hwm_kb,"
                + "start_to_running_ms,start_to_first_batch_ms,reconfigure1_downtime_ms,reconfigure2_downtime_ms,"
                + "stop_ms,lost,unexpected,duplicated,error\n");
        for (Result r : rounds) {
            List<Reconfiguration> c = r.reconfigurations();
            csv.append(r.round()).append(',').append(r.serviceStartMs()).append(',').append(r.rssAfterStartKb())
                    .append(',').append(r.peakRssManagingKb()).append(',').append(r.highWaterMarkKb()).append(',')
                    .append(r.start() == null ? "" : r.start().toRunning()).append(',')
                    .append(r.start() == null ? "" : r.start().toFirstBatch()).append(',')
                    .append(c.size() > 0 ? c.get(0).downtimeMs() : "").append(',')
                    .append(c.size() > 1 ? c.get(1).downtimeMs() : "").append(',')
                    .append(r.stopMs()).append(',')
                    .append(r.loss() == null ? "" : r.loss().lost()).append(',')
                    .append(r.loss() == null ? "" : r.loss().unexpected()).append(',')
                    .append(r.loss() == null ? "" : r.loss().duplicates()).append(',')
                    .append(r.error() == null ? "" : '"' + r.error().replace('"', '\'') + '"').append('\n');
        }
        return csv.toString();
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.txt"), text());
        Files.writeString(dir.resolve("rounds.csv"), roundsCsv());
    }
}
