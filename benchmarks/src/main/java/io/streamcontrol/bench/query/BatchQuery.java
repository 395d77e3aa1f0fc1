package io.streamcontrol.bench.query;

import com.datastax.spark.connector.cql.CassandraConnector;
import io.streamcontrol.contract.tables.Schema;
import io.streamcontrol.testkit.AcceptedLines;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The batch way, as a nightly report computes it: a Spark SQL aggregation over the job's whole {@code raw_events}
 * table, read through the spark-cassandra-connector, in this JVM (local mode, every core). The answer is the one of
 * the REST rollup series of one product at hour granularity.
 */
final class BatchQuery implements AutoCloseable {

    /** The hourly rollup series of one product, from the raw events (UTC buckets, like the job's). */
    static final String HOURLY_SERIES = """
            SELECT date_trunc('HOUR', order_time) AS bucket_start, count(*) AS event_count,
                   sum(quantity) AS quantity_sum, sum(sale_amount) AS sale_amount_sum,
                   min(sale_amount) AS sale_amount_min, max(sale_amount) AS sale_amount_max
            FROM raw_events
            WHERE product_key = :product AND order_time >= :from AND order_time < :to
            GROUP BY date_trunc('HOUR', order_time)
            ORDER BY bucket_start""";

    /** One execution: wall time from submitting the SQL to having every row, and the buckets it found. */
    record Run(long millis, Map<Instant, String> buckets) {
    }

    private final SparkSession spark;
    private final long startMillis;

    private BatchQuery(SparkSession spark, long startMillis) {
        this.spark = spark;
        this.startMillis = startMillis;
    }

    /** Starts a local SparkSession reading {@code keyspace.raw_events} of the Cassandra at host:port. */
    static BatchQuery start(String host, int port, String keyspace) {
        long started = System.nanoTime();
        SparkSession spark = SparkSession.builder()
                .appName("query-benchmark-batch")
                .master("local[*]")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.cassandra.connection.host", host)
                .config("spark.cassandra.connection.port", String.valueOf(port))
                .config("spark.cassandra.connection.localDC", "datacenter1")
                .getOrCreate();
        spark.read().format("org.apache.spark.sql.cassandra")
                .option("keyspace", keyspace).option("table", Schema.RAW_EVENTS)
                .load().createOrReplaceTempView(Schema.RAW_EVENTS);
        return new BatchQuery(spark, (System.nanoTime() - started) / 1_000_000);
    }

    /** Building the session and registering the table (nothing read yet). */
    long startMillis() {
        return startMillis;
    }

    int cores() {
        return spark.sparkContext().defaultParallelism();
    }

    /** Runs {@link #HOURLY_SERIES}: the buckets of {@code product} starting in [from, to). */
    Run hourlySeries(String product, Instant from, Instant to) {
        long started = System.nanoTime();
        List<Row> rows = spark.sql(HOURLY_SERIES, Map.<String, Object>of("product", product, "from", from, "to", to))
                .collectAsList();
        long millis = (System.nanoTime() - started) / 1_000_000;
        Map<Instant, String> buckets = new TreeMap<>();
        for (Row r : rows) {
            buckets.put(r.getTimestamp(0).toInstant(), AcceptedLines.aggregateText(r.getLong(1), r.getLong(2),
                    r.getDecimal(3), r.getDecimal(4), r.getDecimal(5)));
        }
        return new Run(millis, buckets);
    }

    /** Stops the session and closes the connector's cached Cassandra sessions (they would outlive it for seconds). */
    @Override
    public void close() {
        spark.stop();
        CassandraConnector.evictCache();
    }
}
