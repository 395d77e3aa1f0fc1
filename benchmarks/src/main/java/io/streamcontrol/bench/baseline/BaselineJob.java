package io.streamcontrol.bench.baseline;

import static com.datastax.spark.connector.japi.CassandraJavaUtil.javaFunctions;
import static com.datastax.spark.connector.japi.CassandraJavaUtil.mapTupleToRow;
import static com.datastax.spark.connector.japi.CassandraJavaUtil.someColumns;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaReceiverInputDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import scala.Tuple2;

/**
 * The ingest benchmark's baseline: the seed project's job re-created plainly. One {@code socketTextStream} receiver
 * (no write-ahead log, no resume handshake: the generator sends it plain lines from sequence 0), and per batch one
 * {@code saveToCassandra} of the raw lines, keyed by the order_id parsed from the line's first CSV field (lines
 * without one are dropped). No parsing beyond that, no rollups, no state, no checkpoint, the connector's default
 * output settings. Stopped by SIGTERM (the harness sets spark.streaming.stopGracefullyOnShutdown).
 *
 * <p>Arguments: {@code <source host> <source port> <batch interval ms> <keyspace> <table>}; the table
 * ({@link #TABLE_COLUMNS}) must exist. Cassandra's address comes from {@code spark.cassandra.connection.*}.
 */
public final class BaselineJob {

    /** The columns of the baseline's table: {@code order_id bigint PRIMARY KEY, line text}. */
    public static final String TABLE_COLUMNS = "order_id bigint PRIMARY KEY, line text";

    private BaselineJob() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 5) {
            System.err.println("usage: BaselineJob <source host> <source port> <batch interval ms> <keyspace> <table>");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        long batchMillis = Long.parseLong(args[2]);
        String keyspace = args[3];
        String table = args[4];
        SparkConf conf = new SparkConf().setIfMissing("spark.app.name", "ingest-baseline");
        JavaStreamingContext ssc = new JavaStreamingContext(conf, Durations.milliseconds(batchMillis));
        JavaReceiverInputDStream<String> lines = ssc.socketTextStream(host, port);
        lines.foreachRDD(rdd -> javaFunctions(rdd.flatMap(BaselineJob::keyed))
                .writerBuilder(keyspace, table, mapTupleToRow(Long.class, String.class))
                .withColumnSelector(someColumns("order_id", "line"))
                .saveToCassandra());
        ssc.start();
        ssc.awaitTermination();
    }

    private static Iterator<Tuple2<Long, String>> keyed(String line) {
        Long id = orderId(line);
        return id == null ? List.<Tuple2<Long, String>>of().iterator() : List.of(new Tuple2<>(id, line)).iterator();
    }

    /** The order_id of a CSV line: its first field as a long; null when it has none. */
    public static Long orderId(String line) {
        int comma = line.indexOf(',');
        String first = comma < 0 ? line : line.substring(0, comma);
        if (first.isEmpty() || first.length() > 19) {
            return null;
        }
        try {
            return Long.parseLong(first);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
