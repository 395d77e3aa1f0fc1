package io.streamcontrol.job.cassandra;

import com.datastax.spark.connector.cql.CassandraConnector;

/**
 * The Cassandra connection of this driver process, built at its start from the current settings and environment.
 *
 * <p>A checkpoint holds the connection of the run that wrote it: in the Spark configuration of the recovered context
 * (which the connector's writers would read) and in the receivers. A driver recovering from a checkpoint uses this one
 * instead, so changed contact points or credentials (a rotated password) take effect at the next start instead of
 * locking the job out of its own checkpoint. Set on the driver only; executors get the connection inside the tasks
 * and receivers the driver sends them.
 */
public final class CurrentConnection {

    private static volatile CassandraConnector current;

    private CurrentConnection() {
    }

    /** Called once by the driver before it creates or recovers its streaming context. */
    public static void set(CassandraConnector connector) {
        current = connector;
    }

    /** This driver's connection; only where {@link #set} was called. */
    public static CassandraConnector get() {
        CassandraConnector connector = current;
        if (connector == null) {
            throw new IllegalStateException("no current Cassandra connection: set by the driver at its start");
        }
        return connector;
    }

    /** This driver's connection, or {@code otherwise} where there is none (an executor in its own JVM). */
    public static CassandraConnector orElse(CassandraConnector otherwise) {
        CassandraConnector connector = current;
        return connector != null ? connector : otherwise;
    }
}
