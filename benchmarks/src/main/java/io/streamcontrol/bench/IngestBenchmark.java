package io.streamcontrol.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.streamcontrol.cassandra.LocalCassandra;
import io.streamcontrol.job.config.Durations;
import io.streamcontrol.job.it.SparkSubmitJob;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Measures, on this machine, Cassandra's own write limit for the job's raw rows and the highest event rate the
 * streaming job sustains per batch interval, with the freshness of its rollups. See {@link BenchmarkOptions#USAGE}.
 */
public final class IngestBenchmark {

    static final String WRITE_LIMIT_KEYSPACE = "bench_write_limit";

    private final BenchmarkOptions options;
    private final Report report;
    /** The job process now running, killed by the shutdown hook if the harness is interrupted. */
    private final AtomicReference<SparkSubmitJob> runningJob = new AtomicReference<>();

    private IngestBenchmark(BenchmarkOptions options) {
        this.options = options;
        this.report = new Report(options);
    }

    public static void main(String[] args) throws Exception {
        BenchmarkOptions options = CommandLine.parseOrExit(args, "ingest benchmark", BenchmarkOptions.USAGE,
                BenchmarkOptions::parse);
        if (options != null) {
            System.exit(new IngestBenchmark(options).run() ? 0 : 1);
        }
    }

    static Duration writeLimitWarmup(BenchmarkOptions options) {
        Duration third = options.cassandraWriteTime().dividedBy(3);
        return third.compareTo(Duration.ofSeconds(5)) < 0 ? third : Duration.ofSeconds(5);
    }

    /** Runs everything asked for; false if something failed (the report says what). */
    private boolean run() throws Exception {
        Path work = options.out().resolve("work");
        Directories.delete(work);
        Files.createDirectories(work);
        Runtime.getRuntime().addShutdownHook(new Thread(this::killRunningJob, "bench-kill-job"));
        LocalCassandra cassandra = new LocalCassandra(LocalCassandra.Settings.builder(work.resolve("cassandra"))
                .heap("1g").concurrentWrites(32).build());
        boolean ok = true;
        try {
            progress("starting Cassandra in " + work.resolve("cassandra"));
            cassandra.start();
            try (CqlSession session = connect(cassandra)) {
                if (!options.skipCassandraLimit()) {
                    measureCassandraLimit(session);
                }
                if (!options.skipJob()) {
                    measureJob(session, cassandra.nativePort(), work);
                }
            }
        } catch (Exception e) {
            ok = false;
            report.failure(e.toString());
            e.printStackTrace();
        } finally {
            progress("stopping Cassandra");
            cassandra.stop();
            report.write(options.out());
        }
        ok &= !report.hasFailures();
        System.out.println();
        System.out.print(report.text());
        System.out.println("(written to " + options.out().resolve("report.txt") + " and batches.csv)");
        return ok;
    }

    private void measureCassandraLimit(CqlSession session) throws InterruptedException {
        progress("measuring Cassandra's own write limit");
        List<CassandraWriteLimit.Result> limits = new CassandraWriteLimit(session, WRITE_LIMIT_KEYSPACE)
                .measure(writeLimitWarmup(options), options.cassandraWriteTime());
        for (CassandraWriteLimit.Result r : limits) {
            progress(String.format(Locale.ROOT, "  %s: %,.0f rows/s", r.method(), r.rowsPerSecond()));
        }
        report.cassandraLimits(limits);
        session.execute("DROP KEYSPACE IF EXISTS " + WRITE_LIMIT_KEYSPACE);
    }

    private void measureJob(CqlSession session, int cassandraPort, Path work) throws Exception {
        JobRun jobRun = new JobRun(session, cassandraPort, options, work, runningJob);
        for (Duration interval : options.batchIntervals()) {
            for (int rate : options.rates()) {
                progress("job at " + rate + " events/s, batch interval " + Durations.format(interval));
                JobRun.Result result = jobRun.run(interval, rate);
                report.add(result);
                progress("  " + (result.error() != null ? "FAILED: " + result.error()
                        : result.sustained() ? "sustained" : "not sustained: " + result.unsustained())
                        + "; " + result.stopOutcome());
                if (!result.sustained()) {
                    break;
                }
            }
        }
    }

    static CqlSession connect(LocalCassandra cassandra) {
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress(cassandra.host(), cassandra.nativePort()))
                .withLocalDatacenter(LocalCassandra.DATACENTER)
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
                        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30))
                        .build())
                .build();
    }

    private void killRunningJob() {
        SparkSubmitJob job = runningJob.getAndSet(null);
        if (job != null && job.isAlive()) {
            System.err.println("ingest benchmark: interrupted, killing the job (pid " + job.pid() + ")");
            try {
                job.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void progress(String message) {
        System.err.println("==> " + message);
    }
}
