package io.streamcontrol.job.seed;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.streamcontrol.contract.rollups.Dimension;
import io.streamcontrol.contract.rollups.Granularity;
import io.streamcontrol.contract.source.ResumeProtocol;
import io.streamcontrol.contract.tables.Schema;
import io.streamcontrol.job.rollup.Aggregate;
import io.streamcontrol.job.rollup.Analytics;
import io.streamcontrol.job.rollup.AnalyticsChanges.Ranked;
import io.streamcontrol.job.rollup.AnalyticsChanges.TopNWindow;
import io.streamcontrol.job.rollup.AnalyticsConfig;
import io.streamcontrol.job.seed.StateSeed.BucketRow;
import io.streamcontrol.job.seed.StateSeed.PartitionRead;
import io.streamcontrol.job.seed.StateSeed.Seed;
import io.streamcontrol.job.seed.StateSeed.SourceRow;
import io.streamcontrol.job.seed.StateSeed.TotalRow;
import io.streamcontrol.job.source.SourceTable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Cassandra side of a start without a checkpoint, run on the driver before the streaming context exists: reads the
 * rows {@link StateSeed} rebuilds the state from, rewrites the top-N windows that can still change with the new
 * settings, and points the receivers back at what was processed.
 */
public final class SeedStore {

    private static final Logger LOG = LoggerFactory.getLogger(SeedStore.class);
    /** Partition reads in flight at once. */
    static final int MAX_IN_FLIGHT = 32;

    private final CqlSession session;
    private final String keyspace;
    private final String jobName;
    private final ConsistencyLevel readConsistency;
    private final ConsistencyLevel writeConsistency;

    /** Reads at {@code readConsistency} (--read-consistency), rewrites top-N windows at {@code writeConsistency}. */
    public SeedStore(CqlSession session, String keyspace, String jobName, ConsistencyLevel readConsistency,
            ConsistencyLevel writeConsistency) {
        this.session = session;
        this.keyspace = keyspace;
        this.jobName = jobName;
        this.readConsistency = readConsistency;
        this.writeConsistency = writeConsistency;
    }

    /**
     * Rebuilds the state when the job's tables hold progress (rows in {@code sources}); empty for a job's very first
     * start. Rows written by a batch that was never committed count with their value before that batch. Before
     * returning, the top-N windows that can still change are rewritten with the new settings.
     *
     * @throws io.streamcontrol.contract.settings.InvalidSettingException if the number of receivers differs from the number
     *     of source partitions already processed
     */
    public Optional<Seed> seed(AnalyticsConfig config, int receivers, long firstBatchTime)
            throws InterruptedException {
        long began = System.nanoTime();
        List<SourceRow> sources = sources();
        long committed = committedBatchTime(sources);
        AbandonedBatches abandoned = abandon(committed, firstBatchTime);
        if (sources.isEmpty()) {
            return Optional.empty();
        }
        StateSeed.checkSources(sources, receivers);
        List<TotalRow> totals = totals(config.dimensions(), abandoned);
        boolean everything = Analytics.closedBefore(StateSeed.sourceMaxTimes(sources), config).isEmpty();
        List<PartitionRead> reads;
        if (everything) {
            LOG.info("Some source of job {} has no event yet, so any bucket can still change: reading every rollup",
                    jobName);
            reads = everyPartition(config);
        } else {
            Map<Dimension, List<String>> keys = new HashMap<>();
            totals.forEach(t -> keys.computeIfAbsent(t.dimension(), d -> new ArrayList<>()).add(t.key()));
            reads = StateSeed.plan(sources, keys, config);
        }
        List<BucketRow> buckets = buckets(reads, abandoned);
        Seed seed = StateSeed.build(sources, totals, buckets, config);
        int windows = rewriteWindows(StateSeed.openWindows(seed.analytics(), config));
        LOG.info("Seeded job {} from Cassandra (last commit: batch {}; batches never committed: {}): {} sources {}, {} buckets (from {} rows of {}"
                        + " partitions), {} totals, {} slides, {} top-N windows rewritten, in {} ms",
                jobName, committed, abandoned, seed.sources().size(), seed.sources(), seed.bucketCount(), buckets.size(), reads.size(),
                seed.analytics().totals().size(), seed.analytics().slideSums(), windows,
                (System.nanoTime() - began) / 1_000_000);
        return Optional.of(seed);
    }

    List<SourceRow> sources() {
        PreparedStatement select = session.prepare("SELECT source, last_stored_seq, processed_seq, max_event_time,"
                + " accepted, rejected_malformed, rejected_too_late, duplicates, batch_time FROM "
                + table(Schema.SOURCES) + " WHERE job_name = ?");
        List<SourceRow> rows = new ArrayList<>();
        for (Row row : session.execute(select.bind(jobName).setConsistencyLevel(readConsistency))) {
            Instant maxEventTime = row.getInstant(3);
            rows.add(new SourceRow(row.getInt(0), longOrNull(row, 1), longOrNull(row, 2),
                    maxEventTime == null ? null : maxEventTime.toEpochMilli(), row.getLong(4), row.getLong(5),
                    row.getLong(6), row.getLong(7), longOrNull(row, 8)));
        }
        return rows;
    }

    /**
     * The batch time of the last commit: every source is committed in one logged batch. None yet: the lowest time.
     * Rows written before commits carried a batch time are all taken as committed (the highest time).
     */
    static long committedBatchTime(List<SourceRow> sources) {
        if (sources.isEmpty()) {
            return Long.MIN_VALUE;
        }
        return sources.stream().map(SourceRow::batchTime).filter(Objects::nonNull).mapToLong(Long::longValue).max()
                .orElse(Long.MAX_VALUE);
    }

    /**
     * Records that no batch after the last commit and before this run's first batch was committed, and returns every
     * such interval recorded so far.
     */
    AbandonedBatches abandon(long committed, long firstBatchTime) {
        String table = table(Schema.ABANDONED_BATCHES);
        if (committed < firstBatchTime) {
            session.execute(session.prepare("UPDATE " + table + " SET before_batch_time = ? WHERE job_name = ?"
                    + " AND after_batch_time = ?").bind(firstBatchTime, jobName, committed)
                    .setConsistencyLevel(writeConsistency));
        }
        Map<Long, Long> intervals = new HashMap<>();
        for (Row row : session.execute(session.prepare("SELECT after_batch_time, before_batch_time FROM " + table
                + " WHERE job_name = ?").bind(jobName).setConsistencyLevel(readConsistency))) {
            intervals.put(row.getLong(0), row.getLong(1));
        }
        return new AbandonedBatches(intervals);
    }

    List<TotalRow> totals(List<Dimension> dimensions, AbandonedBatches abandoned) {
        PreparedStatement select = session.prepare("SELECT key, " + AGGREGATE_COLUMNS
                + " FROM " + table(Schema.RUNNING_TOTALS) + " WHERE dimension = ?");
        List<TotalRow> rows = new ArrayList<>();
        for (Dimension dimension : dimensions) {
            for (Row row : session.execute(select.bind(dimension.label()).setConsistencyLevel(readConsistency))) {
                Aggregate aggregate = committedAggregate(row, 1, abandoned);
                if (aggregate != null) {
                    rows.add(new TotalRow(dimension, row.getString(0), aggregate));
                }
            }
        }
        return rows;
    }

    /** Every rollup partition of the configured dimensions and granularities (a scan of the partition keys). */
    List<PartitionRead> everyPartition(AnalyticsConfig config) {
        List<PartitionRead> reads = new ArrayList<>();
        for (Row row : session.execute(SimpleStatement.newInstance("SELECT DISTINCT dimension, granularity, key,"
                + " period FROM " + table(Schema.ROLLUPS)).setConsistencyLevel(readConsistency))) {
            Dimension dimension = Dimension.valueOf(row.getString(0).toUpperCase(Locale.ROOT));
            Granularity granularity = Granularity.valueOf(row.getString(1).toUpperCase(Locale.ROOT));
            if (config.dimensions().contains(dimension) && config.granularities().contains(granularity)) {
                reads.add(StateSeed.wholePartition(dimension, granularity, row.getString(2), row.getLocalDate(3)));
            }
        }
        return reads;
    }

    /** The buckets of the given partitions, each one prepared query, {@link #MAX_IN_FLIGHT} at a time. */
    List<BucketRow> buckets(List<PartitionRead> reads, AbandonedBatches abandoned) throws InterruptedException {
        PreparedStatement select = session.prepare("SELECT bucket_start, " + AGGREGATE_COLUMNS
                + " FROM " + table(Schema.ROLLUPS)
                + " WHERE dimension = ? AND granularity = ? AND key = ? AND period = ? AND bucket_start >= ?");
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        List<BucketRow> rows = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> pending = new ArrayList<>(reads.size());
        for (PartitionRead read : reads) {
            inFlight.acquire();
            BoundStatement bound = select.bind(read.dimension().label(), read.granularity().label(), read.key(),
                    read.period(), Instant.ofEpochMilli(read.fromStart())).setConsistencyLevel(readConsistency);
            CompletableFuture<Void> done = session.executeAsync(bound)
                    .thenCompose(page -> collect(page, read, abandoned, rows)).toCompletableFuture();
            done.whenComplete((ok, error) -> inFlight.release());
            pending.add(done);
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        return new ArrayList<>(rows);
    }

    private static CompletionStage<Void> collect(AsyncResultSet page, PartitionRead read, AbandonedBatches abandoned,
            List<BucketRow> rows) {
        for (Row row : page.currentPage()) {
            Aggregate aggregate = committedAggregate(row, 1, abandoned);
            if (aggregate != null) {
                rows.add(new BucketRow(read.dimension(), read.granularity(), read.key(),
                        Objects.requireNonNull(row.getInstant(0)).toEpochMilli(), aggregate));
            }
        }
        return page.hasMorePages() ? page.fetchNextPage().thenCompose(next -> collect(next, read, abandoned, rows))
                : CompletableFuture.completedFuture(null);
    }

    /**
     * Makes the stored top-N windows equal to the given ones (ranks beyond a window's ranking deleted), writing only
     * windows that differ. Returns how many were rewritten.
     */
    int rewriteWindows(List<TopNWindow> windows) {
        if (windows.isEmpty()) {
            return 0;
        }
        String topN = table(Schema.TOP_N);
        PreparedStatement select = session.prepare("SELECT window_end, rank, window_start, key, sale_sum FROM " + topN
                + " WHERE dimension = ? AND day = ? AND window_end >= ? AND window_end <= ?");
        PreparedStatement trim = session.prepare("DELETE FROM " + topN
                + " USING TIMESTAMP ? WHERE dimension = ? AND day = ? AND window_end = ? AND rank > ?");
        PreparedStatement insert = session.prepare("INSERT INTO " + topN
                + " (dimension, day, window_end, rank, window_start, key, sale_sum) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " USING TIMESTAMP ?");
        // what is stored now, per (dimension, window end): rank -> row
        Map<Dimension, TreeSet<Long>> ends = new HashMap<>();
        windows.forEach(w -> ends.computeIfAbsent(w.dimension(), d -> new TreeSet<>()).add(w.end()));
        Map<String, Map<Integer, StoredRank>> stored = new HashMap<>();
        ends.forEach((dimension, dimensionEnds) -> {
            LocalDate last = Granularity.day(dimensionEnds.last());
            for (LocalDate day = Granularity.day(dimensionEnds.first()); !day.isAfter(last); day = day.plusDays(1)) {
                for (Row row : session.execute(select.bind(dimension.label(), day,
                        Instant.ofEpochMilli(dimensionEnds.first()), Instant.ofEpochMilli(dimensionEnds.last()))
                        .setConsistencyLevel(readConsistency))) {
                    stored.computeIfAbsent(dimension + "@" + row.getInstant(0).toEpochMilli(), k -> new HashMap<>())
                            .put(row.getInt(1), new StoredRank(row.getInstant(2).toEpochMilli(), row.getString(3),
                                    row.getBigDecimal(4)));
                }
            }
        });
        long timestamp = System.currentTimeMillis() * 1000;
        int rewritten = 0;
        for (TopNWindow window : windows) {
            Map<Integer, StoredRank> before = stored.getOrDefault(window.dimension() + "@" + window.end(), Map.of());
            if (sameWindow(before, window)) {
                continue;
            }
            LocalDate day = Granularity.day(window.end());
            Instant end = Instant.ofEpochMilli(window.end());
            int size = window.ranking().size();
            // one partition: an unlogged batch applies the window at once
            BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED);
            if (before.keySet().stream().anyMatch(rank -> rank > size)) {
                batch.addStatement(trim.bind(timestamp, window.dimension().label(), day, end, size));
            }
            for (int rank = 1; rank <= size; rank++) {
                Ranked ranked = window.ranking().get(rank - 1);
                batch.addStatement(insert.bind(window.dimension().label(), day, end, rank,
                        Instant.ofEpochMilli(window.start()), ranked.key(), ranked.saleSum(), timestamp));
            }
            session.execute(batch.setConsistencyLevel(writeConsistency).build());
            rewritten++;
        }
        return rewritten;
    }

    private record StoredRank(long start, String key, BigDecimal saleSum) {
    }

    private static boolean sameWindow(Map<Integer, StoredRank> stored, TopNWindow window) {
        if (stored.size() != window.ranking().size()) {
            return false;
        }
        for (int rank = 1; rank <= window.ranking().size(); rank++) {
            StoredRank row = stored.get(rank);
            Ranked ranked = window.ranking().get(rank - 1);
            if (row == null || row.start() != window.start() || !row.key().equals(ranked.key())
                    || row.saleSum().compareTo(ranked.saleSum()) != 0) {
                return false;
            }
        }
        return true;
    }

    private String table(String name) {
        return keyspace + "." + name;
    }

    private static Long longOrNull(Row row, int index) {
        return row.isNull(index) ? null : row.getLong(index);
    }

    /** A rollup's or total's value, its batch time and its value before that batch, from {@link #committedAggregate}. */
    private static final String AGGREGATE_COLUMNS = "event_count, quantity_sum, sale_sum, sale_min, sale_max,"
            + " batch_time, prev_event_count, prev_quantity_sum, prev_sale_sum, prev_sale_min, prev_sale_max";

    /**
     * The row's committed value: its value, or, when a batch that was never committed wrote it (a crash between its
     * writes and its commit), its value before that batch; null where there was none.
     */
    static Aggregate committedAggregate(Row row, int from, AbandonedBatches abandoned) {
        boolean uncommitted = !row.isNull(from + 5) && abandoned.contains(row.getLong(from + 5));
        int at = uncommitted ? from + 6 : from;
        if (row.isNull(at)) {
            return null;
        }
        return new Aggregate(row.getLong(at), row.getLong(at + 1), row.getBigDecimal(at + 2),
                row.getBigDecimal(at + 3), row.getBigDecimal(at + 4));
    }
}
