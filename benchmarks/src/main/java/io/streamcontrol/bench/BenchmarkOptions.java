package io.streamcontrol.bench;

import static io.streamcontrol.bench.CommandLine.check;

import io.streamcontrol.job.config.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** The command line of {@link IngestBenchmark}. */
record BenchmarkOptions(
        List<Duration> batchIntervals,
        List<Integer> rates,
        Duration duration,
        Duration warmup,
        int receivers,
        Duration cassandraWriteTime,
        Path out,
        boolean skipCassandraLimit,
        boolean skipJob,
        List<String> jobArgs) {

    static final String USAGE = """
            usage: benchmarks/run-ingest-benchmark.sh [option value]... [flag]...
              --batch-intervals 5s,1s        batch intervals to measure, each on its own
              --rates 10000,15000,20000,25000,30000
                                             events/s, tried in increasing order per batch interval;
                                             stops at the first rate that is not sustained
              --duration 3m                  measured window per rate
              --warmup 30s                   time between the receivers connecting and the window
              --receivers 2                  job receivers (source partitions)
              --cassandra-write-seconds 30   measuring time of each Cassandra-only write method
              --out target/bench-results     report.txt, batches.csv, logs and the Cassandra data go here
              --skip-cassandra-limit         do not measure Cassandra's own write limit
              --skip-job                     do not run the streaming job
              --job-args "--name value ..."  extra job settings, e.g. --job-args "--output-batch-size-rows 32"
            """;

    static BenchmarkOptions parse(String... args) {
        List<Duration> batchIntervals = List.of(Duration.ofSeconds(5), Duration.ofSeconds(1));
        List<Integer> rates = List.of(10_000, 15_000, 20_000, 25_000, 30_000);
        Duration duration = Duration.ofMinutes(3);
        Duration warmup = Duration.ofSeconds(30);
        int receivers = 2;
        Duration cassandraWriteTime = Duration.ofSeconds(30);
        Path out = Path.of("target", "bench-results");
        boolean skipCassandraLimit = false;
        boolean skipJob = false;
        List<String> jobArgs = List.of();
        for (CommandLine.Option o : CommandLine.options(args, Set.of("--skip-cassandra-limit", "--skip-job"))) {
            switch (o.name()) {
                case "--skip-cassandra-limit" -> skipCassandraLimit = true;
                case "--skip-job" -> skipJob = true;
                case "--batch-intervals" -> batchIntervals = o.as(v -> list(v).stream().map(Durations::parse).toList());
                case "--rates" -> rates = o.as(v -> list(v).stream().map(Integer::parseInt).sorted().toList());
                case "--duration" -> duration = o.asDuration();
                case "--warmup" -> warmup = o.asDuration();
                case "--receivers" -> receivers = o.asInt();
                case "--cassandra-write-seconds" -> cassandraWriteTime = Duration.ofSeconds(o.asLong());
                case "--out" -> out = o.asPath();
                case "--job-args" -> jobArgs = List.of(o.value().trim().split("\\s+"));
                default -> throw o.unknown();
            }
        }
        check(!batchIntervals.isEmpty() && !rates.isEmpty(), "--batch-intervals and --rates must not be empty");
        check(rates.stream().allMatch(r -> r > 0), "--rates must be positive");
        check(receivers >= 1, "--receivers must be at least 1");
        check(!duration.isZero() && !cassandraWriteTime.isZero(), "--duration and --cassandra-write-seconds must be positive");
        return new BenchmarkOptions(batchIntervals, rates, duration, warmup, receivers, cassandraWriteTime,
                out.toAbsolutePath().normalize(), skipCassandraLimit, skipJob, jobArgs);
    }

    private static List<String> list(String value) {
        return new ArrayList<>(Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }
}
