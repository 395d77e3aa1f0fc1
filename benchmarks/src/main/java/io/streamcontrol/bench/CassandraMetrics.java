package io.streamcontrol.bench;

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
 * each), how many of them wrote a given table, and how many partition updates that table applied.
 */
final class CassandraMetrics implements AutoCloseable {

    /** Counters at one moment; -1 where unreadable. */
    record Counts(long writeRequests, long tableWriteRequests, long tablePartitionWrites) {

        /** What happened between {@code before} and this. */
        Counts minus(Counts before) {
            return new Counts(delta(writeRequests, before.writeRequests),
                    delta(tableWriteRequests, before.tableWriteRequests),
                    delta(tablePartitionWrites, before.tablePartitionWrites));
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
        return new Counts(count("org.apache.cassandra.metrics:type=ClientRequest,scope=Write,name=Latency"),
                count(tableMetric + "CoordinatorWriteLatency"), count(tableMetric + "WriteLatency"));
    }

    private long count(String name) {
        try {
            return ((Number) server.getAttribute(new ObjectName(name), "Count")).longValue();
        } catch (IOException | JMException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }
}
