package io.streamcontrol.control.launcher;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import io.streamcontrol.job.stop.StopRequests;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * What drivers say of themselves in their job's keyspace: the {@code drivers} row (heartbeat) and, the other way,
 * the {@code stop_requests} row through which a driver is asked to drain and stop. Works for drivers this instance
 * did not launch, e.g. after a restart of the service, and in every deploy mode.
 */
@Component
public class DriverRecords {

    private static final String DRIVERS_TABLE = "drivers";

    private final CqlSession session;
    private final Map<String, PreparedStatement> reads = new ConcurrentHashMap<>();

    DriverRecords(CqlSession session) {
        this.session = session;
    }

    /** The driver row of the job, if its keyspace and row exist. */
    public Optional<DriverRecord> find(String keyspace, String job) {
        PreparedStatement read;
        try {
            read = reads.computeIfAbsent(keyspace, ks -> session.prepare(
                    "SELECT launch_id, app_id, pid, host, ui_url, started_at, heartbeat_at, stopped_at FROM " + ks + "."
                            + DRIVERS_TABLE + " WHERE job_name = ?"));
        } catch (InvalidQueryException e) {
            return Optional.empty(); // the job never created its tables
        }
        Row row = session.execute(read.bind(job)).one();
        if (row == null) {
            return Optional.empty();
        }
        return Optional.of(new DriverRecord(row.getString(0), row.getString(1), row.isNull(2) ? 0 : row.getLong(2),
                row.getString(3), row.getString(4), row.getInstant(5), row.getInstant(6), row.getInstant(7)));
    }

    /** Asks the job's driver to drain and stop (it polls this row). Creates nothing if the keyspace is missing. */
    public boolean requestStop(String keyspace, String job) {
        try {
            new StopRequests(session, keyspace, job).request();
            return true;
        } catch (InvalidQueryException e) {
            return false;
        }
    }
}
