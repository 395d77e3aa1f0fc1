package io.streamcontrol.contract.tables;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code drivers} row of a job, one per job name: which driver runs it now (or ran it last). The driver writes it
 * at start, refreshes {@code heartbeat_at} while it runs and sets {@code stopped_at} when it ends cleanly, so whoever
 * launched it (the control service) can find it again after losing track of it:
 * <ul>
 *   <li>{@code stopped_at} set: the driver ended cleanly (graceful stop or SIGTERM) after {@code started_at};</li>
 *   <li>{@code stopped_at} null, {@code heartbeat_at} recent: it runs;</li>
 *   <li>{@code stopped_at} null, {@code heartbeat_at} old: it died (crash, kill) without stopping.</li>
 * </ul>
 * Only the CQL driver's API is used, so the control service can use this class as it is.
 */
public final class DriverTable {

    /**
     * One row. {@code launchId} is the job's {@code --launch-id} (null when empty); {@code uiUrl} is null when the
     * driver has no UI; the times are null until written.
     */
    public record DriverRow(String jobName, String launchId, String appId, long pid, String host, String uiUrl,
            Instant startedAt, Instant heartbeatAt, Instant stoppedAt) {

        /** The driver ended after a graceful stop. */
        public boolean stoppedCleanly() {
            return stoppedAt != null;
        }

        /** Running, by its own word: not stopped, and a heartbeat within {@code timeout} of {@code now}. */
        public boolean isFresh(Instant now, java.time.Duration timeout) {
            return stoppedAt == null && heartbeatAt != null && !heartbeatAt.plus(timeout).isBefore(now);
        }
    }

    private final JobTable table;
    private final PreparedStatement register;
    private final PreparedStatement heartbeat;
    private final PreparedStatement stopped;
    private final PreparedStatement read;

    public DriverTable(CqlSession session, String keyspace, String jobName) {
        this.table = new JobTable(session, keyspace, Schema.DRIVERS, jobName);
        this.register = table.prepare("INSERT INTO {table} (job_name, launch_id, app_id, pid, host, ui_url,"
                + " started_at, heartbeat_at, stopped_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, null)");
        this.heartbeat = table.prepare("UPDATE {table} SET heartbeat_at = ? WHERE job_name = ?");
        this.stopped = table.prepare("UPDATE {table} SET heartbeat_at = ?, stopped_at = ? WHERE job_name = ?");
        this.read = table.prepare("SELECT job_name, launch_id, app_id, pid, host, ui_url, started_at, heartbeat_at,"
                + " stopped_at FROM {table} WHERE job_name = ?");
    }

    /** Replaces the row with this driver's (stopped_at cleared); heartbeat_at = started_at. */
    public void register(DriverRow driver) {
        table.execute(register.bind(table.jobName(), driver.launchId(), driver.appId(), driver.pid(), driver.host(),
                driver.uiUrl(), driver.startedAt(), driver.startedAt()));
    }

    public void heartbeat(Instant at) {
        table.execute(heartbeat.bind(at, table.jobName()));
    }

    public void stopped(Instant at) {
        table.execute(stopped.bind(at, at, table.jobName()));
    }

    public Optional<DriverRow> read() {
        Row row = table.execute(read.bind(table.jobName())).one();
        return Optional.ofNullable(row).map(r -> new DriverRow(r.getString(0), r.getString(1), r.getString(2),
                r.getLong(3), r.getString(4), r.getString(5), r.getInstant(6), r.getInstant(7), r.getInstant(8)));
    }
}
