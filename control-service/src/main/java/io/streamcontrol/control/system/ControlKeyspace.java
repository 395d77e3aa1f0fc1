package io.streamcontrol.control.system;

import com.datastax.oss.driver.api.core.CqlSession;
import org.springframework.stereotype.Component;

/** The control keyspace, migrated to the current schema before any feature uses it. */
@Component
public class ControlKeyspace {

    private final String name;

    ControlKeyspace(CqlSession session, ControlCassandraProperties properties) {
        this.name = properties.controlKeyspace();
        ControlSchema.migrate(session, name, properties.controlReplication());
    }

    /** {@code keyspace.table}, for statements. */
    public String table(String table) {
        return name + "." + table;
    }
}
