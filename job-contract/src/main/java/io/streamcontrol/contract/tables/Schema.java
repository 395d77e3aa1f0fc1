package io.streamcontrol.contract.tables;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import io.streamcontrol.contract.settings.Replication;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The job's tables. Every query the product serves reads one partition:
 * <ul>
 *   <li>{@code raw_events}: one product's events of one day, newest first; keyed by order_id so a replay rewrites
 *   the same row;</li>
 *   <li>{@code rollups}: one key's buckets of one granularity, partitioned by period (minute buckets by day, hour
 *   buckets by month, day buckets by year);</li>
 *   <li>{@code running_totals}: every key of a dimension since the job's first start;</li>
 *   <li>{@code top_n}: the ranked windows of a dimension ending on one day, newest first;</li>
 *   <li>{@code rejects}: the rejected lines received on one day;</li>
 *   <li>{@code sources}: per source partition, what the job committed (the last sequence, the marks and counts, the
 *   batch time) and what the receiver had read when it drained for a stop;</li>
 *   <li>{@code abandoned_batches}: intervals of batch times that no commit covers (recorded by each start: from the
 *   last commit to its first batch); rows such batches wrote count at their value before them;</li>
 *   <li>{@code stop_requests}: a graceful stop asked of a running job, and whether its driver is draining;</li>
 *   <li>{@code drivers}: the job's current (or last) driver: launch id, application id, pid, host, UI, start,
 *   heartbeat and clean stop times (see {@code io.streamcontrol.contract.tables.DriverTable}).</li>
 * </ul>
 */
public final class Schema {

    public static final String RAW_EVENTS = "raw_events";
    public static final String ROLLUPS = "rollups";
    public static final String RUNNING_TOTALS = "running_totals";
    public static final String TOP_N = "top_n";
    public static final String REJECTS = "rejects";
    public static final String SOURCES = "sources";
    public static final String STOP_REQUESTS = "stop_requests";
    public static final String DRIVERS = "drivers";
    public static final String ABANDONED_BATCHES = "abandoned_batches";
    public static final String STANDBY_DRIVERS = "standby_drivers";
    static final List<String> TABLES = List.of(RAW_EVENTS, ROLLUPS, RUNNING_TOTALS, TOP_N, REJECTS, SOURCES,
            STOP_REQUESTS, DRIVERS, ABANDONED_BATCHES, STANDBY_DRIVERS);

    /**
     * The batch that wrote a rollup or total (its batch time, epoch ms) and the row's value before that batch: a start
     * after a crash takes that value for rows written after the last commit (see {@code io.streamcontrol.job.seed}).
     */
    private static final String UNDO_COLUMNS = " batch_time bigint, prev_event_count bigint, prev_quantity_sum bigint,"
            + " prev_sale_sum decimal, prev_sale_min decimal, prev_sale_max decimal";

    /** Columns added to tables after their first release: added to existing tables at the job's start. */
    public static final Map<String, List<String>> ADDED_COLUMNS = Map.of(
            ROLLUPS, undoColumns(),
            RUNNING_TOTALS, undoColumns(),
            SOURCES, List.of("batch_time bigint"),
            STOP_REQUESTS, List.of("restart_with list<text>"));

    private Schema() {
    }

    private static List<String> undoColumns() {
        return Arrays.stream(UNDO_COLUMNS.split(",")).map(String::trim).toList();
    }

    /**
     * Creates the keyspace and tables where missing, and adds the columns later versions added to existing tables (a
     * job's keyspace outlives the version that created it). Schema changes are slow (each waits for the cluster to
     * agree), so nothing is sent when the session's metadata shows everything there.
     */
    public static void create(CqlSession session, String keyspace, Replication replication) {
        KeyspaceMetadata tables = session.getMetadata().getKeyspace(keyspace).filter(Schema::hasEveryTable)
                .orElseGet(() -> {
                    statements(keyspace, replication).forEach(session::execute);
                    return session.refreshSchema().getKeyspace(keyspace).orElseThrow();
                });
        ADDED_COLUMNS.forEach((table, columns) -> {
            TableMetadata columnsNow = tables.getTable(table).orElseThrow();
            for (String column : columns) {
                if (columnsNow.getColumn(column.substring(0, column.indexOf(' '))).isEmpty()) {
                    session.execute("ALTER TABLE " + keyspace + "." + table + " ADD " + column);
                }
            }
        });
    }

    private static boolean hasEveryTable(KeyspaceMetadata keyspace) {
        return TABLES.stream().allMatch(table -> keyspace.getTable(table).isPresent());
    }

    /** The statements that create the keyspace (SimpleStrategy with this replication factor) and the tables. */
    public static List<String> statements(String keyspace, int replicationFactor) {
        return statements(keyspace, Replication.simple(replicationFactor));
    }

    /** The statements that create the keyspace, replicated as given, and the tables; each one if not there yet. */
    public static List<String> statements(String keyspace, Replication replication) {
        String ks = keyspace + ".";
        return List.of(
                "CREATE KEYSPACE IF NOT EXISTS " + keyspace + " WITH replication = " + replication.cql(),
                "CREATE TABLE IF NOT EXISTS " + ks + RAW_EVENTS + " ("
                        + "product_key text, day date, order_time timestamp, order_id bigint, quantity int,"
                        + " discount_pct decimal, rate decimal, sale_amount decimal, customer_name text, state text,"
                        + " region text, profit_margin decimal,"
                        + " PRIMARY KEY ((product_key, day), order_time, order_id))"
                        + " WITH CLUSTERING ORDER BY (order_time DESC, order_id DESC)",
                "CREATE TABLE IF NOT EXISTS " + ks + ROLLUPS + " ("
                        + "dimension text, granularity text, key text, period date, bucket_start timestamp,"
                        + " event_count bigint, quantity_sum bigint, sale_sum decimal, sale_min decimal, sale_max decimal,"
                        + UNDO_COLUMNS + ","
                        + " PRIMARY KEY ((dimension, granularity, key, period), bucket_start))"
                        + " WITH CLUSTERING ORDER BY (bucket_start DESC)",
                "CREATE TABLE IF NOT EXISTS " + ks + RUNNING_TOTALS + " ("
                        + "dimension text, key text, event_count bigint, quantity_sum bigint, sale_sum decimal,"
                        + " sale_min decimal, sale_max decimal," + UNDO_COLUMNS + ","
                        + " PRIMARY KEY ((dimension), key))",
                "CREATE TABLE IF NOT EXISTS " + ks + TOP_N + " ("
                        + "dimension text, day date, window_end timestamp, rank int, window_start timestamp, key text,"
                        + " sale_sum decimal,"
                        + " PRIMARY KEY ((dimension, day), window_end, rank))"
                        + " WITH CLUSTERING ORDER BY (window_end DESC, rank ASC)",
                "CREATE TABLE IF NOT EXISTS " + ks + REJECTS + " ("
                        + "day date, source int, seq bigint, received_at timestamp, reason text, line text,"
                        + " PRIMARY KEY ((day), source, seq))",
                "CREATE TABLE IF NOT EXISTS " + ks + SOURCES + " ("
                        + "job_name text, source int, last_stored_seq bigint, processed_seq bigint,"
                        + " max_event_time timestamp, accepted bigint, rejected_malformed bigint,"
                        + " rejected_too_late bigint, duplicates bigint, drained_at timestamp, batch_time bigint,"
                        + " PRIMARY KEY ((job_name), source))",
                "CREATE TABLE IF NOT EXISTS " + ks + STOP_REQUESTS + " ("
                        + "job_name text PRIMARY KEY, requested_at timestamp, draining_since timestamp, restart_with list<text>)",
                "CREATE TABLE IF NOT EXISTS " + ks + ABANDONED_BATCHES + " ("
                        + "job_name text, after_batch_time bigint, before_batch_time bigint,"
                        + " PRIMARY KEY ((job_name), after_batch_time))",
                "CREATE TABLE IF NOT EXISTS " + ks + DRIVERS + " ("
                        + "job_name text PRIMARY KEY, launch_id text, app_id text, pid bigint, host text, ui_url text,"
                        + " started_at timestamp, heartbeat_at timestamp, stopped_at timestamp)",
                "CREATE TABLE IF NOT EXISTS " + ks + STANDBY_DRIVERS + " ("
                        + "job_name text, launch_id text, ready_at timestamp, start_with list<text>, started_at timestamp,"
                        + " PRIMARY KEY ((job_name), launch_id))");
    }
}
