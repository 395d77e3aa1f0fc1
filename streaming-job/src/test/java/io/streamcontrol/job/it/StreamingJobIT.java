package io.streamcontrol.job.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.ServerError;
import io.streamcontrol.cassandra.LocalCassandra;
import io.streamcontrol.cassandra.LocalCassandraExtension;
import io.streamcontrol.generator.GeneratorServer;
import io.streamcontrol.generator.GeneratorSettings;
import io.streamcontrol.generator.SalesEventSource;
import io.streamcontrol.job.event.LineFormat;
import io.streamcontrol.job.stop.StopRequests;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
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
            return GeneratorSettings.builder()
                    .port(0)
                    .seed(name.hashCode())
                    .rate(rate)
                    .count(count)
                    .format(format)
                    .products(40)
                    .malformedShare(0.02)
                    .lateShare(0.03).lateBy(Duration.ofSeconds(5))
                    .veryLateShare(0.01).veryLateBy(Duration.ofMinutes(2))
                    .startTime(Instant.parse("2026-01-01T00:00:00Z"))
                    .eventSpacing(Duration.ofMillis(20))
                    .build();
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
            return SparkSubmitJob.start(Path.of("target", "it-logs", name + "-" + attempt + ".log"),
                    jobArgs(generator.port()));
        }

        ExpectedResults expected(long[] lastSeqs) {
            SalesEventSource source = new SalesEventSource(generatorSettings());
            return new ExpectedResults(n -> source.line(n).event(), lastSeqs, LATENESS_MS);
        }
    }

    @Test
    void everyTableEqualsTheRecomputationFromTheGeneratedLines(@TempDir Path dir) throws Exception {
        Scenario scenario = new Scenario("exact", LineFormat.CSV, 12_000, 4_000, dir);
        try (GeneratorServer generator = new GeneratorServer(scenario.generatorSettings()).start();
                SparkSubmitJob job = scenario.startJob(generator, "1")) {
            awaitProcessed(scenario, job, ExpectedResults.lastSeqs(scenario.count(), PARTITIONS));
            stopGracefully(scenario, job);
        }
        assertTablesMatch(scenario, scenario.expected(ExpectedResults.lastSeqs(scenario.count(), PARTITIONS)));
    }

    @Test
    void aGracefulStopProcessesEverythingReceivedAndTheNextRunResumes(@TempDir Path dir) throws Exception {
        Scenario scenario = new Scenario("graceful", LineFormat.CSV, 30_000, 2_000, dir);
        try (GeneratorServer generator = new GeneratorServer(scenario.generatorSettings()).start()) {
            try (SparkSubmitJob job = scenario.startJob(generator, "1")) {
                await().atMost(Duration.ofMinutes(2)).until(() -> sumProcessed(scenario) > 6_000 || !job.isAlive());
                assertThat(job.isAlive()).as("job alive; log:\n%s", job.logTail()).isTrue();
                stopGracefully(scenario, job);
            }
            long[] stored = column(scenario, "last_stored_seq");
            assertThat(column(scenario, "processed_seq")).as("processed = durably received").isEqualTo(stored);
            assertThat(stored[0]).isLessThan(ExpectedResults.lastSeqs(scenario.count(), PARTITIONS)[0]);
            assertTablesMatch(scenario, scenario.expected(stored));

            try (SparkSubmitJob job = scenario.startJob(generator, "2")) {
                awaitProcessed(scenario, job, ExpectedResults.lastSeqs(scenario.count(), PARTITIONS));
                stopGracefully(scenario, job);
            }
        }
        assertTablesMatch(scenario, scenario.expected(ExpectedResults.lastSeqs(scenario.count(), PARTITIONS)));
    }

    @Test
    void aDriverKilledMidStreamRecoversFromItsCheckpointWithExactResults(@TempDir Path dir) throws Exception {
        Scenario scenario = new Scenario("killed", LineFormat.JSON, 24_000, 2_000, dir);
        long[] last = ExpectedResults.lastSeqs(scenario.count(), PARTITIONS);
        try (GeneratorServer generator = new GeneratorServer(scenario.generatorSettings()).start()) {
            try (SparkSubmitJob job = scenario.startJob(generator, "1")) {
                await().atMost(Duration.ofMinutes(2)).until(() -> sumProcessed(scenario) > 8_000 || !job.isAlive());
                assertThat(job.isAlive()).as("job alive; log:\n%s", job.logTail()).isTrue();
                job.kill();
            }
            try (SparkSubmitJob job = scenario.startJob(generator, "2")) {
                awaitProcessed(scenario, job, last);
                stopGracefully(scenario, job);
            }
        }
        assertTablesMatch(scenario, scenario.expected(last));
    }

    private static void stopGracefully(Scenario scenario, SparkSubmitJob job) throws InterruptedException {
        new StopRequests(session, scenario.keyspace(), scenario.name()).request();
        assertThat(job.awaitExit(STOP_TIMEOUT)).as("exit code; log:\n%s", job.logTail()).isZero();
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
        return java.util.Arrays.stream(columnOnceCreated(scenario, "processed_seq")).map(s -> Math.max(0, s)).sum();
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
        String ks = scenario.keyspace();
        TreeSet<Long> rawIds = new TreeSet<>();
        session.execute("SELECT order_id FROM " + ks + ".raw_events").forEach(r -> rawIds.add(r.getLong(0)));
        assertThat(rawIds).as("raw events").hasSize(expected.acceptedIds.size()).isEqualTo(expected.acceptedIds);

        TreeSet<Long> tooLate = new TreeSet<>();
        TreeSet<Long> malformed = new TreeSet<>();
        session.execute("SELECT seq, reason FROM " + ks + ".rejects").forEach(r ->
                (r.getString(1).equals("too late") ? tooLate : malformed).add(r.getLong(0)));
        assertThat(malformed).as("malformed rejects").isEqualTo(expected.malformedSeqs).isNotEmpty();
        assertThat(tooLate).as("too-late rejects").isEqualTo(expected.tooLateSeqs).isNotEmpty();

        Map<String, String> rollups = new TreeMap<>();
        session.execute("SELECT dimension, granularity, key, bucket_start, event_count, quantity_sum, sale_sum,"
                + " sale_min, sale_max FROM " + ks + ".rollups").forEach(r -> rollups.put(
                        r.getString(0) + "|" + r.getString(1) + "|" + r.getString(2) + "|"
                                + r.getInstant(3).toEpochMilli(), aggregateText(r, 4)));
        assertThat(rollups).as("rollups").isEqualTo(expected.rollups);

        Map<String, String> totals = new TreeMap<>();
        session.execute("SELECT dimension, key, event_count, quantity_sum, sale_sum, sale_min, sale_max FROM " + ks
                + ".running_totals").forEach(r -> totals.put(r.getString(0) + "|" + r.getString(1), aggregateText(r, 2)));
        assertThat(totals).as("running totals").isEqualTo(expected.totals);

        Map<String, List<String>> windows = new TreeMap<>();
        Map<String, Instant> newest = new HashMap<>();
        session.execute("SELECT dimension, window_end, rank, key, sale_sum FROM " + ks + ".top_n").forEach(r -> {
            String window = r.getString(0) + "|" + r.getInstant(1);
            List<String> ranking = windows.computeIfAbsent(window, w -> new ArrayList<>());
            while (ranking.size() < r.getInt(2)) {
                ranking.add(null);
            }
            ranking.set(r.getInt(2) - 1, r.getString(3) + "=" + ExpectedResults.plain(r.getBigDecimal(4)));
            newest.merge(r.getString(0), r.getInstant(1), (a, b) -> a.isAfter(b) ? a : b);
        });
        assertThat(windows).as("top-N windows").isNotEmpty();
        windows.forEach((window, ranking) -> {
            String[] parts = window.split("\\|");
            assertThat(ranking).as("top-N of " + window)
                    .isEqualTo(expected.topN(parts[0], Instant.parse(parts[1]), WINDOW_MS, TOP_N));
        });
        long newestEnd = Math.floorDiv(expected.newestEventTime(), SLIDE_MS) * SLIDE_MS + SLIDE_MS;
        assertThat(newest).as("newest top-N window per dimension")
                .containsOnlyKeys(ExpectedResults.DIMENSIONS)
                .allSatisfy((dim, end) -> assertThat(end.toEpochMilli()).isEqualTo(newestEnd));

        long accepted = 0;
        long tooLateCount = 0;
        long malformedCount = 0;
        for (Row r : session.execute("SELECT accepted, rejected_too_late, rejected_malformed FROM " + ks
                + ".sources WHERE job_name = ?", scenario.name())) {
            accepted += r.getLong(0);
            tooLateCount += r.getLong(1);
            malformedCount += r.getLong(2);
        }
        assertThat(new long[] {accepted, tooLateCount, malformedCount}).as("counters")
                .containsExactly(expected.acceptedIds.size(), expected.tooLateSeqs.size(), expected.malformedSeqs.size());
    }

    private static String aggregateText(Row r, int from) {
        return r.getLong(from) + "/" + r.getLong(from + 1) + "/" + ExpectedResults.plain(r.getBigDecimal(from + 2)) + "/"
                + ExpectedResults.plain(r.getBigDecimal(from + 3)) + "/" + ExpectedResults.plain(r.getBigDecimal(from + 4));
    }
}
