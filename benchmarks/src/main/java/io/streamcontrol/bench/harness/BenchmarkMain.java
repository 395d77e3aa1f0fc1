package io.streamcontrol.bench.harness;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.streamcontrol.cassandra.LocalCassandra;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * How a benchmark's main runs: its command line parsed, then the benchmark, whose result is the exit code; for a
 * benchmark with a Cassandra of its own, the frame around its measurement ({@link #withCassandra}).
 */
public final class BenchmarkMain {

    /** A benchmark run with its options; returns the exit code. */
    @FunctionalInterface
    public interface Benchmark<T> {
        int run(T options) throws Exception;
    }

    /** A benchmark that measures against a Cassandra of its own: its part in each step of {@link #withCassandra}. */
    public interface CassandraBenchmark {

        /** Measures, given the emptied work directory, the started Cassandra and a session on it. */
        void measure(Path work, LocalCassandra cassandra, CqlSession session) throws Exception;

        /** The measurement ended with an exception, {@code error} (its stack trace is printed too). */
        void failed(String error);

        /** Stops what the measurement left running, before Cassandra stops; also after a failure. */
        default void beforeCassandraStops() throws Exception {
        }

        /** Once Cassandra has stopped; also after a failure. */
        void afterCassandraStopped() throws Exception;

        /** The shutdown hook (Ctrl-C): ends at once what the measurement has running. */
        void interrupted();
    }

    private BenchmarkMain() {
    }

    /**
     * Parses the command line (the usage for --help; a usage error prints it and exits with 2), then runs the
     * benchmark and exits with its code.
     */
    public static <T> void run(String[] args, String benchmark, String usage, Function<String[], T> parse,
            Benchmark<T> run) throws Exception {
        T options = CommandLine.parseOrExit(args, benchmark, usage, parse);
        if (options != null) {
            System.exit(run.run(options));
        }
    }

    /**
     * Empties {@code out}/work, registers the benchmark's shutdown hook, starts Cassandra in work/cassandra (heap 1g,
     * concurrent_writes 32) and has the benchmark measure with a session on it. An exception ends the measurement and
     * goes to the benchmark; Cassandra stops in any case.
     */
    public static void withCassandra(Path out, CassandraBenchmark benchmark) throws Exception {
        Path work = out.resolve("work");
        Directories.delete(work);
        Files.createDirectories(work);
        Runtime.getRuntime().addShutdownHook(new Thread(benchmark::interrupted, "bench-interrupted"));
        LocalCassandra cassandra = new LocalCassandra(LocalCassandra.Settings.builder(work.resolve("cassandra"))
                .heap("1g").concurrentWrites(32).build());
        try {
            progress("starting Cassandra in " + work.resolve("cassandra"));
            cassandra.start();
            try (CqlSession session = connect(cassandra)) {
                benchmark.measure(work, cassandra, session);
            }
        } catch (Exception e) {
            benchmark.failed(e.toString());
            e.printStackTrace();
        } finally {
            benchmark.beforeCassandraStops();
            progress("stopping Cassandra");
            cassandra.stop();
            benchmark.afterCassandraStopped();
        }
    }

    private static CqlSession connect(LocalCassandra cassandra) {
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress(cassandra.host(), cassandra.nativePort()))
                .withLocalDatacenter(LocalCassandra.DATACENTER)
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
                        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30))
                        .build())
                .build();
    }

    /** The file a system property names; the run-*-benchmark.sh scripts set them. */
    public static Path requiredFile(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank() || !Files.exists(Path.of(value))) {
            throw new IllegalStateException("-D" + property + " must name an existing file (the run-*-benchmark.sh"
                    + " scripts set it): " + value);
        }
        return Path.of(value);
    }

    /** A progress line on stderr. */
    public static void progress(String message) {
        System.err.println("==> " + message);
    }
}
