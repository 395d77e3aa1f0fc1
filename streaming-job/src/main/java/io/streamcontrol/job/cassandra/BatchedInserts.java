package io.streamcontrol.job.cassandra;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry;
import com.datastax.spark.connector.BytesInBatch;
import com.datastax.spark.connector.cql.CassandraConnector;
import com.datastax.spark.connector.writer.WriteConf;
import com.google.common.util.concurrent.RateLimiter;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Inserts rows of one table with the Cassandra driver, as fast as Cassandra takes them: one prepared INSERT, rows of one
 * partition gathered into unlogged batches ({@link PartitionBatcher}), several batches in flight. The limits are the
 * connector's output settings ({@code spark.cassandra.output.*}: batch size in rows or bytes, grouping buffer,
 * concurrent writes, throughput per core, consistency).
 *
 * <p>The job's rows go this way rather than through the connector's {@code TableWriter}, whose generic conversion of
 * every value (decimals through their text, an immutable statement copied per column) cost about half of the driver's
 * CPU per event in a profile. Built on the driver, it travels to the tasks.
 */
public final class BatchedInserts<T> implements Serializable {

    /**
     * Partitions one batch may carry: Cassandra's default {@code unlogged_batch_across_partitions_warn_threshold}.
     * Above it every batch costs a warning on the server and one logged, with the whole batch, by the driver.
     */
    static final int PARTITIONS_PER_BATCH = 10;

    /** How rows are batched and sent, from the connector's output settings. */
    public record Limits(int batchRows, int batchBytes, int groupingBuffer, int inFlight, double bytesPerSecond,
            ConsistencyLevel consistency) implements Serializable {

        public static Limits of(WriteConf conf) {
            boolean bytes = conf.batchSize() instanceof BytesInBatch;
            int size = bytes ? ((BytesInBatch) conf.batchSize()).batchSize()
                    : ((com.datastax.spark.connector.RowsInBatch) conf.batchSize()).batchSize();
            double mib = conf.throughputMiBPS().isDefined() ? ((Number) conf.throughputMiBPS().get()).doubleValue() : 0;
            return new Limits(bytes ? 0 : size, bytes ? size : 0, conf.batchGroupingBufferSize(),
                    conf.parallelismLevel(), mib * 1024 * 1024, conf.consistencyLevel());
        }

        /** These limits with batches of {@code rows} rows. */
        public Limits withBatchRows(int rows) {
            return new Limits(rows, 0, groupingBuffer, inFlight, bytesPerSecond, consistency);
        }
    }

    private final CassandraConnector connector;
    private final String insert;
    private final String keyspace;
    private final ColumnWriter<T> columns;
    private final Limits limits;

    public BatchedInserts(CassandraConnector connector, String keyspace, String table, ColumnWriter<T> columns,
            Limits limits) {
        this.connector = connector;
        this.keyspace = keyspace;
        this.columns = columns;
        this.limits = limits;
        this.insert = "INSERT INTO " + keyspace + "." + table + " (" + String.join(", ", columns.names())
                + ") VALUES (" + String.join(", ", columns.names().stream().map(c -> "?").toList()) + ")";
    }

    /** Inserts every row, and returns once all are written; throws what a write failed with (after its retries). */
    public void write(Iterator<T> rows) {
        write(rows, null);
    }

    /** {@link #write(Iterator)} with {@code timestampMicros} as every row's write timestamp. */
    public void writeAt(Iterator<T> rows, long timestampMicros) {
        write(rows, timestampMicros);
    }

    private void write(Iterator<T> rows, Long timestampMicros) {
        if (!rows.hasNext()) {
            return;
        }
        try (CqlSession session = connector.openSession()) {
            // the driver keeps prepared statements: one round trip per session
            PreparedStatement prepared = session.prepare(timestampMicros == null ? insert
                    : insert + " USING TIMESTAMP ?");
            Binder binder = new Binder(prepared, session.getContext().getCodecRegistry(), timestampMicros);
            Sender sender = new Sender(session);
            PartitionBatcher<BoundStatement> batcher = new PartitionBatcher<>(
                    limits.batchRows() > 0 ? limits.batchRows() : limits.batchBytes(), PARTITIONS_PER_BATCH,
                    limits.batchRows() > 0 ? row -> 1 : BatchedInserts::bytesOf,
                    limits.groupingBuffer(), replicaSets(session), sender::send);
            while (rows.hasNext()) {
                BoundStatement row = binder.bind(rows.next());
                batcher.add(row.getRoutingKey(), row);
            }
            batcher.flush();
            sender.awaitAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + insert, e);
        }
    }

    /** Which nodes own a partition (its routing key); all the same where the driver has no token map. */
    private Function<Object, Object> replicaSets(CqlSession session) {
        Optional<TokenMap> tokens = session.getMetadata().getTokenMap();
        return partition -> tokens.<Object>map(t -> t.getReplicas(keyspace, (ByteBuffer) partition)).orElse("all");
    }

    private static int bytesOf(BoundStatement row) {
        int bytes = 0;
        for (ByteBuffer value : row.getValues()) {
            bytes += value == null ? 0 : value.remaining();
        }
        return bytes;
    }

    /**
     * Binds rows to the insert, each column's codec looked up once per value class. A null leaves its column unset:
     * the row is written without it, never with a tombstone.
     */
    private final class Binder {
        private final PreparedStatement prepared;
        private final CodecRegistry codecs;
        private final Long timestampMicros;
        private final TypeCodec<Object>[] columnCodecs;
        /** The value class each column's codec was looked up for (asking the codec costs a type resolution). */
        private final Class<?>[] codecClasses;
        private final Object[] values;

        @SuppressWarnings("unchecked")
        Binder(PreparedStatement prepared, CodecRegistry codecs, Long timestampMicros) {
            this.prepared = prepared;
            this.codecs = codecs;
            this.timestampMicros = timestampMicros;
            this.columnCodecs = new TypeCodec[columns.names().size()];
            this.codecClasses = new Class<?>[columnCodecs.length];
            this.values = new Object[columnCodecs.length];
        }

        BoundStatement bind(T row) {
            columns.values(row, values);
            BoundStatementBuilder bound = prepared.boundStatementBuilder();
            for (int i = 0; i < values.length; i++) {
                Object value = values[i];
                if (value != null) {
                    bound = bound.set(i, value, codecOf(i, value));
                }
            }
            if (timestampMicros != null) {
                bound = bound.setLong(values.length, timestampMicros);
            }
            return bound.build();
        }

        private TypeCodec<Object> codecOf(int column, Object value) {
            if (codecClasses[column] != value.getClass()) {
                columnCodecs[column] = codecs.codecFor(prepared.getVariableDefinitions().get(column).getType(), value);
                codecClasses[column] = value.getClass();
            }
            return columnCodecs[column];
        }
    }

    /** Sends batches asynchronously, at most {@link Limits#inFlight} at a time; remembers the first failure. */
    private final class Sender {
        private final CqlSession session;
        private final Semaphore inFlight = new Semaphore(limits.inFlight());
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final RateLimiter throughput = limits.bytesPerSecond() > 0 ? RateLimiter.create(limits.bytesPerSecond())
                : null;

        Sender(CqlSession session) {
            this.session = session;
        }

        void send(List<BoundStatement> rows) {
            Statement<?> statement = rows.size() == 1 ? rows.get(0)
                    : BatchStatement.newInstance(DefaultBatchType.UNLOGGED, rows.toArray(new BatchableStatement<?>[0]));
            statement = statement.setConsistencyLevel(limits.consistency()).setIdempotent(true);
            if (throughput != null) {
                throughput.acquire(Math.max(1, rows.stream().mapToInt(BatchedInserts::bytesOf).sum()));
            }
            failIfFailed();
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing to " + insert, e);
            }
            session.executeAsync(statement).whenComplete((result, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
                inFlight.release();
            });
        }

        void awaitAll() throws InterruptedException {
            inFlight.acquire(limits.inFlight());
            inFlight.release(limits.inFlight());
            failIfFailed();
        }

        private void failIfFailed() {
            Throwable error = failure.get();
            if (error != null) {
                throw new IllegalStateException("writing to " + insert + " failed: " + error, error);
            }
        }
    }
}
