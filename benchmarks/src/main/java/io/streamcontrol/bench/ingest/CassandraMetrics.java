package io.streamcontrol.bench.ingest;

import java.io.IOException;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Cassandra's own request counters, read over its local-only JMX port (LocalCassandra's {@code jmxPort}, no
 * nodetool needed): how many CQL write requests the node coordinated (a single INSERT and a whole batch count one
 * each), how many of them wrote a given table, and how many partition updates that table applied; and its compaction
 * backlog (pending compaction tasks), which grows when writes outpace compaction.
 */
final class CassandraMetrics implements AutoCloseable {

    /**
     * Counters at one moment, and the compaction tasks pending then; -1 where unreadable. Between two readings
     * ({@link #minus}): the counters' growth, and the pending tasks at the start and at the end.
     */
    record Counts(long writeRequests, long tableWriteRequests, long tablePartitionWrites,
            long pendingCompactionsBefore, long pendingCompactions) {

        /** What happened between {@code before} and this. */
        Counts minus(Counts before) {
            return new Counts(delta(writeRequests, before.writeRequests),
                    delta(tableWriteRequests, before.tableWriteRequests),
                    delta(tablePartitionWrites, before.tablePartitionWrites), before.pendingCompactions,
                    pendingCompactions);
        }

        static Counts unreadable() {
            return new Counts(-1, -1, -1, -1, -1);
        }

        private static long delta(long after, long before) {
            return after < 0 || before < 0 ? -1 : after - before;
        }
    }

    private final JMXConnector connector;
    private final MBeanServerConnection server;

    private CassandraMetrics(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.server = connector.getMBeanServerConnection();
    }

    static CassandraMetrics connect(int jmxPort) throws IOException {
        return new CassandraMetrics(JMXConnectorFactory.connect(
                new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi")));
    }

    /** All CQL write requests, and those (and the partition updates) of {@code keyspace.table}. */
    Counts read(String keyspace, String table) {
        String tableMetric = "org.apache.cassandra.metrics:type=Table,keyspace=" + keyspace + ",scope=" + table + ",name=";
        long pending = attribute("org.apache.cassandra.metrics:type=Compaction,name=PendingTasks", "Value");
        return new Counts(attribute("org.apache.cassandra.metrics:type=ClientRequest,scope=Write,name=Latency", "Count"),
                attribute(tableMetric + "CoordinatorWriteLatency", "Count"),
                attribute(tableMetric + "WriteLatency", "Count"), pending, pending);
    }

    private long attribute(String name, String attribute) {
        try {
            return ((Number) server.getAttribute(new ObjectName(name), attribute)).longValue();
        } catch (IOException | JMException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }
}
