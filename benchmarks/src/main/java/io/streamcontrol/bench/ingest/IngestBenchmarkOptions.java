package io.streamcontrol.bench.ingest;

import static io.streamcontrol.bench.harness.CommandLine.check;

import io.streamcontrol.bench.harness.CommandLine;
import io.streamcontrol.contract.settings.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** The command line of {@link IngestBenchmark}. */
record IngestBenchmarkOptions(
        List<Duration> batchIntervals,
        Duration duration,
        Duration probeDuration,
        Duration warmup,
        Duration catchUp,
        int repetitions,
        int startRate,
        int[] bracket,
        int[] baselineBracket,
        double precision,
        int maxSteps,
        int maxConfirmations,
        int receivers,
        int products,
        double malformedShare,
        double lateShare,
        double veryLateShare,
        List<Integer> keySpaceProducts,
        boolean keySpaceBisect,
        double keySpaceFloor,
        int keySpaceRate,
        Duration cassandraWriteTime,
        Duration cassandraSustainedTime,
        Path out,
        Path resultsDir,
        boolean skipCassandraLimit,
        boolean skipJob,
        boolean skipBaseline,
        boolean skipKeySpace,
        List<String> jobArgs) {

    /** A run shorter than this (or with fewer repetitions) is a smoke run, never a result. */
    static final Duration FULL_DURATION = Duration.ofMinutes(10);
    static final int FULL_REPETITIONS = 3;

    static final String USAGE = """
            usage: benchmarks/run-ingest-benchmark.sh [option value]... [flag]...
            What is measured (see benchmarks/README.md):
              --batch-intervals 5s,1s        batch intervals, each searched on its own (job and baseline)
              --duration 10m                 full-length window: confirmations and the key-space runs
              --probe-duration 3m            window of the search's probe steps (at most --duration)
              --warmup 30s                   time between the receivers connecting and the window
              --catch-up 3m                  then at most this long until the backlog of the first batches is
                                             worked off (newest batch scheduled within a fifth of an interval)
              --repetitions 3                full-length windows that must all be sustained to claim a rate
            The rate search (bisection):
              --start-rate 10000             without a bracket: doubled (or halved) from here until a rate is
                                             not sustained (or is); the 1 s search starts at the 5 s claim
              --bracket LO,HI                bisect [LO, HI] for the job instead (LO assumed sustained, HI not)
              --baseline-bracket LO,HI       the same for the baseline (default: start at the job's claim)
              --precision 1.1                bisect until HI/LO is below this
              --max-steps 8                  probe steps per search at most
              --max-confirmations 2          confirmations per search at most (a failed one lowers HI)
            Input (the generator) and job:
              --receivers 2                  job receivers (source partitions); the baseline has one
              --products 100                 generator products for the searches
              --malformed-share 0.01         --late-share 0.02 (by 20 s, within the 1 m lateness)
              --very-late-share 0.005        (by 10 m: beyond the lateness, rejected)
              --job-args "--name value ..."  extra job settings, e.g. --job-args "--output-batch-size-rows 32"
            Key space (the job at the claimed 5 s rate, one full-length window each):
              --key-space-products 1000,1000000
              --key-space-floor 0.8          a key space not sustained at the claimed rate gets one more
                                             full-length window at this share of it (the target: the rate
                                             falls by less than 20%); 0 skips it
              --key-space-bisect             also search each key space's own sustained rate
              --key-space-rate N             run the key space at N/s (a 5 s claim of an earlier run) instead of
                                             this run's 5 s claim; 0 = this run's claim
            Other:
              --cassandra-write-seconds 30   measuring time of each Cassandra-only write method
              --cassandra-sustained 10m      Cassandra's batched limit sustained this long at the end (flushes
                                             and compactions included, as in the job's windows); default
                                             --duration; 0s skips it
              --out target/bench-results     report.md, the CSVs, logs and the Cassandra data go here
              --results-dir DIR              also copy report.md to DIR/ingest-<yyyy-mm-dd>.md (full-length
                                             runs only), e.g. benchmarks/results
              --skip-cassandra-limit  --skip-job  --skip-baseline  --skip-key-space
            """;

    private static final Set<String> FLAGS = Set.of("--skip-cassandra-limit", "--skip-job", "--skip-baseline",
            "--skip-key-space", "--key-space-bisect");

    static IngestBenchmarkOptions parse(String... args) {
        List<Duration> batchIntervals = List.of(Duration.ofSeconds(5), Duration.ofSeconds(1));
        Duration duration = FULL_DURATION;
        Duration probeDuration = Duration.ofMinutes(3);
        boolean probeGiven = false;
        Duration warmup = Duration.ofSeconds(30);
        Duration catchUp = Duration.ofMinutes(3);
        int repetitions = FULL_REPETITIONS;
        int startRate = 10_000;
        int[] bracket = null;
        int[] baselineBracket = null;
        double precision = 1.1;
        int maxSteps = 8;
        int maxConfirmations = 2;
        int receivers = 2;
        int products = 100;
        double malformedShare = 0.01;
        double lateShare = 0.02;
        double veryLateShare = 0.005;
        List<Integer> keySpaceProducts = List.of(1_000, 1_000_000);
        boolean keySpaceBisect = false;
        double keySpaceFloor = 0.8;
        int keySpaceRate = 0;
        Duration cassandraWriteTime = Duration.ofSeconds(30);
        Duration cassandraSustainedTime = null;
        Path out = Path.of("target", "bench-results");
        Path resultsDir = null;
        boolean skipCassandraLimit = false;
        boolean skipJob = false;
        boolean skipBaseline = false;
        boolean skipKeySpace = false;
        List<String> jobArgs = List.of();
        for (CommandLine.Option o : CommandLine.options(args, FLAGS)) {
            switch (o.name()) {
                case "--skip-cassandra-limit" -> skipCassandraLimit = true;
                case "--skip-job" -> skipJob = true;
                case "--skip-baseline" -> skipBaseline = true;
                case "--skip-key-space" -> skipKeySpace = true;
                case "--key-space-bisect" -> keySpaceBisect = true;
                case "--batch-intervals" -> batchIntervals = o.as(v -> list(v).stream().map(Durations::parse).toList());
                case "--duration" -> duration = o.asDuration();
                case "--probe-duration" -> {
                    probeDuration = o.asDuration();
                    probeGiven = true;
                }
                case "--warmup" -> warmup = o.asDuration();
                case "--catch-up" -> catchUp = o.asDuration();
                case "--repetitions" -> repetitions = o.asInt();
                case "--start-rate" -> startRate = o.asInt();
                case "--bracket" -> bracket = o.as(IngestBenchmarkOptions::pair);
                case "--baseline-bracket" -> baselineBracket = o.as(IngestBenchmarkOptions::pair);
                case "--precision" -> precision = o.as(Double::parseDouble);
                case "--max-steps" -> maxSteps = o.asInt();
                case "--max-confirmations" -> maxConfirmations = o.asInt();
                case "--receivers" -> receivers = o.asInt();
                case "--products" -> products = o.asInt();
                case "--malformed-share" -> malformedShare = o.as(Double::parseDouble);
                case "--late-share" -> lateShare = o.as(Double::parseDouble);
                case "--very-late-share" -> veryLateShare = o.as(Double::parseDouble);
                case "--key-space-products" -> keySpaceProducts = o.as(v -> list(v).stream().map(Integer::parseInt).toList());
                case "--key-space-floor" -> keySpaceFloor = o.as(Double::parseDouble);
                case "--key-space-rate" -> keySpaceRate = o.asInt();
                case "--cassandra-write-seconds" -> cassandraWriteTime = Duration.ofSeconds(o.asLong());
                case "--cassandra-sustained" -> cassandraSustainedTime = o.asDuration();
                case "--out" -> out = o.asPath();
                case "--results-dir" -> resultsDir = o.asPath();
                case "--job-args" -> jobArgs = List.of(o.value().trim().split("\\s+"));
                default -> throw o.unknown();
            }
        }
        if (!probeGiven && probeDuration.compareTo(duration) > 0) {
            probeDuration = duration;
        }
        check(!batchIntervals.isEmpty(), "--batch-intervals must not be empty");
        check(!duration.isZero() && !duration.isNegative() && !probeDuration.isZero() && !probeDuration.isNegative(),
                "--duration and --probe-duration must be positive");
        check(probeDuration.compareTo(duration) <= 0, "--probe-duration must not be longer than --duration");
        check(repetitions >= 1, "--repetitions must be at least 1");
        check(startRate >= RateSearch.MIN_RATE, "--start-rate must be at least " + RateSearch.MIN_RATE);
        check(bracket == null || (bracket[0] >= RateSearch.MIN_RATE && bracket[1] > bracket[0]),
                "--bracket must be LO,HI with " + RateSearch.MIN_RATE + " <= LO < HI");
        check(baselineBracket == null || (baselineBracket[0] >= RateSearch.MIN_RATE && baselineBracket[1] > baselineBracket[0]),
                "--baseline-bracket must be LO,HI with " + RateSearch.MIN_RATE + " <= LO < HI");
        check(precision > 1, "--precision must be above 1");
        check(maxSteps >= 0 && maxConfirmations >= 1, "--max-steps must be >= 0 and --max-confirmations >= 1");
        check(receivers >= 1, "--receivers must be at least 1");
        check(products >= 1 && keySpaceProducts.stream().allMatch(p -> p >= 1), "products must be at least 1");
        check(keySpaceRate == 0 || keySpaceRate >= RateSearch.MIN_RATE,
                "--key-space-rate must be 0 or at least " + RateSearch.MIN_RATE);
        check(keySpaceFloor >= 0 && keySpaceFloor < 1, "--key-space-floor must be at least 0 and below 1");
        check(malformedShare >= 0 && lateShare >= 0 && veryLateShare >= 0
                && malformedShare + lateShare + veryLateShare <= 1, "the shares must be >= 0 and at most 1 together");
        check(!cassandraWriteTime.isZero(), "--cassandra-write-seconds must be positive");
        if (cassandraSustainedTime == null) {
            cassandraSustainedTime = duration; // as long as the window it is compared with
        }
        check(!cassandraSustainedTime.isNegative(), "--cassandra-sustained must not be negative");
        return new IngestBenchmarkOptions(batchIntervals, duration, probeDuration, warmup, catchUp, repetitions,
                startRate, bracket, baselineBracket, precision, maxSteps, maxConfirmations, receivers, products,
                malformedShare, lateShare, veryLateShare, keySpaceProducts, keySpaceBisect, keySpaceFloor, keySpaceRate,
                cassandraWriteTime, cassandraSustainedTime,
                out.toAbsolutePath().normalize(), resultsDir == null ? null : resultsDir.toAbsolutePath().normalize(),
                skipCassandraLimit, skipJob, skipBaseline, skipKeySpace, jobArgs);
    }

    /** Whether this run can stand as a result: full-length windows and repetitions. */
    boolean fullLength() {
        return duration.compareTo(FULL_DURATION) >= 0 && repetitions >= FULL_REPETITIONS;
    }

    private static int[] pair(String value) {
        List<String> parts = list(value);
        if (parts.size() != 2) {
            throw new IllegalArgumentException("two values expected");
        }
        return new int[] {Integer.parseInt(parts.get(0)), Integer.parseInt(parts.get(1))};
    }

    private static List<String> list(String value) {
        return new ArrayList<>(Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }
}
