package io.streamcontrol.job.source;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.streamcontrol.job.cassandra.Schema;

/** The last sequence of each source partition a receiver has durably stored (in Spark's write-ahead log). */
final class SourceOffsets {

    private final CqlSession session;
    private final String jobName;
    private final PreparedStatement read;
    private final PreparedStatement write;

    SourceOffsets(CqlSession session, String keyspace, String jobName) {
        this.session = session;
        this.jobName = jobName;
        this.read = session.prepare("SELECT last_stored_seq FROM " + keyspace + "." + Schema.SOURCES
                + " WHERE job_name = ? AND source = ?");
        this.write = session.prepare("UPDATE " + keyspace + "." + Schema.SOURCES
                + " SET last_stored_seq = ? WHERE job_name = ? AND source = ?");
    }

    long lastStored(int source) {
        Row row = session.execute(read.bind(jobName, source)).one();
        return row == null || row.isNull(0) ? ResumeProtocol.NOTHING_RECEIVED : row.getLong(0);
    }

    void stored(int source, long seq) {
        session.execute(write.bind(seq, jobName, source));
    }
}
