package io.streamcontrol.job.source;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.streamcontrol.contract.source.ResumeProtocol;
import io.streamcontrol.contract.tables.JobTable;
import io.streamcontrol.contract.tables.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code sources} rows of a job as receivers and the driver use them: what the job committed (where a receiver
 * resumes its source), and, on a stop, when each receiver drained and the last sequence it had read.
 */
public final class SourceTable {

    /** One source partition's row. */
    public record Status(int source, long lastStored, long processed, Instant drainedAt) {
    }

    private final JobTable table;
    private final PreparedStatement readProcessed;
    private final PreparedStatement writeDrained;
    private final PreparedStatement readAll;

    public SourceTable(CqlSession session, String keyspace, String jobName) {
        this.table = new JobTable(session, keyspace, Schema.SOURCES, jobName);
        this.readProcessed = table.prepare("SELECT processed_seq FROM {table} WHERE job_name = ? AND source = ?");
        this.writeDrained = table.prepare("UPDATE {table} SET drained_at = ?, last_stored_seq = ?"
                + " WHERE job_name = ? AND source = ?");
        this.readAll = table.prepare("SELECT source, last_stored_seq, processed_seq, drained_at FROM {table}"
                + " WHERE job_name = ?");
    }

    /** The last sequence of the source the job committed. */
    public long processed(int source) {
        Row row = table.execute(readProcessed.bind(table.jobName(), source)).one();
        return row == null || row.isNull(0) ? ResumeProtocol.NOTHING_RECEIVED : row.getLong(0);
    }

    /** The receiver of {@code source} stopped reading at {@code at}; {@code lastStored} is the last line it stored. */
    public void drained(int source, Instant at, long lastStored) {
        table.execute(writeDrained.bind(at, lastStored, table.jobName(), source));
    }

    public List<Status> statuses() {
        List<Status> statuses = new ArrayList<>();
        for (Row row : table.execute(readAll.bind(table.jobName()))) {
            statuses.add(new Status(row.getInt(0), row.isNull(1) ? ResumeProtocol.NOTHING_RECEIVED : row.getLong(1),
                    row.isNull(2) ? ResumeProtocol.NOTHING_RECEIVED : row.getLong(2), row.getInstant(3)));
        }
        return statuses;
    }
}
