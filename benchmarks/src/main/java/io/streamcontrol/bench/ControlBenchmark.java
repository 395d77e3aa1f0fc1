package io.streamcontrol.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import io.streamcontrol.cassandra.LocalCassandra;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Measures the control plane on this machine: the packaged control service run as a process against its own
 * Cassandra, and per round the start of the service, a job's start to RUNNING and to its first batch, the downtime of
 * reconfigurations with no event lost, the graceful stop and the service's memory. See
 * {@link ControlBenchmarkOptions#USAGE}.
 */
public final class ControlBenchmark {

    private final ControlBenchmarkOptions options;
    private final ControlReport report;
    /** The service of the round now running and the drivers seen, stopped by the shutdown hook on Ctrl-C. */
    private final AtomicReference<Process> service = new AtomicReference<>();
    private final Set<Long> driverPids = ConcurrentHashMap.newKeySet();

    private ControlBenchmark(ControlBenchmarkOptions options) {
        this.options = options;
        this.report = new ControlReport(options);
    }

    public static void main(String[] args) throws Exception {
        ControlBenchmarkOptions options = CommandLine.parseOrExit(args, "control benchmark", ControlBenchmarkOptions.USAGE,
                ControlBenchmarkOptions::parse);
        if (options != null) {
            System.exit(new ControlBenchmark(options).run());
        }
    }

    /** 0 = every target met, 1 = a round failed, 3 = a target missed. */
    private int run() throws Exception {
        Path serviceJar = required("service.jar");
        Path sparkHome = required("spark.home");
        Path jobJar = required("job.jar");
        report.serviceJar(serviceJar);
        Path work = options.out().resolve("work");
        Directories.delete(work);
        Files.createDirectories(work);
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopEverything, "bench-stop-service"));
        LocalCassandra cassandra = new LocalCassandra(LocalCassandra.Settings.builder(work.resolve("cassandra"))
                .heap("1g").concurrentWrites(32).build());
        try {
            progress("starting Cassandra in " + work.resolve("cassandra"));
            cassandra.start();
            try (CqlSession session = IngestBenchmark.connect(cassandra)) {
                for (int round = 1; round <= options.rounds(); round++) {
                    progress("round " + round + " of " + options.rounds() + " (load average " + Machine.loadAverage() + ")");
                    ControlRound.Result result = new ControlRound(round, options, session,
                            cassandra.host() + ":" + cassandra.nativePort(), serviceJar, sparkHome, jobJar, work,
                            service, driverPids).run();
                    report.add(result);
                    if (result.error() != null) {
                        progress("round " + round + " FAILED: " + result.error());
                    }
                }
            }
        } catch (Exception e) {
            report.failure(e.toString());
            e.printStackTrace();
        } finally {
            progress("stopping Cassandra");
            cassandra.stop();
            report.write(options.out());
        }
        System.out.println();
        System.out.print(report.text());
        System.out.println("(written to " + options.out().resolve("report.txt") + " and rounds.csv)");
        return report.hasFailures() ? 1 : report.allTargetsMet() ? 0 : 3;
    }

    /** The file a system property names; the run-*-benchmark.sh scripts set them. */
    static Path required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank() || !Files.exists(Path.of(value))) {
            throw new IllegalStateException("-D" + property + " must name an existing file (the run-*-benchmark.sh"
                    + " scripts set it): " + value);
        }
        return Path.of(value);
    }

    /** Shutdown hook: the drivers the service launched, then the service (Cassandra has its own hook). */
    private void stopEverything() {
        ControlServiceProcess.stopWithDrivers(service.getAndSet(null), driverPids, "control benchmark");
    }

    private static void progress(String message) {
        System.err.println("==> " + message);
    }
}
