package io.streamcontrol.job.cassandra;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.spark.connector.writer.WriteConf;
import io.streamcontrol.contract.events.SalesEvent;
import io.streamcontrol.contract.rollups.Granularity;
import io.streamcontrol.contract.tables.Schema;
import io.streamcontrol.job.event.ParsedLine;
import io.streamcontrol.job.rollup.Aggregate;
import io.streamcontrol.job.rollup.AnalyticsChanges;
import io.streamcontrol.job.rollup.AnalyticsChanges.BucketValue;
import io.streamcontrol.job.rollup.AnalyticsChanges.TopNWindow;
import io.streamcontrol.job.rollup.AnalyticsChanges.TotalValue;
import io.streamcontrol.job.sequence.SourceState;
import java.io.Serializable;
import java.time.Instant;
import java.util.Collection;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;

/**
 * Writes the job's rows: raw events and rejects inside the tasks that read them ({@link BatchedInserts}: unlogged
 * batches of a partition's rows, several in flight, as the connector's {@code spark.cassandra.output.*} settings say);
 * the rollups a batch changed by the driver, in unlogged batches of up to 10 partitions; the commit, one logged batch
 * of the {@code sources} partition, by the driver after everything else.
 *
 * <p>Rollups, totals and top-N windows carry the batch's write time (when it was processed: it grows from batch to batch
 * and from run to run) as their write timestamp, so an older batch can never overwrite what a newer one wrote. Rollups
 * and totals also keep it ({@code batch_time}) with their value before the batch ({@code prev_*}): a start after a
 * crash takes the previous value of every row a batch that was never committed wrote.
 */
public final class CassandraSink implements Serializable {

    /** One ranked entry of a top-N window: the rows of the top_n table. */
    public record TopNEntry(TopNWindow window, int rank) implements Serializable {
    }

    private static final ColumnWriter<SalesEvent> RAW_EVENT = ColumnWriter.<SalesEvent>columns()
            .column("product_key", SalesEvent::productKey)
            .column("day", e -> Granularity.day(e.orderTime().toEpochMilli()))
            .column("order_time", SalesEvent::orderTime)
            .column("order_id", SalesEvent::orderId)
            .column("quantity", SalesEvent::quantity)
            .column("discount_pct", SalesEvent::discountPct)
            .column("rate", SalesEvent::rate)
            .column("sale_amount", SalesEvent::saleAmount)
            .column("customer_name", SalesEvent::customerName)
            .column("state", SalesEvent::state)
            .column("region", SalesEvent::region)
            .column("profit_margin", SalesEvent::profitMargin)
            .build();

    private static final ColumnWriter<ParsedLine> REJECT = ColumnWriter.<ParsedLine>columns()
            .column("day", l -> Granularity.day(l.receivedAt()))
            .column("source", ParsedLine::source)
            .column("seq", ParsedLine::seq)
            .column("received_at", l -> Instant.ofEpochMilli(l.receivedAt()))
            .column("reason", ParsedLine::rejectReason)
            .column("line", ParsedLine::line)
            .build();

    private static final int CHANGES_PER_BATCH = 10;

    private final String keyspace;
    private final String jobName;

    public CassandraSink(String keyspace, String jobName) {
        this.keyspace = keyspace;
        this.jobName = jobName;
    }

    /** The writer of raw events, for the tasks that read them. */
    public BatchedInserts<SalesEvent> rawEventWriter(SparkConf conf) {
        return inserts(Schema.RAW_EVENTS, RAW_EVENT, conf);
    }

    /** The writer of rejected lines, for the tasks that read them. */
    public BatchedInserts<ParsedLine> rejectWriter(SparkConf conf) {
        return inserts(Schema.REJECTS, REJECT, conf);
    }

    private <T> BatchedInserts<T> inserts(String table, ColumnWriter<T> columns, SparkConf conf) {
        return inserts(table, columns, BatchedInserts.Limits.of(WriteConf.fromSparkConf(conf)));
    }

    private <T> BatchedInserts<T> inserts(String table, ColumnWriter<T> columns, BatchedInserts.Limits limits) {
        return new BatchedInserts<>(CurrentConnection.get(), keyspace, table, columns, limits);
    }

    /**
     * Writes what a batch changed (rollup buckets, running totals, top-N windows), timestamped with the batch's write
     * time. Their rows belong to many small partitions: batches carry several partitions of one replica set, up to the
     * number above which Cassandra warns of a batch across partitions (unlogged_batch_across_partitions_warn_threshold).
     */
    public void changes(SparkConf conf, AnalyticsChanges changes, long batchTimeMillis) {
        BatchedInserts.Limits limits = BatchedInserts.Limits.of(WriteConf.fromSparkConf(conf))
                .withBatchRows(CHANGES_PER_BATCH);
        long timestamp = batchTimeMillis * 1000;
        inserts(Schema.ROLLUPS, bucketWriter(batchTimeMillis), limits).writeAt(changes.buckets().iterator(), timestamp);
        inserts(Schema.RUNNING_TOTALS, totalWriter(batchTimeMillis), limits)
                .writeAt(changes.totals().iterator(), timestamp);
        inserts(Schema.TOP_N, TOP_N, limits).writeAt(changes.windows().stream()
                .flatMap(w -> IntStream.rangeClosed(1, w.ranking().size()).mapToObj(rank -> new TopNEntry(w, rank)))
                .iterator(), timestamp);
    }

    /**
     * The commit of a batch: every source's marks, with the batch's write time, in one logged batch of one partition
     * (applied whole or not at all). Written last: a batch without it did not happen.
     */
    public void commit(CqlSession session, Collection<SourceState> sources, long batchTimeMillis,
            String consistency) {
        PreparedStatement update = session.prepare("UPDATE " + keyspace + "." + Schema.SOURCES
                + " USING TIMESTAMP ? SET processed_seq = ?, max_event_time = ?, accepted = ?, rejected_malformed = ?,"
                + " rejected_too_late = ?, duplicates = ?, batch_time = ? WHERE job_name = ? AND source = ?");
        BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.LOGGED);
        for (SourceState s : sources) {
            batch.addStatement(update.bind(batchTimeMillis * 1000, s.highestSeq(),
                    s.hasEventTime() ? Instant.ofEpochMilli(s.maxEventTime()) : null, s.accepted(), s.malformed(),
                    s.tooLate(), s.duplicates(), batchTimeMillis, jobName, s.source()));
        }
        ConsistencyLevel level = DefaultConsistencyLevel.valueOf(consistency);
        session.execute(batch.setConsistencyLevel(level).build());
    }

    private static ColumnWriter<BucketValue> bucketWriter(long batchTime) {
        return withAggregates(ColumnWriter.<BucketValue>columns()
                .column("dimension", b -> b.cell().dimension().label())
                .column("granularity", b -> b.cell().granularity().label())
                .column("key", b -> b.cell().key())
                .column("period", b -> b.cell().granularity().period(b.cell().start()))
                .column("bucket_start", b -> Instant.ofEpochMilli(b.cell().start())),
                BucketValue::aggregate, BucketValue::previous, batchTime);
    }

    private static ColumnWriter<TotalValue> totalWriter(long batchTime) {
        return withAggregates(ColumnWriter.<TotalValue>columns()
                .column("dimension", t -> t.key().dimension().label())
                .column("key", t -> t.key().key()),
                TotalValue::aggregate, TotalValue::previous, batchTime);
    }

    private static final ColumnWriter<TopNEntry> TOP_N = ColumnWriter.<TopNEntry>columns()
            .column("dimension", e -> e.window().dimension().label())
            .column("day", e -> Granularity.day(e.window().end()))
            .column("window_end", e -> Instant.ofEpochMilli(e.window().end()))
            .column("rank", TopNEntry::rank)
            .column("window_start", e -> Instant.ofEpochMilli(e.window().start()))
            .column("key", e -> e.window().ranking().get(e.rank() - 1).key())
            .column("sale_sum", e -> e.window().ranking().get(e.rank() - 1).saleSum())
            .build();

    /** Where a row keeps an aggregate. */
    private interface AggregateOf<T> extends Function<T, Aggregate>, Serializable {
    }

    /** The aggregate columns of rollups and running totals: the value, the batch time and the value before it. */
    private static <T> ColumnWriter<T> withAggregates(ColumnWriter.Builder<T> key, AggregateOf<T> value,
            AggregateOf<T> previous, long batchTime) {
        return key
                .column("event_count", row -> value.apply(row).count())
                .column("quantity_sum", row -> value.apply(row).quantity())
                .column("sale_sum", row -> value.apply(row).saleSum())
                .column("sale_min", row -> value.apply(row).saleMin())
                .column("sale_max", row -> value.apply(row).saleMax())
                .column("batch_time", row -> batchTime)
                .column("prev_event_count", row -> previous.apply(row) == null ? null : previous.apply(row).count())
                .column("prev_quantity_sum", row -> previous.apply(row) == null ? null
                        : previous.apply(row).quantity())
                .column("prev_sale_sum", row -> previous.apply(row) == null ? null : previous.apply(row).saleSum())
                .column("prev_sale_min", row -> previous.apply(row) == null ? null : previous.apply(row).saleMin())
                .column("prev_sale_max", row -> previous.apply(row) == null ? null : previous.apply(row).saleMax())
                .build();
    }
}
