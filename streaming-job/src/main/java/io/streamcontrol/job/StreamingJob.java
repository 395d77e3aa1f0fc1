package io.streamcontrol.job;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.spark.connector.cql.CassandraConnector;
import io.streamcontrol.contract.settings.CassandraSecrets;
import io.streamcontrol.contract.settings.Durations;
import io.streamcontrol.contract.settings.InvalidSettingException;
import io.streamcontrol.contract.settings.JobSettings;
import io.streamcontrol.contract.tables.CassandraUnavailableException;
import io.streamcontrol.contract.tables.DriverTable;
import io.streamcontrol.contract.tables.DriverTable.DriverRow;
import io.streamcontrol.contract.tables.Schema;
import io.streamcontrol.contract.tables.StandbyTable;
import io.streamcontrol.contract.tables.StopRequests;
import io.streamcontrol.job.batch.BatchRunner;
import io.streamcontrol.job.cassandra.CurrentConnection;
import io.streamcontrol.job.driver.CassandraOutage;
import io.streamcontrol.job.driver.DriverHeartbeat;
import io.streamcontrol.job.kryo.JobKryoRegistrator;
import io.streamcontrol.job.seed.StateSeed;
import io.streamcontrol.job.source.LineSource;
import io.streamcontrol.job.source.SourceTable;
import io.streamcontrol.job.stop.StopWatcher;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Entry point of the streaming job, run by spark-submit. Creates the schema, builds the streaming context (resuming
 * from the job's last commit in its tables), keeps its {@code drivers} row current, and runs until a graceful stop is
 * requested (or SIGTERM), then exits 0.
 */
public final class StreamingJob {

    private static final Logger LOG = LoggerFactory.getLogger(StreamingJob.class);
    public static final int EXIT_BAD_SETTINGS = 2;
    /** Cassandra could not be reached or refused the job's credentials (the log's last ERROR line says which). */
    public static final int EXIT_NO_CASSANDRA = 3;
    private static final long STANDBY_POLL_MS = 100;
    static final int BLOCK_CHUNK_BYTES = 256 * 1024;

    private StreamingJob() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.print(JobSettings.help());
            return;
        }
        JobSettings settings;
        Duration standbyFor = null;
        CassandraSecrets secrets = CassandraSecrets.fromEnvironment(System.getenv());
        try {
            if (args.length >= 2 && args[0].equals(StandbyTable.ARGUMENT)) {
                standbyFor = Durations.parse(args[1]);
                args = Arrays.copyOfRange(args, 2, args.length);
            }
            settings = JobSettings.parse(args);
            secrets.checkFor(settings);
        } catch (IllegalArgumentException e) { // InvalidSettingException, or a standby time that is no duration
            System.err.println(e.getMessage());
            System.err.print(JobSettings.help());
            System.exit(EXIT_BAD_SETTINGS);
            return;
        }
        try {
            SparkConf conf = sparkConf(settings, secrets);
            Instant startedAt = Instant.now();
            if (standbyFor != null) {
                Optional<StandbyTable.Start> start = awaitStart(conf, settings, standbyFor);
                if (start.isEmpty()) {
                    return;
                }
                settings = JobSettings.parse(start.get().arguments().toArray(String[]::new));
                startedAt = start.get().at();
            }
            run(conf, settings, startedAt);
        } catch (InvalidSettingException e) {
            // settings that contradict what the job already wrote (e.g. another number of receivers)
            System.err.println(e.getMessage());
            System.exit(EXIT_BAD_SETTINGS);
        } catch (CassandraUnavailableException e) {
            // one clear line, last in the log (the service shows it as the job's last error), no stack trace to hunt
            LOG.error(e.getMessage());
            System.exit(EXIT_NO_CASSANDRA);
        }
    }

    /**
     * A standby driver ({@code --standby <idle time> <job arguments>}): starts its Spark context, opens its session,
     * creates the job's tables and runs a small shuffle through the scheduler, then waits in the job's
     * {@code standby_drivers} table for the arguments to run the job with; those must need the same driver
     * ({@link JobSettings#sameDriver}). A start then skips the JVM, the Spark context and the connection, most of a
     * cold start. Empty when no start came within {@code idleFor}.
     */
    static Optional<StandbyTable.Start> awaitStart(SparkConf conf, JobSettings launched, Duration idleFor)
            throws InterruptedException {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(conf));
        CassandraConnector connector = CassandraConnector.apply(conf);
        CurrentConnection.set(connector);
        // the connector keeps the session open a while after this close (keepAliveMS), for the job's run to reuse
        try (CqlSession session = connect(connector, launched)) {
            Schema.create(session, launched.keyspace(), launched.keyspaceReplication());
            sc.parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), 8).mapToPair(i -> new Tuple2<>(i % 2, i))
                    .reduceByKey(Integer::sum, 2).collect();
            StandbyTable standby = new StandbyTable(session, launched.keyspace(), launched.jobName());
            String launchId = launched.launchId();
            standby.ready(launchId, Instant.now());
            LOG.info("Standby driver {} of job {} waits up to {} for a start", launchId, launched.jobName(),
                    Durations.format(idleFor));
            long deadline = System.nanoTime() + idleFor.toNanos();
            CassandraOutage outage = new CassandraOutage(launched.cassandraOutageLimit());
            try {
                while (System.nanoTime() < deadline) {
                    Optional<StandbyTable.Start> start = pollStart(standby, launchId, outage, launched);
                    if (start.isPresent()) {
                        List<String> arguments = start.get().arguments();
                        if (!JobSettings.sameDriver(launched, JobSettings.parse(arguments.toArray(String[]::new)))) {
                            throw new InvalidSettingException("launch-id", "standby driver " + launchId
                                    + " cannot run the job with " + arguments + ": it needs another driver");
                        }
                        LOG.info("Standby driver {} starts job {} (start requested at {})", launchId,
                                launched.jobName(), start.get().at());
                        return start;
                    }
                    Thread.sleep(STANDBY_POLL_MS);
                }
            } finally {
                try {
                    standby.remove(launchId);
                } catch (DriverException e) {
                    LOG.warn("Could not remove standby driver {}'s row: {}", launchId, e.getMessage());
                }
            }
        }
        LOG.info("Standby driver {} of job {} was not used within {}; exiting", launched.launchId(),
                launched.jobName(), Durations.format(idleFor));
        return Optional.empty();
    }

    /** The standby's start, if given; a Cassandra lost for longer than the outage limit ends the standby. */
    private static Optional<StandbyTable.Start> pollStart(StandbyTable standby, String launchId,
            CassandraOutage outage, JobSettings settings) {
        try {
            Optional<StandbyTable.Start> start = standby.start(launchId);
            outage.reached();
            return start;
        } catch (DriverException e) {
            Instant now = Instant.now();
            outage.failed(now);
            if (outage.beyondLimit(now).isPresent()) {
                throw CassandraUnavailableException.of(e, settings);
            }
            return Optional.empty();
        }
    }

    /**
     * Runs the job until it is stopped; returns after a graceful stop. A source that replays (the resume handshake)
     * needs no Spark checkpoint: every start builds a new context and resumes from the last commit in the tables.
     * Plain senders need the receiver write-ahead log, and so the checkpoint that recovers it. A stop request that
     * brings settings this driver can take ({@link JobSettings#restartsInPlace}) restarts the streaming context with
     * them once every received line is processed, on the same Spark context. Stop requests made before
     * {@code startedAt} (the launch, or the start given to a standby driver) were meant for an earlier driver.
     */
    public static void run(SparkConf conf, JobSettings settings, Instant startedAt) throws InterruptedException {
        CassandraConnector connector = CassandraConnector.apply(conf);
        CurrentConnection.set(connector);
        try (CqlSession session = connect(connector, settings)) {
            Schema.create(session, settings.keyspace(), settings.keyspaceReplication());
            SourceTable sources = new SourceTable(session, settings.keyspace(), settings.jobName());
            StateSeed.checkSourcePartitions(sources.statuses().stream().map(SourceTable.Status::source).toList(),
                    settings.receivers());
            StopRequests stopRequests = new StopRequests(session, settings.keyspace(), settings.jobName());
            try (DriverHeartbeat heartbeat = new DriverHeartbeat(
                    new DriverTable(session, settings.keyspace(), settings.jobName()), settings.stopPollInterval(),
                    new CassandraOutage(settings.cassandraOutageLimit()), since -> exitOnOutage(settings, since))) {
                JobSettings running = settings;
                BatchRunner runner = new BatchRunner(running);
                Instant contextStartedAt = startedAt;
                while (true) {
                    stopRequests.clearDrain();
                    JavaStreamingContext ssc = streamingContext(conf, running, runner);
                    Optional<JobSettings> next;
                    try (StopWatcher watcher = new StopWatcher(stopRequests, sources, running, contextStartedAt, ssc)) {
                        ssc.start();
                        if (running == settings) {
                            heartbeat.start(driverRow(ssc, conf, settings, startedAt));
                        }
                        LOG.info("Job {} running: source {}:{} ({} receivers, {}), batches of {}", running.jobName(),
                                running.sourceHost(), running.sourcePort(), running.receivers(),
                                writeAheadLog(running) ? "write-ahead log, checkpoint " + running.checkpoint()
                                        : "replayed from the last commit", running.batchInterval());
                        watcher.start();
                        try {
                            ssc.awaitTermination();
                        } catch (RuntimeException e) {
                            LOG.error("A batch failed; stopping (the next start resumes from the last commit)", e);
                            ssc.stop(true, false);
                            throw e;
                        }
                        next = watcher.restartWith();
                    }
                    if (next.isEmpty()) {
                        break;
                    }
                    LOG.info("Job {} restarts its streaming context with {}", running.jobName(),
                            next.get().toArguments());
                    contextStartedAt = Instant.now();
                    runner = runner.continuedWith(next.get());
                    running = next.get();
                }
                heartbeat.stopped();
            }
        }
        LOG.info("Job {} stopped", settings.jobName());
    }

    /**
     * Ends the driver that lost Cassandra for longer than its limit, with one clear line last in its log. A halt, not an
     * exit: the shutdown hook's graceful stop would wait for batches that cannot complete without Cassandra. Nothing is
     * lost: the next start resumes from the last commit.
     */
    private static void exitOnOutage(JobSettings settings, Instant since) {
        LOG.error("Lost Cassandra at {} port {}: no write succeeded since {}, longer than --cassandra-outage-limit {};"
                + " the driver exits, and its next start resumes from the last commit", settings.cassandraHost(),
                settings.cassandraPort(), since, Durations.format(settings.cassandraOutageLimit()));
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(EXIT_NO_CASSANDRA);
    }

    /** The streaming context of one run of {@code runner}: recovered from the checkpoint with the write-ahead log. */
    private static JavaStreamingContext streamingContext(SparkConf conf, JobSettings settings, BatchRunner runner) {
        if (writeAheadLog(settings)) {
            // a context recovered from the checkpoint brings its own runner, which seeds in its first batch
            return JavaStreamingContext.getOrCreate(settings.checkpoint(),
                    () -> Pipeline.createContext(conf, settings, runner));
        }
        JavaStreamingContext ssc = Pipeline.createContext(conf, settings, runner);
        runner.prepare();
        return ssc;
    }

    /** Whether received lines go to Spark's write-ahead log: only for senders that cannot replay. */
    public static boolean writeAheadLog(JobSettings settings) {
        return !LineSource.of(settings).replays();
    }

    private static DriverRow driverRow(JavaStreamingContext ssc, SparkConf conf, JobSettings settings,
            Instant startedAt) {
        SparkContext sc = ssc.sparkContext().sc();
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = conf.get("spark.driver.host", null);
        }
        return new DriverRow(settings.jobName(), settings.launchId().isEmpty() ? null : settings.launchId(),
                sc.applicationId(), ProcessHandle.current().pid(), host,
                sc.uiWebUrl().isDefined() ? sc.uiWebUrl().get() : null, startedAt, startedAt, null);
    }

    /** The driver's session; a refused login or an unreachable cluster ends the job at once with a clear message. */
    static CqlSession connect(CassandraConnector connector, JobSettings settings) {
        try {
            return connector.openSession();
        } catch (Exception e) { // the connector (Scala) throws IOException undeclared
            throw CassandraUnavailableException.of(e, settings);
        }
    }

    /** {@link #sparkConf(JobSettings, CassandraSecrets)} with the secrets of this process's environment. */
    public static SparkConf sparkConf(JobSettings settings) {
        return sparkConf(settings, CassandraSecrets.fromEnvironment(System.getenv()));
    }

    /**
     * Spark and connector settings derived from the job settings and the secrets; spark-submit's own settings stay as
     * given, except the connection's credentials and TLS: those are always the job's. The passwords reach the executors
     * through this configuration (Spark's UI and event log redact keys named *password*).
     */
    public static SparkConf sparkConf(JobSettings settings, CassandraSecrets secrets) {
        SparkConf conf = new SparkConf()
                .setIfMissing("spark.app.name", settings.jobName())
                .set("spark.streaming.receiver.writeAheadLog.enable", String.valueOf(writeAheadLog(settings)))
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrator", JobKryoRegistrator.class.getName())
                // the job's data holds no shared or cyclic references; tracking them made Kryo clear a large identity
                // map after every record written
                .set("spark.kryo.referenceTracking", "false")
                // a received block is stored in chunks of this size; at the default 1 MB each chunk is a humongous
                // object for G1 (at least half a 1 MB region, the region size of heaps under 2 GB): every block then
                // started a concurrent GC cycle, about one a second at 50,000 events/s
                .setIfMissing("spark.storage.unrollMemoryThreshold", String.valueOf(BLOCK_CHUNK_BYTES))
                .set("spark.streaming.stopGracefullyOnShutdown", "true")
                .set("spark.streaming.blockInterval", settings.blockInterval().toMillis() + "ms")
                .set("spark.streaming.concurrentJobs", String.valueOf(settings.concurrentJobs()))
                .set("spark.cassandra.connection.host", settings.cassandraHost())
                .set("spark.cassandra.connection.port", String.valueOf(settings.cassandraPort()))
                .set("spark.cassandra.connection.localDC", settings.cassandraLocalDc())
                .set("spark.cassandra.output.concurrent.writes", String.valueOf(settings.outputConcurrentWrites()))
                .set("spark.cassandra.output.batch.size.rows", settings.outputBatchSizeRows())
                .set("spark.cassandra.output.consistency.level", settings.outputConsistency());
        if (settings.outputThroughputMb() > 0) {
            conf.set("spark.cassandra.output.throughputMBPerSec", String.valueOf(settings.outputThroughputMb()));
        }
        conf.set("spark.cassandra.input.consistency.level", settings.readConsistency());
        connection(conf, settings, secrets);
        return conf;
    }

    private static void connection(SparkConf conf, JobSettings settings, CassandraSecrets secrets) {
        for (String key : new String[] {"spark.cassandra.auth.username", "spark.cassandra.auth.password",
                "spark.cassandra.connection.ssl.trustStore.path", "spark.cassandra.connection.ssl.trustStore.password",
                "spark.cassandra.connection.ssl.keyStore.path", "spark.cassandra.connection.ssl.keyStore.password"}) {
            conf.remove(key);
        }
        if (!settings.cassandraUsername().isEmpty()) {
            conf.set("spark.cassandra.auth.username", settings.cassandraUsername());
            conf.set("spark.cassandra.auth.password", secrets.password());
        }
        conf.set("spark.cassandra.connection.ssl.enabled", String.valueOf(settings.cassandraSsl()));
        conf.set("spark.cassandra.connection.ssl.clientAuth.enabled",
                String.valueOf(settings.cassandraSsl() && !settings.cassandraKeystore().isEmpty()));
        if (!settings.cassandraSsl()) {
            return;
        }
        if (!settings.cassandraTruststore().isEmpty()) {
            conf.set("spark.cassandra.connection.ssl.trustStore.path", settings.cassandraTruststore());
            conf.set("spark.cassandra.connection.ssl.trustStore.type", settings.cassandraTruststoreType());
            if (secrets.truststorePassword() != null) {
                conf.set("spark.cassandra.connection.ssl.trustStore.password", secrets.truststorePassword());
            }
        }
        if (!settings.cassandraKeystore().isEmpty()) {
            conf.set("spark.cassandra.connection.ssl.keyStore.path", settings.cassandraKeystore());
            conf.set("spark.cassandra.connection.ssl.keyStore.type", settings.cassandraKeystoreType());
            conf.set("spark.cassandra.connection.ssl.keyStore.password", secrets.keystorePassword());
        }
    }
}
