package io.streamcontrol.contract.tables;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code standby_drivers} rows of a job, one per standby driver (by its launch id): drivers launched ahead of a
 * start, waiting with their Spark context up and their session open. The driver writes {@code ready_at} when it starts
 * waiting and deletes its row when it stops waiting; whoever starts the job (the control service) writes
 * {@code start_with}, the job's arguments, which the driver takes as if it had been launched with them, and
 * {@code started_at}: stop requests older than that were meant for an earlier driver. Only the CQL
 * driver's API is used, so the control service can use this class as it is.
 */
public final class StandbyTable {

    /** A start given to a standby driver: the job's arguments, and when the start was made. */
    public record Start(List<String> arguments, Instant at) {
    }

    /** First argument of a standby driver, followed by how long it waits for a start, then the job's arguments. */
    public static final String ARGUMENT = "--standby";

    private final JobTable table;
    private final PreparedStatement ready;
    private final PreparedStatement start;
    private final PreparedStatement read;
    private final PreparedStatement remove;

    public StandbyTable(CqlSession session, String keyspace, String jobName) {
        this.table = new JobTable(session, keyspace, Schema.STANDBY_DRIVERS, jobName);
        this.ready = table.prepare("UPDATE {table} SET ready_at = ? WHERE job_name = ? AND launch_id = ?");
        this.start = table.prepare("UPDATE {table} SET start_with = ?, started_at = ? WHERE job_name = ? AND"
                + " launch_id = ?");
        this.read = table.prepare("SELECT start_with, started_at FROM {table}"
                + " WHERE job_name = ? AND launch_id = ?");
        this.remove = table.prepare("DELETE FROM {table} WHERE job_name = ? AND launch_id = ?");
    }

    /** The standby driver {@code launchId} waits from {@code at} on. */
    public void ready(String launchId, Instant at) {
        table.execute(ready.bind(at, table.jobName(), launchId));
    }

    /** Asks the standby driver {@code launchId} to run the job with these arguments (it may not be waiting yet). */
    public void start(String launchId, List<String> arguments) {
        table.execute(start.bind(arguments, Instant.now(), table.jobName(), launchId));
    }

    /** The start given to the standby driver {@code launchId}, once it was. */
    public Optional<Start> start(String launchId) {
        Row row = table.execute(read.bind(table.jobName(), launchId)).one();
        return Optional.ofNullable(row).filter(r -> !r.isNull(0))
                .map(r -> new Start(r.getList(0, String.class), r.getInstant(1)));
    }

    public void remove(String launchId) {
        table.execute(remove.bind(table.jobName(), launchId));
    }
}
