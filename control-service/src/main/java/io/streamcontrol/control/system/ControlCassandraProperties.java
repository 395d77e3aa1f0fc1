package io.streamcontrol.control.system;

import io.streamcontrol.contract.settings.Replication;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The service's own use of Cassandra (the connection itself is {@code spring.cassandra.*}).
 *
 * @param controlKeyspace keyspace of jobs, their history and the audit log (created and migrated at start)
 * @param controlReplication replication map of the control keyspace when it is created
 * @param jobReplication replication of the keyspaces of new jobs, replicas per datacenter ({@code dc1:3,dc2:2},
 *     NetworkTopologyStrategy), unless a job's definition gives its own; empty = the job's replication factor
 *     (SimpleStrategy)
 * @param embedded start a local single-node Cassandra (own JVM, from cassandra-all) when no contact points are set
 * @param embeddedDirectory data directory of the embedded Cassandra
 * @param embeddedPort native port of the embedded Cassandra
 * @param embeddedHeap heap of the embedded Cassandra
 */
@ConfigurationProperties(prefix = "streamcontrol.cassandra")
public record ControlCassandraProperties(
        @DefaultValue("streamcontrol") String controlKeyspace,
        @DefaultValue("{'class': 'SimpleStrategy', 'replication_factor': 1}") String controlReplication,
        @DefaultValue("") String jobReplication,
        @DefaultValue("false") boolean embedded,
        @DefaultValue(".local-run/cassandra") Path embeddedDirectory,
        @DefaultValue("9042") int embeddedPort,
        @DefaultValue("512m") String embeddedHeap) {

    public ControlCassandraProperties {
        try {
            jobReplication = Replication.parse(jobReplication, 1).datacentersText();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("streamcontrol.cassandra.job-replication " + e.getMessage(), e);
        }
    }
}
