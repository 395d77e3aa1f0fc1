package io.streamcontrol.job.stop;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.streamcontrol.job.cassandra.Schema;
import java.time.Instant;
import java.util.Optional;

/**
 * Graceful stop requests travel through Cassandra: whoever wants a job to stop writes the time of the request, and
 * the job's driver, wherever it runs (local, client or cluster mode), sees a request newer than its own start.
 */
public final class StopRequests {

    private StopRequests() {
    }

    public static void request(CqlSession session, String keyspace, String jobName) {
        session.execute(session.prepare("INSERT INTO " + keyspace + "." + Schema.STOP_REQUESTS
                + " (job_name, requested_at) VALUES (?, ?)").bind(jobName, Instant.now()));
    }

    public static Optional<Instant> latest(CqlSession session, String keyspace, String jobName) {
        Row row = session.execute(session.prepare("SELECT requested_at FROM " + keyspace + "." + Schema.STOP_REQUESTS
                + " WHERE job_name = ?").bind(jobName)).one();
        return Optional.ofNullable(row).map(r -> r.getInstant("requested_at"));
    }
}
