package io.streamcontrol.bench.query;

import static io.streamcontrol.bench.harness.CommandLine.check;

import io.streamcontrol.bench.harness.CommandLine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** The command line of {@link QueryBenchmark}. */
record QueryBenchmarkOptions(
        Duration backlog,
        long backlogEvents,
        int backlogSendRate,
        int liveRate,
        List<Integer> queryRates,
        int connections,
        int capacityConnections,
        Duration duration,
        Duration warmup,
        Duration serviceWarmup,
        int batchRepeats,
        Duration batchInterval,
        int receivers,
        Path out) {

    /** The target: p99 under 20 ms at the paced rate. */
    static final long P99_TARGET_MS = 20;
    /** The target: the service's CPU time per request over the paced runs (all its threads, from /proc). */
    static final double SERVICE_CPU_TARGET_MS = 0.5;

    static final String USAGE = """
            usage: benchmarks/run-query-benchmark.sh [option value]...
              --backlog 2h                   event time pre-loaded before the measurement: from the start of the hour
                                             this long ago up to the start of the run
              --backlog-events 1000000       events spread over that span
              --backlog-send-rate 10000      events/s the generator sends them at (the job has backpressure on)
              --live-rate 1000               events/s the job ingests during the measurement (event time = now)
              --query-rate 250,500           requests/s of the paced wrk runs, one run per rate, in this order
                                             (the target applies at each)
              --connections 10               connections (= wrk threads) of the paced run
              --capacity-connections 8       connections of the unpaced run (the service's capacity)
              --duration 60s                 each measured wrk run
              --warmup 10s                   a paced wrk run before each measured one (not measured)
              --service-warmup 60s           an unpaced wrk run before the first paced one (not measured), so that the
                                             service's JIT has compiled the query path; 0s = none
              --batch-repeats 3              warm runs of the Spark SQL query after the cold one
              --batch-interval 5s            the job's batch interval
              --receivers 2                  job receivers (source partitions)
              --out benchmarks/target/query-bench-results
                                             report.txt, the wrk outputs and per-request latencies, service, driver
                                             and Cassandra logs and data
            """;

    static QueryBenchmarkOptions parse(String... args) {
        Duration backlog = Duration.ofHours(2);
        long backlogEvents = 1_000_000;
        int backlogSendRate = 10_000;
        int liveRate = 1_000;
        List<Integer> queryRates = List.of(250, 500);
        int connections = 10;
        int capacityConnections = 8;
        Duration duration = Duration.ofSeconds(60);
        Duration warmup = Duration.ofSeconds(10);
        Duration serviceWarmup = Duration.ofSeconds(60);
        int batchRepeats = 3;
        Duration batchInterval = Duration.ofSeconds(5);
        int receivers = 2;
        Path out = Path.of("benchmarks", "target", "query-bench-results");
        for (CommandLine.Option o : CommandLine.options(args, Set.of())) {
            switch (o.name()) {
                case "--backlog" -> backlog = o.asDuration();
                case "--backlog-events" -> backlogEvents = o.asLong();
                case "--backlog-send-rate" -> backlogSendRate = o.asInt();
                case "--live-rate" -> liveRate = o.asInt();
                case "--query-rate", "--query-rates" -> queryRates = rates(o);
                case "--connections" -> connections = o.asInt();
                case "--capacity-connections" -> capacityConnections = o.asInt();
                case "--duration" -> duration = o.asDuration();
                case "--warmup" -> warmup = o.asDuration();
                case "--service-warmup" -> serviceWarmup = o.asDuration();
                case "--batch-repeats" -> batchRepeats = o.asInt();
                case "--batch-interval" -> batchInterval = o.asDuration();
                case "--receivers" -> receivers = o.asInt();
                case "--out" -> out = o.asPath();
                default -> throw o.unknown();
            }
        }
        check(backlog.compareTo(Duration.ofHours(1)) >= 0, "--backlog must be at least 1h (an hourly bucket must"
                + " be complete to compare the batch answer with)");
        check(backlogEvents >= 10_000, "--backlog-events must be at least 10000");
        check(backlogSendRate > 0 && liveRate > 0 && queryRates.stream().allMatch(r -> r > 0), "rates must be positive");
        check(connections >= 1 && capacityConnections >= 1, "connections must be at least 1");
        check(duration.toSeconds() >= 5, "--duration must be at least 5s");
        check(warmup.toSeconds() >= 1, "--warmup must be at least 1s");
        check(!serviceWarmup.isNegative(), "--service-warmup must not be negative");
        check(batchRepeats >= 1, "--batch-repeats must be at least 1");
        check(!batchInterval.isZero() && !batchInterval.isNegative(), "--batch-interval must be positive");
        check(receivers >= 1, "--receivers must be at least 1");
        return new QueryBenchmarkOptions(backlog, backlogEvents, backlogSendRate, liveRate, queryRates, connections,
                capacityConnections, duration, warmup, serviceWarmup, batchRepeats, batchInterval, receivers,
                out.toAbsolutePath().normalize());
    }

    private static List<Integer> rates(CommandLine.Option o) {
        try {
            List<Integer> rates = Arrays.stream(o.value().split(",")).map(String::strip).map(Integer::valueOf).toList();
            check(!rates.isEmpty(), o.name() + " needs at least one rate");
            return rates;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(o.name() + " takes requests/s, comma separated: " + o.value());
        }
    }
}
