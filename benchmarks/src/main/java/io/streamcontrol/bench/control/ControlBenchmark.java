package io.streamcontrol.bench.control;

import static io.streamcontrol.bench.harness.BenchmarkMain.progress;

import com.datastax.oss.driver.api.core.CqlSession;
import io.streamcontrol.bench.harness.BenchmarkMain;
import io.streamcontrol.bench.harness.ControlServiceProcess;
import io.streamcontrol.bench.harness.Machine;
import io.streamcontrol.cassandra.LocalCassandra;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Measures the control plane on this machine: the packaged control service run as a process against its own
 * Cassandra, and per round the start of the service, a job's start to RUNNING and to its first batch, the downtime of
 * reconfigurations with no event lost, the graceful stop and the service's memory. See
 * {@link ControlBenchmarkOptions#USAGE}.
 */
public final class ControlBenchmark implements BenchmarkMain.CassandraBenchmark {

    private final ControlBenchmarkOptions options;
    private final ControlReport report;
    private final Path serviceJar;
    private final Path sparkHome;
    private final Path jobJar;
    /** The service of the round now running and the drivers seen, stopped by the shutdown hook on Ctrl-C. */
    private final AtomicReference<Process> service = new AtomicReference<>();
    private final Set<Long> driverPids = ConcurrentHashMap.newKeySet();

    private ControlBenchmark(ControlBenchmarkOptions options) {
        this.options = options;
        this.report = new ControlReport(options);
        this.serviceJar = BenchmarkMain.requiredFile("service.jar");
        this.sparkHome = BenchmarkMain.requiredFile("spark.home");
        this.jobJar = BenchmarkMain.requiredFile("job.jar");
    }

    public static void main(String[] args) throws Exception {
        BenchmarkMain.run(args, "control benchmark", ControlBenchmarkOptions.USAGE, ControlBenchmarkOptions::parse,
                options -> new ControlBenchmark(options).run());
    }

    /** 0 = every target met, 1 = a round failed, 3 = a target missed. */
    private int run() throws Exception {
        report.serviceJar(serviceJar);
        BenchmarkMain.withCassandra(options.out(), this);
        System.out.println();
        System.out.print(report.text());
        System.out.println("(written to " + options.out().resolve("report.txt") + " and rounds.csv)");
        return report.hasFailures() ? 1 : report.allTargetsMet() ? 0 : 3;
    }

    @Override
    public void measure(Path work, LocalCassandra cassandra, CqlSession session) throws Exception {
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

    @Override
    public void failed(String error) {
        report.failure(error);
    }

    @Override
    public void afterCassandraStopped() throws IOException {
        report.write(options.out());
    }

    /** The drivers the service launched, then the service (Cassandra has its own hook). */
    @Override
    public void interrupted() {
        ControlServiceProcess.stopWithDrivers(service.getAndSet(null), driverPids, "control benchmark");
    }
}
