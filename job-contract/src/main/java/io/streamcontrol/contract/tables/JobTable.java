package io.streamcontrol.contract.tables;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Statement;

/**
 * One job's rows in one table of the job's keyspace (a table keyed by job name): statements prepared on the table's
 * full name, which {@code {table}} stands for in their CQL, and run on the session they were prepared on.
 */
public final class JobTable {

    private final CqlSession session;
    private final String name;
    private final String jobName;

    public JobTable(CqlSession session, String keyspace, String table, String jobName) {
        this.session = session;
        this.name = keyspace + "." + table;
        this.jobName = jobName;
    }

    /** Prepares {@code cql}, in which {@code {table}} stands for the table. */
    public PreparedStatement prepare(String cql) {
        return session.prepare(cql.replace("{table}", name));
    }

    public ResultSet execute(Statement<?> statement) {
        return session.execute(statement);
    }

    public String jobName() {
        return jobName;
    }
}
