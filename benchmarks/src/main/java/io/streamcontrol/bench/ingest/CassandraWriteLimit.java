package io.streamcontrol.bench.ingest;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import io.streamcontrol.contract.events.SalesEvent;
import io.streamcontrol.contract.rollups.Granularity;
import io.streamcontrol.contract.tables.Schema;
import io.streamcontrol.generator.GeneratorSettings;
import io.streamcontrol.generator.SalesEventSource;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;

/**
 * How many of the job's raw_events rows Cassandra alone takes per second from this machine, without Spark: the
 * ceiling the job's sustained rate is compared with. The rows are the generator's events, generated before timing.
 */
final class CassandraWriteLimit {

    /** Distinct events generated up front; reused under new order_ids, so every write is a new row. */
    static final int ROW_POOL = 200_000;
    static final int SINGLE_ROWS_IN_FLIGHT = 512;
    static final int BATCHES_IN_FLIGHT = 32;
    static final int ROWS_PER_BATCH = 40;
    /** The pool's order_times are spaced as the generator spaces them at this rate. */
    static final int POOL_EVENT_RATE = 30_000;
    private static final long MINUTE_NANOS = 60_000_000_000L;
    static final String SINGLE = "async single-row INSERTs";
    /** The write limit the job is compared with: what the job's raw rows would take from a client doing it right. */
    static final String BATCHED = "async unlogged batches by partition";

    /** One method's measurement; {@code rowsByMinute}: rows completed in each whole minute of it. */
    record Result(String method, int inFlight, double rowsPerBatch, long rows, Duration measured, long failures,
            String firstFailure, List<Long> rowsByMinute) {
        double rowsPerSecond() {
            return rows / (measured.toNanos() / 1e9);
        }
    }

    private final CqlSession session;
    private final String keyspace;
    /** Distinct products among the rows: how many raw_events partitions a day of them spreads over. */
    private final int products;
    /** Statements are built on one thread only. */
    private long nextOrderId;

    CassandraWriteLimit(CqlSession session, String keyspace, int products) {
        this.session = session;
        this.keyspace = keyspace;
        this.products = products;
    }

    /**
     * Warms Cassandra up with both methods for {@code warmup} each, then measures each for {@code time}: measured
     * right after startup, the first method would otherwise pay for the server's JIT compilation.
     */
    List<Result> measure(Duration warmup, Duration time) throws InterruptedException {
        Writes writes = prepare();
        run(SINGLE, SINGLE_ROWS_IN_FLIGHT, 1, warmup, writes.singleRow);
        run(BATCHED, BATCHES_IN_FLIGHT, writes.rowsPerBatch, warmup, writes.partitionBatch);
        return List.of(run(SINGLE, SINGLE_ROWS_IN_FLIGHT, 1, time, writes.singleRow),
                run(BATCHED, BATCHES_IN_FLIGHT, writes.rowsPerBatch, time, writes.partitionBatch));
    }

    /**
     * The batched method alone for {@code time} into an empty table, as long as a job's window: the table's memtable
     * flushes and compactions then weigh on it as they weigh on the job, which a short measurement leaves out. Call it
     * on a Cassandra that has written for a while (its JIT compiled).
     */
    Result sustained(Duration time) throws InterruptedException {
        Writes writes = prepare();
        return run(BATCHED, BATCHES_IN_FLIGHT, writes.rowsPerBatch, time, writes.partitionBatch);
    }

    /** The two ways of writing the pool's rows, statement {@code i} at a time. */
    private record Writes(LongFunction<Statement<?>> singleRow, LongFunction<Statement<?>> partitionBatch,
            double rowsPerBatch) {
    }

    private Writes prepare() {
        for (String statement : Schema.statements(keyspace, 1)) {
            session.execute(statement);
        }
        List<SalesEvent> pool = generateRows(products);
        PreparedStatement insert = session.prepare("INSERT INTO " + keyspace + "." + Schema.RAW_EVENTS
                + " (product_key, day, order_time, order_id, quantity, discount_pct, rate, sale_amount, customer_name,"
                + " state, region, profit_margin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        List<int[]> batches = groupByPartition(pool);
        LongFunction<Statement<?>> singleRow = i -> bind(insert, pool.get((int) (i % pool.size())));
        LongFunction<Statement<?>> partitionBatch = i -> {
            int[] members = batches.get((int) (i % batches.size()));
            List<BatchableStatement<?>> rows = new ArrayList<>(members.length);
            for (int member : members) {
                rows.add(bind(insert, pool.get(member)));
            }
            return BatchStatement.newInstance(DefaultBatchType.UNLOGGED, rows);
        };
        return new Writes(singleRow, partitionBatch, pool.size() / (double) batches.size());
    }

    private static List<SalesEvent> generateRows(int products) {
        SalesEventSource source = new SalesEventSource(GeneratorSettings.builder()
                .rate(POOL_EVENT_RATE)
                .products(products)
                .malformedShare(0).lateShare(0).veryLateShare(0)
                .startTime(Instant.now())
                .build());
        List<SalesEvent> pool = new ArrayList<>(ROW_POOL);
        for (long n = 0; n < ROW_POOL; n++) {
            pool.add(source.line(n).event());
        }
        return pool;
    }

    /** The event as a raw_events row under a new order_id, so that no write overwrites an earlier one. */
    private BoundStatement bind(PreparedStatement insert, SalesEvent e) {
        LocalDate day = Granularity.day(e.orderTime().toEpochMilli());
        return insert.bind(e.productKey(), day, e.orderTime(), nextOrderId++, e.quantity(), e.discountPct(), e.rate(),
                e.saleAmount(), e.customerName(), e.state(), e.region(), e.profitMargin())
                .setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM);
    }

    /** Pool indexes in batches of up to {@link #ROWS_PER_BATCH} rows of one partition (product_key, day). */
    static List<int[]> groupByPartition(List<SalesEvent> pool) {
        List<int[]> batches = new ArrayList<>();
        Map<String, List<Integer>> open = new HashMap<>();
        for (int i = 0; i < pool.size(); i++) {
            SalesEvent e = pool.get(i);
            String partition = e.productKey() + "|" + Granularity.day(e.orderTime().toEpochMilli());
            List<Integer> members = open.computeIfAbsent(partition, p -> new ArrayList<>());
            members.add(i);
            if (members.size() == ROWS_PER_BATCH) {
                batches.add(members.stream().mapToInt(Integer::intValue).toArray());
                members.clear();
            }
        }
        open.values().stream().filter(m -> !m.isEmpty())
                .forEach(m -> batches.add(m.stream().mapToInt(Integer::intValue).toArray()));
        return batches;
    }

    /** Issues statement 0, 1, 2, ... for {@code time}, asynchronously, with at most {@code inFlight} outstanding. */
    private Result run(String method, int inFlight, double rowsPerStatement, Duration time,
            LongFunction<Statement<?>> statement) throws InterruptedException {
        Semaphore permits = new Semaphore(inFlight);
        AtomicLong rowsDone = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        AtomicReference<String> firstFailure = new AtomicReference<>("");
        List<Long> rowsByMinute = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + time.toNanos();
        long nextMinute = start + MINUTE_NANOS;
        long rowsAtLastMinute = 0;
        for (long i = 0; ; i++) {
            long now = System.nanoTime();
            if (now >= nextMinute) {
                long rowsNow = rowsDone.get();
                rowsByMinute.add(rowsNow - rowsAtLastMinute);
                rowsAtLastMinute = rowsNow;
                nextMinute += MINUTE_NANOS;
            }
            if (now >= end) {
                break;
            }
            permits.acquire();
            Statement<?> next = statement.apply(i);
            int rows = next instanceof BatchStatement batch ? batch.size() : 1;
            session.executeAsync(next).whenComplete((result, error) -> {
                if (error == null) {
                    rowsDone.addAndGet(rows);
                } else if (failures.getAndIncrement() == 0) {
                    firstFailure.set(error.toString());
                }
                permits.release();
            });
        }
        // rows completed within the time; the writes still outstanding finish before the next method starts
        long rows = rowsDone.get();
        Duration measured = Duration.ofNanos(System.nanoTime() - start);
        permits.acquire(inFlight);
        permits.release(inFlight);
        return new Result(method, inFlight, rowsPerStatement, rows, measured, failures.get(), firstFailure.get(),
                List.copyOf(rowsByMinute));
    }
}
