package io.streamcontrol.contract.tables;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Graceful stops travel through Cassandra, so they work wherever the driver runs (local, client or cluster mode).
 * Whoever wants a job to stop writes {@code requested_at}; the driver, seeing a request newer than its own start,
 * writes {@code draining_since}, which tells the receivers to store what they hold and stop reading. A request with
 * {@code restart_with} (the job's new arguments) asks the driver to restart its streaming context with them instead of
 * exiting.
 */
public final class StopRequests {

    /** A stop request: when it was made, and the arguments to restart the streaming context with (null: exit). */
    public record Request(Instant at, List<String> restartWith) {
    }

    private final JobTable table;
    private final PreparedStatement request;
    private final PreparedStatement read;
    private final PreparedStatement drain;

    public StopRequests(CqlSession session, String keyspace, String jobName) {
        this.table = new JobTable(session, keyspace, Schema.STOP_REQUESTS, jobName);
        this.request = table.prepare("UPDATE {table} SET requested_at = ?, restart_with = ? WHERE job_name = ?");
        this.read = table.prepare("SELECT requested_at, draining_since, restart_with FROM {table}"
                + " WHERE job_name = ?");
        this.drain = table.prepare("UPDATE {table} SET draining_since = ? WHERE job_name = ?");
    }

    /** Asks the driver to drain and exit. */
    public void request() {
        table.execute(request.bind(Instant.now(), null, table.jobName()));
    }

    /** Asks the driver to drain and restart its streaming context with these job arguments. */
    public void requestRestart(List<String> arguments) {
        table.execute(request.bind(Instant.now(), arguments, table.jobName()));
    }

    public Optional<Request> latestRequest() {
        Row row = table.execute(read.bind(table.jobName())).one();
        return Optional.ofNullable(row).filter(r -> !r.isNull(0)).map(r -> new Request(r.getInstant(0),
                r.isNull(2) ? null : r.getList(2, String.class)));
    }

    /** Set by the driver when it starts draining; empty while the job runs normally. */
    public Optional<Instant> drainingSince() {
        Row row = table.execute(read.bind(table.jobName())).one();
        return Optional.ofNullable(row).map(r -> r.getInstant(1));
    }

    public void beginDrain(Instant since) {
        table.execute(drain.bind(since, table.jobName()));
    }

    public void clearDrain() {
        table.execute(drain.bind(null, table.jobName()));
    }
}
