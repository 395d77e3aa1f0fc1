package io.streamcontrol.job.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.ServerError;
import io.streamcontrol.cassandra.LocalCassandra;
import io.streamcontrol.cassandra.LocalCassandraExtension;
import io.streamcontrol.contract.settings.LineFormat;
import io.streamcontrol.contract.tables.DriverTable;
import io.streamcontrol.contract.tables.DriverTable.DriverRow;
import io.streamcontrol.contract.tables.StopRequests;
import io.streamcontrol.generator.GeneratorServer;
import io.streamcontrol.generator.GeneratorSettings;
import io.streamcontrol.generator.SalesEventSource;
import io.streamcontrol.job.batch.PausePoint;
import io.streamcontrol.testkit.ExpectedResults;
import io.streamcontrol.testkit.JobTables;
import io.streamcontrol.testkit.KnownLines;
import io.streamcontrol.testkit.SparkSubmitJob;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged job, run by spark-submit against a real Cassandra, fed by the generator with a known set of lines
 * (malformed, late and too-late ones included); every table is compared with {@link ExpectedResults}.
 */
@ExtendWith(LocalCassandraExtension.class)
class StreamingJobIT {

    static final int PARTITIONS = 2;
    static final long LATENESS_MS = 30_000;
    static final long WINDOW_MS = 180_000;
    static final long SLIDE_MS = 60_000;
    static final int TOP_N = 5;
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);

    static CqlSession session;
    static LocalCassandra cassandra;

    @BeforeAll
    static void connect() {
        cassandra = LocalCassandraExtension.server();
        session = CqlSession.builder()
                .addContactPoint(new InetSocketAddress(cassandra.host(), cassandra.nativePort()))
                .withLocalDatacenter("datacenter1")
                .build();
    }

    @AfterAll
    static void disconnect() {
        if (session != null) {
            session.close();
        }
    }

    /** One job run's names, generator and arguments. */
    record Scenario(String name, LineFormat format, long count, int rate, Path dir) {
        String keyspace() {
            return "it_" + name;
        }

        GeneratorSettings generatorSettings() {
            return KnownLines.settings(name.hashCode(), count, rate, format);
        }

        List<String> jobArgs(int sourcePort) {
            return List.of("--job-name", name, "--keyspace", keyspace(),
                    "--checkpoint", dir.resolve("checkpoint").toUri().toString(),
                    "--source-port", String.valueOf(sourcePort), "--receivers", String.valueOf(PARTITIONS),
                    "--source-format", format.name().toLowerCase(Locale.ROOT),
                    "--batch-interval", "1s", "--lateness", "30s",
                    "--top-n", String.valueOf(TOP_N), "--top-n-window", "3m", "--top-n-slide", "1m",
                    "--cassandra-port", String.valueOf(cassandra.nativePort()), "--stop-poll-interval", "200ms");
        }

        SparkSubmitJob startJob(GeneratorServer generator, String attempt) throws Exception {
            return startJob(generator, attempt, List.of());
        }

        /** Starts the job with settings that override (come after) the scenario's. */
        SparkSubmitJob startJob(GeneratorServer generator, String attempt, List<String> overrides) throws Exception {
            return startJob(generator, attempt, overrides, List.of("spark.ui.enabled=false"));
        }

        /** Starts the job with settings that override the scenario's, and extra {@code key=value} Spark settings. */
        SparkSubmitJob startJob(GeneratorServer generator, String attempt, List<String> overrides,
                List<String> sparkConf) throws Exception {
            List<String> args = new ArrayList<>(jobArgs(generator.port()));
            args.addAll(overrides);
            return SparkSubmitJob.start(Path.of("target", "it-logs", name + "-" + attempt + ".log"), sparkConf, args);
        }

        /**
         * Starts the job so that its driver freezes at {@code point} of the first batch with input that reaches it
         * (see {@link PausePoint}), creating {@code marker} there.
         */
        SparkSubmitJob startJobPausedAt(GeneratorServer generator, String attempt, PausePoint point, Path marker)
                throws Exception {
            return startJob(generator, attempt, List.of(), List.of("spark.ui.enabled=false",
                    "spark.driver.extraJavaOptions=-Dstreamcontrol.pause-at=" + point
                            + " -Dstreamcontrol.pause-marker=" + marker));
        }

        DriverTable drivers() {
            return new DriverTable(session, keyspace(), name);
        }

        ExpectedResults expected(long[] lastSeqs) {
            SalesEventSource source = new SalesEventSource(generatorSettings());
            return new ExpectedResults(n -> source.line(n).event(), lastSeqs, LATENESS_MS);
        }
    }

    @Test
    void everyTableEqualsTheRecomputationFromTheGeneratedLines(@TempDir Path dir) throws Exception {
        Scenario scenario = new Scenario("exact", LineFormat.CSV, 12_000, 4_000, dir);
        try (GeneratorServer generator = new GeneratorServer(scenario.generatorSettings()).start()) {
            runToTheEnd(scenario, generator, "1", ExpectedResults.lastSeqs(scenario.count(), PARTITIONS));
        }
        assertTablesMatch(scenario, scenario.expected(ExpectedResults.lastSeqs(scenario.count(), PARTITIONS)));
    }

    @Test
    void aGracefulStopProcessesEverythingReceivedAndTheNextRunResumes(@TempDir Path dir) throws Exception {
        Scenario scenario = new Scenario("graceful", LineFormat.CSV, 30_000, 2_000, dir);
        try (GeneratorServer generator = new GeneratorServer(scenario.generatorSettings()).start()) {
            try (SparkSubmitJob job = scenario.startJob(generator, "1")) {
                awaitProgress(scenario, job, 6_000);
                stopGracefully(scenario, job);
            }
            long[] stored = column(scenario, "last_stored_seq");
            assertThat(column(scenario, "processed_seq")).as("processed = durably received").isEqualTo(stored);
            assertThat(stored[0]).isLessThan(ExpectedResults.lastSeqs(scenario.count(), PARTITIONS)[0]);
            assertTablesMatch(scenario, scenario.expected(stored));

            runToTheEnd(scenario, generator, "2", ExpectedResults.lastSeqs(scenario.count(), PARTITIONS));
        }
        assertTablesMatch(scenario, scenario.expected(ExpectedResults.lastSeqs(scenario.count(), PARTITIONS)));
    }

    @Test
    void aDriverKilledMidStreamRecoversFromItsCheckpointWithExactResults(@TempDir Path dir) throws Exception {
        Scenario scenario = new Scenario("killed", LineFormat.JSON, 24_000, 2_000, dir);
        long[] last = ExpectedResults.lastSeqs(scenario.count(), PARTITIONS);
        try (GeneratorServer generator = new GeneratorServer(scenario.generatorSettings()).start()) {
            try (SparkSubmitJob job = scenario.startJob(generator, "1")) {
                awaitProgress(scenario, job, 8_000);
                job.kill();
            }
            runToTheEnd(scenario, generator, "2", last);
        }
        assertTablesMatch(scenario, scenario.expected(last));
    }

    /**
     * The driver SIGKILLed at chosen points inside a batch, where {@link PausePoint} froze it: during the raw writes,
     * after every write but before the commit, after the commit. Each start resumes from the last commit (rows written
     * after it count at their value before), the source replays from there, and the tables end equal to the
     * recomputation: nothing lost, nothing counted twice.
     */
    @Test
    void aDriverKilledAtAnyPointOfABatchResumesFromItsLastCommitExactly(@TempDir Path dir) throws Exception {
        Scenario scenario = new Scenario("killpoints", LineFormat.CSV, 30_000, 3_000, dir);
        long[] last = ExpectedResults.lastSeqs(scenario.count(), PARTITIONS);
        try (GeneratorServer generator = new GeneratorServer(scenario.generatorSettings()).start()) {
            for (PausePoint point : PausePoint.values()) {
                Path marker = dir.resolve("paused-at-" + point);
                try (SparkSubmitJob job = scenario.startJobPausedAt(generator, point.name(), point, marker)) {
                    awaitFrozen(job, point, marker);
                    job.kill();
                }
            }
            assertThat(column(scenario, "processed_seq")[0]).as("killed mid-stream").isLessThan(last[0]);
            runToTheEnd(scenario, generator, "last", last);
        }
        assertTablesMatch(scenario, scenario.expected(last));
    }

    /**
     * Backpressure (on by default): a job frozen before its first commit lets its receivers read 10 s ahead at most
     * (the bound with 1 s batches), then they read nothing and the generator waits with lines still to send.
     */
    @Test
    void aJobThatFallsBehindStopsReadingItsSource(@TempDir Path dir) throws Exception {
        Scenario scenario = new Scenario("backpressure", LineFormat.CSV, 400_000, 5_000, dir);
        Path marker = dir.resolve("paused");
        try (GeneratorServer generator = new GeneratorServer(scenario.generatorSettings()).start();
                SparkSubmitJob job = scenario.startJobPausedAt(generator, "1", PausePoint.BEFORE_COMMIT, marker)) {
            awaitFrozen(job, PausePoint.BEFORE_COMMIT, marker);
            long[] last = {-1};
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                long emitted = generator.emitted();
                boolean held = emitted == last[0];
                last[0] = emitted;
                return held;
            });
            Thread.sleep(5_000);
            assertThat(generator.emitted()).as("lines sent while the job stays frozen").isEqualTo(last[0])
                    .isLessThan(scenario.count());
            assertThat(job.logLines()).anyMatch(line -> line.contains("waits for the job to commit"));
            job.kill();
        }
    }

    /**
     * What the control service does to reconfigure a job: a graceful stop, then a start with other settings and a new,
     * empty checkpoint directory. The new run rebuilds its state from the tables; a SIGKILL soon after that start
     * (before any state checkpoint) recovers from the new checkpoint; a start with another number of receivers is
     * refused.
     */
    @Test
    void aReconfiguredJobStartsFromANewCheckpointWithItsStateSeededFromItsTables(@TempDir Path dir) throws Exception {
        Scenario scenario = new Scenario("reconfigured", LineFormat.CSV, 24_000, 2_000, dir);
        long[] last = ExpectedResults.lastSeqs(scenario.count(), PARTITIONS);
        int firstTopN = 8;
        List<String> reconfigured = List.of("--checkpoint", dir.resolve("checkpoint-2").toUri().toString(),
                "--batch-interval", "2s", "--top-n", String.valueOf(TOP_N), "--output-batch-size-rows", "16");
        Instant reconfiguredAt;
        try (GeneratorServer generator = new GeneratorServer(scenario.generatorSettings()).start()) {
            try (SparkSubmitJob job = scenario.startJob(generator, "1",
                    List.of("--batch-interval", "5s", "--top-n", String.valueOf(firstTopN), "--launch-id", "gen-1"))) {
                DriverRow running = awaitDriver(scenario, job, "gen-1");
                // stop in mid-stream: the drain processes what the receivers hold while the generator goes on
                awaitProgress(scenario, job, 3_000);
                await().atMost(Duration.ofSeconds(10)).until(() -> scenario.drivers().read().orElseThrow().heartbeatAt()
                        .isAfter(running.heartbeatAt()));
                stopGracefully(scenario, job);
                assertStoppedCleanly(scenario, job, "gen-1");
            }
            long[] processed = column(scenario, "processed_seq");
            assertThat(processed[0]).as("stopped mid-stream").isLessThan(last[0]);

            reconfiguredAt = Instant.now();
            List<String> second = new ArrayList<>(reconfigured);
            second.addAll(List.of("--launch-id", "gen-2"));
            try (SparkSubmitJob job = scenario.startJob(generator, "2", second)) {
                awaitDriver(scenario, job, "gen-2");
                // killed at its first progress: normally long before its first state checkpoint (10 batches), so the
                // recovery recomputes the state from the seeded start
                awaitProgress(scenario, job, sum(processed));
                job.kill();
            }
            List<String> third = new ArrayList<>(reconfigured);
            third.addAll(List.of("--launch-id", "gen-3"));
            try (SparkSubmitJob job = scenario.startJob(generator, "3", third)) {
                awaitDriver(scenario, job, "gen-3");
                awaitProcessed(scenario, job, last);
                stopGracefully(scenario, job);
                assertStoppedCleanly(scenario, job, "gen-3");
            }

            try (SparkSubmitJob job = scenario.startJob(generator, "4", List.of("--receivers", "3",
                    "--checkpoint", dir.resolve("checkpoint-3").toUri().toString()))) {
                assertThat(job.awaitExit(Duration.ofMinutes(1))).as("exit code; log:\n%s", job.logTail()).isEqualTo(2);
                assertThat(job.logTail()).contains("invalid setting --receivers");
            }
        }
        ExpectedResults expected = scenario.expected(last);
        assertTablesMatch(scenario, expected, writtenAt -> writtenAt.isBefore(reconfiguredAt) ? firstTopN : TOP_N);
    }

    /**
     * A stop request that brings new settings restarts the streaming context in the same driver once every received
     * line is committed: a new batch interval keeps the state in memory; a new top-N rebuilds it from the tables.
     */
    @Test
    void aStopRequestWithNewSettingsRestartsTheStreamingContextInTheSameDriver(@TempDir Path dir) throws Exception {
        Scenario scenario = new Scenario("inplace", LineFormat.CSV, 30_000, 2_000, dir);
        long[] last = ExpectedResults.lastSeqs(scenario.count(), PARTITIONS);
        int firstTopN = 8;
        Instant topNChangedAt;
        try (GeneratorServer generator = new GeneratorServer(scenario.generatorSettings()).start();
                SparkSubmitJob job = scenario.startJob(generator, "1",
                        List.of("--top-n", String.valueOf(firstTopN), "--launch-id", "inplace-1"))) {
            DriverRow driver = awaitDriver(scenario, job, "inplace-1");
            StopRequests requests = new StopRequests(session, scenario.keyspace(), scenario.name());
            awaitProgress(scenario, job, 5_000);

            List<String> slower = new ArrayList<>(scenario.jobArgs(generator.port()));
            slower.addAll(List.of("--top-n", String.valueOf(firstTopN), "--launch-id", "inplace-1",
                    "--batch-interval", "2s"));
            requests.requestRestart(slower);
            awaitLogged(job, "batches of PT2S");
            long restartedAt = sumProcessed(scenario);
            awaitProgress(scenario, job, restartedAt + 3_000);

            List<String> otherTopN = new ArrayList<>(scenario.jobArgs(generator.port()));
            otherTopN.addAll(List.of("--launch-id", "inplace-1"));
            requests.requestRestart(otherTopN);
            awaitLogged(job, "batches of PT1S");
            awaitProcessed(scenario, job, last);
            // the old context wrote until it stopped; the new one writes from the start its state was rebuilt for
            topNChangedAt = Instant.ofEpochMilli(session.execute("SELECT max(before_batch_time) FROM "
                    + scenario.keyspace() + ".abandoned_batches WHERE job_name = ?", scenario.name()).one().getLong(0));

            assertThat(scenario.drivers().read().orElseThrow()).as("the same driver throughout")
                    .returns(driver.pid(), DriverRow::pid).returns(driver.appId(), DriverRow::appId)
                    .returns(null, DriverRow::stoppedAt);
            List<String> log = job.logLines();
            assertThat(log).filteredOn(line -> line.contains("restarts its streaming context")).hasSize(2);
            assertThat(log).as("state rebuilt from the tables at the start and for the new top-N only")
                    .filteredOn(line -> line.contains("resumes from its last commit")).hasSize(2);
            stopGracefully(scenario, job);
            assertStoppedCleanly(scenario, job, "inplace-1");
        }
        assertTablesMatch(scenario, scenario.expected(last),
                writtenAt -> writtenAt.isBefore(topNChangedAt) ? firstTopN : TOP_N);
    }

    private static void awaitLogged(SparkSubmitJob job, String text) {
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!job.isAlive()) {
                throw new AssertionError("job exited; log:\n" + job.logTail());
            }
            return job.logLines().stream().anyMatch(line -> line.contains(text));
        });
    }

    /**
     * A sender that cannot replay (plain lines, no handshake), read by one receiver: the receiver write-ahead log and
     * the checkpoint keep what was received, and a graceful stop processes all of it.
     */
    @Test
    void aPlainSenderIsIngestedExactlyThroughTheWriteAheadLog(@TempDir Path dir) throws Exception {
        Scenario scenario = new Scenario("plain", LineFormat.CSV, 12_000, 3_000, dir);
        try (GeneratorServer generator = new GeneratorServer(scenario.generatorSettings()).start();
                SparkSubmitJob job = scenario.startJob(generator, "1", List.of("--resume", "false", "--receivers", "1"))) {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
                if (!job.isAlive()) {
                    throw new AssertionError("job exited early; log:\n" + job.logTail());
                }
                return linesCounted(scenario) == scenario.count();
            });
            assertThat(dir.resolve("checkpoint").resolve("receivedData").resolve("0"))
                    .as("the receiver's write-ahead log").isDirectoryContaining(path -> true);
            stopGracefully(scenario, job);
        }
        JobTables.assertMatchOfPlainSender(session, scenario.keyspace(), scenario.name(),
                scenario.expected(new long[] {scenario.count() - 1}), WINDOW_MS, SLIDE_MS, TOP_N);
    }

    /** Every line the job's sources took: accepted, rejected or dropped as a duplicate. */
    private static long linesCounted(Scenario scenario) {
        try {
            long lines = 0;
            for (Row row : session.execute("SELECT accepted, rejected_malformed, rejected_too_late, duplicates FROM "
                    + scenario.keyspace() + ".sources WHERE job_name = ?", scenario.name())) {
                lines += row.getLong(0) + row.getLong(1) + row.getLong(2) + row.getLong(3);
            }
            return lines;
        } catch (InvalidQueryException | ServerError e) {
            return 0;
        }
    }

    /** The driver's row once it registered under this launch id: its pid is the driver process's. */
    private static DriverRow awaitDriver(Scenario scenario, SparkSubmitJob job, String launchId) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!job.isAlive()) {
                throw new AssertionError("job exited early; log:\n" + job.logTail());
            }
            try {
                return scenario.drivers().read().filter(d -> launchId.equals(d.launchId())).isPresent();
            } catch (InvalidQueryException | ServerError e) {
                return false;
            }
        });
        DriverRow driver = scenario.drivers().read().orElseThrow();
        assertThat(driver.pid()).as("driver pid").isEqualTo(job.pid());
        assertThat(driver.appId()).startsWith("local-");
        assertThat(driver.host()).isNotBlank();
        assertThat(driver.uiUrl()).as("no UI in these runs").isNull();
        assertThat(driver.stoppedAt()).isNull();
        assertThat(driver.heartbeatAt()).isAfterOrEqualTo(driver.startedAt());
        return driver;
    }

    private static void assertStoppedCleanly(Scenario scenario, SparkSubmitJob job, String launchId) {
        DriverRow driver = scenario.drivers().read().orElseThrow();
        assertThat(driver.launchId()).isEqualTo(launchId);
        assertThat(driver.pid()).isEqualTo(job.pid());
        assertThat(driver.stoppedAt()).as("stopped_at").isNotNull().isAfter(driver.startedAt());
    }

    private static void stopGracefully(Scenario scenario, SparkSubmitJob job) throws InterruptedException {
        new StopRequests(session, scenario.keyspace(), scenario.name()).request();
        assertThat(job.awaitExit(STOP_TIMEOUT)).as("exit code; log:\n%s", job.logTail()).isZero();
    }

    /** Starts the job, lets it process every line up to {@code lastSeqs} and stops it gracefully. */
    private static void runToTheEnd(Scenario scenario, GeneratorServer generator, String attempt, long[] lastSeqs)
            throws Exception {
        try (SparkSubmitJob job = scenario.startJob(generator, attempt)) {
            awaitProcessed(scenario, job, lastSeqs);
            stopGracefully(scenario, job);
        }
    }

    /** Waits until the job has processed more than {@code lines} lines (summed over the sources), still alive. */
    private static void awaitProgress(Scenario scenario, SparkSubmitJob job, long lines) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> sumProcessed(scenario) > lines || !job.isAlive());
        assertThat(job.isAlive()).as("job alive; log:\n%s", job.logTail()).isTrue();
    }

    /** Waits until the driver froze at {@code point} (see {@link Scenario#startJobPausedAt}), still alive. */
    private static void awaitFrozen(SparkSubmitJob job, PausePoint point, Path marker) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(marker) || !job.isAlive());
        assertThat(job.isAlive()).as("frozen at %s; log:\n%s", point, job.logTail()).isTrue();
    }

    private static void awaitProcessed(Scenario scenario, SparkSubmitJob job, long[] lastSeqs) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!job.isAlive()) {
                throw new AssertionError("job exited early; log:\n" + job.logTail());
            }
            return java.util.Arrays.equals(columnOnceCreated(scenario, "processed_seq"), lastSeqs);
        });
    }

    private static long sumProcessed(Scenario scenario) {
        return sum(columnOnceCreated(scenario, "processed_seq"));
    }

    private static long sum(long[] seqs) {
        return java.util.Arrays.stream(seqs).map(s -> Math.max(0, s)).sum();
    }

    /** The column, or nothing while the job is still creating its keyspace and tables. */
    private static long[] columnOnceCreated(Scenario scenario, String column) {
        try {
            return column(scenario, column);
        } catch (InvalidQueryException | ServerError e) {
            return new long[0];
        }
    }

    private static long[] column(Scenario scenario, String column) {
        long[] values = new long[PARTITIONS];
        java.util.Arrays.fill(values, -1);
        for (Row row : session.execute("SELECT source, " + column + " FROM " + scenario.keyspace()
                + ".sources WHERE job_name = ?", scenario.name())) {
            if (!row.isNull(1)) {
                values[row.getInt(0)] = row.getLong(1);
            }
        }
        return values;
    }

    private static void assertTablesMatch(Scenario scenario, ExpectedResults expected) {
        assertTablesMatch(scenario, expected, writtenAt -> TOP_N);
    }

    private static void assertTablesMatch(Scenario scenario, ExpectedResults expected,
            Function<Instant, Integer> topNAt) {
        JobTables.assertMatch(session, scenario.keyspace(), scenario.name(), expected, WINDOW_MS, SLIDE_MS, topNAt);
    }

}
