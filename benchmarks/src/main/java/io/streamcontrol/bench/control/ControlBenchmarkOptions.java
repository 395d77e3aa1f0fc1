package io.streamcontrol.bench.control;

import static io.streamcontrol.bench.harness.CommandLine.check;

import io.streamcontrol.bench.harness.CommandLine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/** The command line of {@link ControlBenchmark}. */
record ControlBenchmarkOptions(
        int rounds,
        int rate,
        long count,
        Duration batchInterval,
        Duration reconfigureInterval,
        int receivers,
        boolean standby,
        Path out) {

    /** Input per round when --count is not given: this many seconds of the rate. */
    static final int DEFAULT_INPUT_SECONDS = 90;

    static final String USAGE = """
            usage: benchmarks/run-control-benchmark.sh [option value]...
              --rounds 3                     rounds; each starts the service, creates, starts, reconfigures twice
                                             and stops a fresh job; figures are reported as median and max
              --rate 2000                    generator events/s (over all receivers)
              --count <rate x 90>            lines the generator sends per round (then it goes quiet)
              --batch-interval 5s            the job's batch interval
              --reconfigure-interval 4s      the interval of the first reconfiguration; the second goes back
              --receivers 2                  job receivers (source partitions)
              --standby true                 the service keeps standby drivers; each round's start waits until
                                             the job's standby is ready (false: every start is cold)
              --out target/control-bench-results
                                             report.txt, rounds.csv, service and driver logs, Cassandra data
            """;

    static ControlBenchmarkOptions parse(String... args) {
        int rounds = 3;
        int rate = 2000;
        long count = -1;
        Duration batchInterval = Duration.ofSeconds(5);
        Duration reconfigureInterval = Duration.ofSeconds(4);
        int receivers = 2;
        boolean standby = true;
        Path out = Path.of("target", "control-bench-results");
        for (CommandLine.Option o : CommandLine.options(args, Set.of())) {
            switch (o.name()) {
                case "--rounds" -> rounds = o.asInt();
                case "--rate" -> rate = o.asInt();
                case "--count" -> count = o.asLong();
                case "--batch-interval" -> batchInterval = o.asDuration();
                case "--reconfigure-interval" -> reconfigureInterval = o.asDuration();
                case "--receivers" -> receivers = o.asInt();
                case "--standby" -> standby = o.asBoolean();
                case "--out" -> out = o.asPath();
                default -> throw o.unknown();
            }
        }
        if (count < 0) {
            count = (long) rate * DEFAULT_INPUT_SECONDS;
        }
        check(rounds >= 1, "--rounds must be at least 1");
        check(rate > 0, "--rate must be positive");
        check(count >= (long) rate * 30, "--count must cover at least 30 s of the rate (the reconfigurations need input)");
        check(receivers >= 1, "--receivers must be at least 1");
        check(!batchInterval.isZero() && !reconfigureInterval.isZero(), "batch intervals must be positive");
        check(!batchInterval.equals(reconfigureInterval), "--reconfigure-interval must differ from --batch-interval");
        return new ControlBenchmarkOptions(rounds, rate, count, batchInterval, reconfigureInterval, receivers, standby,
                out.toAbsolutePath().normalize());
    }
}
