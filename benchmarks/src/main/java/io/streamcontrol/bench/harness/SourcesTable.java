package io.streamcontrol.bench.harness;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import io.streamcontrol.bench.harness.ServiceApi.JobStatus;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/** A job's rows of its {@code sources} table: per source partition, what the job stored and processed. */
public final class SourcesTable {

    static final long POLL_MS = 500;

    private final CqlSession session;
    private final String keyspace;
    private final String job;
    private final int receivers;

    public SourcesTable(CqlSession session, String keyspace, String job, int receivers) {
        this.session = session;
        this.keyspace = keyspace;
        this.job = job;
        this.receivers = receivers;
    }

    /** A bigint column per source partition (-1 where null); empty while the table does not exist. */
    public long[] longs(String column) {
        long[] values = new long[receivers];
        Arrays.fill(values, -1);
        try {
            for (Row row : session.execute("SELECT source, " + column + " FROM " + keyspace
                    + ".sources WHERE job_name = ?", job)) {
                if (!row.isNull(1)) {
                    values[row.getInt(0)] = row.getLong(1);
                }
            }
        } catch (InvalidQueryException e) {
            return new long[0];
        }
        return values;
    }

    /** The oldest of the sources' newest processed event times; null until every source has one. */
    public Instant oldestMaxEventTime() {
        Instant oldest = null;
        int seen = 0;
        for (Row row : session.execute("SELECT max_event_time FROM " + keyspace + ".sources WHERE job_name = ?", job)) {
            if (row.isNull(0)) {
                return null;
            }
            seen++;
            Instant t = row.getInstant(0);
            oldest = oldest == null || t.isBefore(oldest) ? t : oldest;
        }
        return seen == receivers ? oldest : null;
    }

    /** Waits until processed_seq of every source partition is its last sequence; fails if the job stops running. */
    public void awaitProcessed(ServiceApi api, long[] lastSeqs, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long[] processed = new long[0];
        while (System.nanoTime() < deadline) {
            processed = longs("processed_seq");
            if (Arrays.equals(processed, lastSeqs)) {
                return;
            }
            JobStatus s = api.job(job);
            if (!"RUNNING".equals(s.state())) {
                throw new IllegalStateException("job " + job + " " + s.state() + " before processing every line: "
                        + s.lastError());
            }
            Thread.sleep(POLL_MS);
        }
        throw new IllegalStateException("not every line processed within " + timeout + ": processed_seq "
                + Arrays.toString(processed) + ", last seqs " + Arrays.toString(lastSeqs));
    }
}
