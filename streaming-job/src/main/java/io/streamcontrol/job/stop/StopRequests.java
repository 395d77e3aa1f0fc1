package io.streamcontrol.job.stop;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.streamcontrol.job.cassandra.Schema;
import java.time.Instant;
import java.util.Optional;

/**
 * Graceful stops travel through Cassandra, so they work wherever the driver runs (local, client or cluster mode).
 * Whoever wants a job to stop writes {@code requested_at}; the driver, seeing a request newer than its own start,
 * writes {@code draining_since}, which tells the receivers to store what they hold and stop reading.
 */
public final class StopRequests {

    private final CqlSession session;
    private final String jobName;
    private final PreparedStatement request;
    private final PreparedStatement read;
    private final PreparedStatement drain;

    public StopRequests(CqlSession session, String keyspace, String jobName) {
        this.session = session;
        this.jobName = jobName;
        String table = keyspace + "." + Schema.STOP_REQUESTS;
        this.request = session.prepare("UPDATE " + table + " SET requested_at = ? WHERE job_name = ?");
        this.read = session.prepare("SELECT requested_at, draining_since FROM " + table + " WHERE job_name = ?");
        this.drain = session.prepare("UPDATE " + table + " SET draining_since = ? WHERE job_name = ?");
    }

    public void request() {
        session.execute(request.bind(Instant.now(), jobName));
    }

    public Optional<Instant> latestRequest() {
        return column(0);
    }

    /** Set by the driver when it starts draining; empty while the job runs normally. */
    public Optional<Instant> drainingSince() {
        return column(1);
    }

    public void beginDrain(Instant since) {
        session.execute(drain.bind(since, jobName));
    }

    public void clearDrain() {
        session.execute(drain.bind(null, jobName));
    }

    private Optional<Instant> column(int index) {
        Row row = session.execute(read.bind(jobName)).one();
        return Optional.ofNullable(row).map(r -> r.getInstant(index));
    }
}
