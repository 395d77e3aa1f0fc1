package io.streamcontrol.job.cassandra;

import static com.datastax.spark.connector.japi.CassandraJavaUtil.javaFunctions;
import static com.datastax.spark.connector.japi.CassandraJavaUtil.someColumns;

import io.streamcontrol.job.event.Granularity;
import io.streamcontrol.job.event.ParsedLine;
import io.streamcontrol.job.event.SalesEvent;
import io.streamcontrol.job.rollup.Aggregate;
import io.streamcontrol.job.rollup.AnalyticsChanges.BucketValue;
import io.streamcontrol.job.rollup.AnalyticsChanges.TopNWindow;
import io.streamcontrol.job.rollup.AnalyticsChanges.TotalValue;
import io.streamcontrol.job.sequence.SourceState;
import java.io.Serializable;
import java.time.Instant;
import org.apache.spark.api.java.JavaRDD;

/**
 * Writes the job's rows through the connector's writer (prepared statements on the executors). Rows that hold whole
 * values carry the batch time as their write timestamp, so an older batch, even one replayed after a crash, can never
 * overwrite what a newer batch wrote.
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

    private static final ColumnWriter<BucketValue> BUCKET = withAggregate(ColumnWriter.<BucketValue>columns()
            .column("dimension", b -> b.cell().dimension().label())
            .column("granularity", b -> b.cell().granularity().label())
            .column("key", b -> b.cell().key())
            .column("period", b -> b.cell().granularity().period(b.cell().start()))
            .column("bucket_start", b -> Instant.ofEpochMilli(b.cell().start())), BucketValue::aggregate);

    private static final ColumnWriter<TotalValue> TOTAL = withAggregate(ColumnWriter.<TotalValue>columns()
            .column("dimension", t -> t.key().dimension().label())
            .column("key", t -> t.key().key()), TotalValue::aggregate);

    private static final ColumnWriter<TopNEntry> TOP_N = ColumnWriter.<TopNEntry>columns()
            .column("dimension", e -> e.window().dimension().label())
            .column("day", e -> Granularity.day(e.window().end()))
            .column("window_end", e -> Instant.ofEpochMilli(e.window().end()))
            .column("rank", TopNEntry::rank)
            .column("window_start", e -> Instant.ofEpochMilli(e.window().start()))
            .column("key", e -> e.window().ranking().get(e.rank() - 1).key())
            .column("sale_sum", e -> e.window().ranking().get(e.rank() - 1).saleSum())
            .build();

    private final String keyspace;
    private final String jobName;

    /** Where a row keeps its aggregate. */
    private interface AggregateOf<T> extends Serializable {
        Aggregate of(T row);
    }

    /** The aggregate columns shared by rollups and running totals. */
    private static <T> ColumnWriter<T> withAggregate(ColumnWriter.Builder<T> key, AggregateOf<T> aggregate) {
        return key
                .column("event_count", row -> aggregate.of(row).count())
                .column("quantity_sum", row -> aggregate.of(row).quantity())
                .column("sale_sum", row -> aggregate.of(row).saleSum())
                .column("sale_min", row -> aggregate.of(row).saleMin())
                .column("sale_max", row -> aggregate.of(row).saleMax())
                .build();
    }

    public CassandraSink(String keyspace, String jobName) {
        this.keyspace = keyspace;
        this.jobName = jobName;
    }

    public void rawEvents(JavaRDD<SalesEvent> events) {
        write(events, Schema.RAW_EVENTS, RAW_EVENT, 0);
    }

    public void rejects(JavaRDD<ParsedLine> rejects) {
        write(rejects, Schema.REJECTS, REJECT, 0);
    }

    public void buckets(JavaRDD<BucketValue> buckets, long batchTimeMillis) {
        write(buckets, Schema.ROLLUPS, BUCKET, batchTimeMillis);
    }

    public void totals(JavaRDD<TotalValue> totals, long batchTimeMillis) {
        write(totals, Schema.RUNNING_TOTALS, TOTAL, batchTimeMillis);
    }

    public void topN(JavaRDD<TopNEntry> entries, long batchTimeMillis) {
        write(entries, Schema.TOP_N, TOP_N, batchTimeMillis);
    }

    public void sources(JavaRDD<SourceState> states, long batchTimeMillis) {
        String job = jobName;
        ColumnWriter<SourceState> writer = ColumnWriter.<SourceState>columns()
                .column("job_name", s -> job)
                .column("source", SourceState::source)
                .column("processed_seq", SourceState::highestSeq)
                .column("max_event_time", s -> s.hasEventTime() ? Instant.ofEpochMilli(s.maxEventTime()) : null)
                .column("accepted", SourceState::accepted)
                .column("rejected_malformed", SourceState::malformed)
                .column("rejected_too_late", SourceState::tooLate)
                .column("duplicates", SourceState::duplicates)
                .build();
        write(states, Schema.SOURCES, writer, batchTimeMillis);
    }

    private <T> void write(JavaRDD<T> rows, String table, ColumnWriter<T> writer, long batchTimeMillis) {
        var builder = javaFunctions(rows).writerBuilder(keyspace, table, writer)
                .withColumnSelector(someColumns(writer.names().toArray(String[]::new)));
        // runs on the driver: a context recovered from a checkpoint would otherwise connect as the run that wrote it
        builder = builder.withConnector(CurrentConnection.orElse(builder.connector));
        if (batchTimeMillis > 0) {
            builder = builder.withConstantTimestamp(batchTimeMillis * 1000);
        }
        builder.saveToCassandra();
    }
}
