package io.streamcontrol.bench.query;

import io.streamcontrol.bench.harness.CpuUsage;
import io.streamcontrol.bench.harness.Machine;
import io.streamcontrol.bench.harness.Percentiles;
import io.streamcontrol.bench.harness.Processes;
import io.streamcontrol.bench.harness.ServiceApi.Credentials;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Load from a second process: wrk on loopback with {@code query-mix.lua} (a mix of the analytics queries, the viewer's
 * API key, paced to a fixed rate or unpaced). Parses the script's "QB" lines; the per-request latencies it writes give
 * the figures per query type.
 */
final class QueryLoad {

    static final String WRK = "/usr/bin/wrk";
    static final String SCRIPT = "query-mix.lua";
    static final Duration WRK_TIMEOUT = Duration.ofSeconds(5);
    static final long CPU_SAMPLE_MS = 500;
    /** The name of the service's process among the watched ones. */
    static final String SERVICE = "service";

    /**
     * One wrk run; latencies in microseconds (wrk's own histogram), {@code byType} from the per-request records,
     * {@code cpu} what the watched processes, wrk and the rest of the machine used meanwhile.
     */
    record Result(String name, int targetRate, int connections, Duration duration, long requests, long durationUs,
            long bytes, long non2xx, long behind, Map<String, Long> errors, long p50Us, long p90Us, long p99Us,
            long p999Us, long maxUs, double meanUs, Map<String, String> non2xxSamples, Map<String, String> answers,
            Map<String, Percentiles> byType, String loadAtEnd, String cpu, long serviceCpuMs, Path output) {

        /** CPU time of the service process (/proc: user + system, all threads) over the run, per request. */
        double serviceCpuMsPerRequest() {
            return requests <= 0 ? Double.NaN : (double) serviceCpuMs / requests;
        }

        double achievedRate() {
            return durationUs <= 0 ? 0 : requests * 1e6 / durationUs;
        }

        long socketErrors() {
            return errors.entrySet().stream().filter(e -> !e.getKey().equals("status"))
                    .mapToLong(Map.Entry::getValue).sum();
        }

        /** Every request answered with a 2xx, and no socket error or timeout. */
        boolean clean() {
            return non2xx == 0 && socketErrors() == 0;
        }
    }

    private final Path script;
    private final Path dir;
    private final String url;
    private final Map<String, String> environment;
    private final AtomicReference<Process> running;

    /**
     * @param running receives the wrk process while it runs, for the harness's shutdown hook
     */
    QueryLoad(Path dir, int port, String job, Credentials viewer, List<String> products, List<String> regions,
            List<String> states, AtomicReference<Process> running) throws IOException {
        if (!"X-API-Key".equals(viewer.header())) {
            throw new IllegalArgumentException(SCRIPT + " sends an API key; got " + viewer);
        }
        this.dir = dir;
        this.url = "http://127.0.0.1:" + port;
        this.running = running;
        Files.createDirectories(dir);
        this.script = dir.resolve(SCRIPT);
        try (InputStream in = QueryLoad.class.getResourceAsStream("/" + SCRIPT)) {
            if (in == null) {
                throw new IOException(SCRIPT + " is not on the classpath");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        this.environment = Map.of(
                "QB_JOB", job,
                "QB_API_KEY", viewer.value(),
                "QB_PRODUCTS", String.join(",", products),
                "QB_REGIONS", String.join(",", regions),
                "QB_STATES", String.join(",", states));
    }

    /**
     * Runs wrk for {@code duration} with {@code connections} connections (one per wrk thread); {@code rate} requests/s
     * over all of them, 0 = unpaced. The CPU time of the {@code watched} processes (pids by name) is taken around it.
     */
    Result run(String name, int rate, int connections, Duration duration, Map<String, List<Long>> watched)
            throws IOException, InterruptedException {
        Path output = dir.resolve(name + ".txt");
        Path records = dir.resolve(name + "-requests.txt");
        List<String> command = List.of(WRK, "-t", String.valueOf(connections), "-c", String.valueOf(connections),
                "-d", duration.toSeconds() + "s", "--timeout", WRK_TIMEOUT.toSeconds() + "s", "--latency",
                "-s", script.toString(), url);
        Map<String, String> runEnvironment = new HashMap<>(environment);
        runEnvironment.put("QB_RATE", String.valueOf(rate));
        runEnvironment.put("QB_THREADS", String.valueOf(connections));
        runEnvironment.put("QB_RECORDS", records.toString());
        CpuUsage.Snapshot before = CpuUsage.Snapshot.take(watched);
        Process wrk = Processes.start(command, runEnvironment, output, false);
        running.set(wrk);
        long wrkCpuMillis = 0;
        CpuUsage.Snapshot after;
        try {
            long deadline = System.nanoTime() + duration.plusSeconds(60).toNanos();
            while (!wrk.waitFor(CPU_SAMPLE_MS, TimeUnit.MILLISECONDS)) {
                // its CPU time can only be read while it runs: the last sample, at most 0.5 s before it ends
                wrkCpuMillis = Math.max(wrkCpuMillis, CpuUsage.processMillis(wrk.pid()));
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("wrk did not end within " + duration + " + 60 s; see " + output);
                }
            }
            after = CpuUsage.Snapshot.take(watched);
            if (wrk.exitValue() != 0) {
                throw new IllegalStateException("wrk exited with " + wrk.exitValue() + ": " + Files.readString(output));
            }
        } finally {
            Processes.kill(wrk.toHandle());
            running.set(null);
        }
        String cpu = CpuUsage.between(before, after, Map.of("wrk", wrkCpuMillis));
        long serviceCpuMs = after.processes().getOrDefault(SERVICE, 0L) - before.processes().getOrDefault(SERVICE, 0L);
        return parse(name, rate, connections, duration, Files.readAllLines(output), records, cpu, serviceCpuMs, output);
    }

    private static Result parse(String name, int rate, int connections, Duration duration, List<String> lines,
            Path records, String cpu, long serviceCpuMs, Path output) throws IOException {
        Map<String, String> summary = null;
        Map<String, String> latency = null;
        Map<String, String> non2xx = new TreeMap<>();
        Map<String, String> answers = new TreeMap<>();
        for (String line : lines) {
            if (line.startsWith("QB summary ")) {
                summary = pairs(line.substring("QB summary ".length()));
            } else if (line.startsWith("QB latency_us ")) {
                latency = pairs(line.substring("QB latency_us ".length()));
            } else if (line.startsWith("QB non2xx ")) {
                Map<String, String> p = pairs(line.substring("QB non2xx ".length()));
                non2xx.put(p.get("key"), p.get("count") + " x, e.g. " + p.get("sample"));
            } else if (line.startsWith("QB answer ")) {
                Map<String, String> p = pairs(line.substring("QB answer ".length()));
                answers.put(p.get("type"), p.get("sample"));
            }
        }
        if (summary == null || latency == null) {
            throw new IllegalStateException("wrk printed no QB summary (see " + output + "): " + String.join("\n", lines));
        }
        Map<String, Long> errors = new LinkedHashMap<>();
        for (String kind : List.of("connect", "read", "write", "status", "timeout")) {
            errors.put(kind, Long.parseLong(summary.get("errors_" + kind)));
        }
        return new Result(name, rate, connections, duration, Long.parseLong(summary.get("requests")),
                Long.parseLong(summary.get("duration_us")), Long.parseLong(summary.get("bytes")),
                Long.parseLong(summary.get("non2xx")), Long.parseLong(summary.get("behind")), errors,
                Long.parseLong(latency.get("p50")), Long.parseLong(latency.get("p90")),
                Long.parseLong(latency.get("p99")), Long.parseLong(latency.get("p999")),
                Long.parseLong(latency.get("max")), Double.parseDouble(latency.get("mean")), non2xx, answers,
                byType(records), Machine.loadAverage(), cpu, serviceCpuMs, output);
    }

    /** Latencies per query type from the script's records ("type latency_us status" per line). */
    private static Map<String, Percentiles> byType(Path records) throws IOException {
        Map<String, List<Long>> latencies = new HashMap<>();
        if (Files.exists(records)) {
            for (String line : Files.readAllLines(records)) {
                String[] f = line.split(" ");
                if (f.length == 3) {
                    latencies.computeIfAbsent(f[0], k -> new ArrayList<>()).add(Long.parseLong(f[1]));
                }
            }
        }
        Map<String, Percentiles> byType = new TreeMap<>();
        latencies.forEach((type, values) -> byType.put(type,
                Percentiles.of(values.stream().mapToLong(Long::longValue).toArray())));
        return byType;
    }

    /** "k=v k=v ... sample=free text": a sample takes the rest of the line. */
    private static Map<String, String> pairs(String text) {
        Map<String, String> pairs = new HashMap<>();
        int sample = text.indexOf("sample=");
        if (sample >= 0) {
            pairs.put("sample", text.substring(sample + "sample=".length()));
            text = text.substring(0, sample);
        }
        for (String pair : text.trim().split(" ")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                pairs.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return pairs;
    }
}
