package io.streamcontrol.control.launcher;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import io.streamcontrol.job.driver.DriverTable;
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

    private final CqlSession session;
    private final Map<String, DriverTable> tables = new ConcurrentHashMap<>();

    DriverRecords(CqlSession session) {
        this.session = session;
    }

    /** The driver row of the job, if its keyspace and row exist. */
    public Optional<DriverRecord> find(String keyspace, String job) {
        try {
            return tables.computeIfAbsent(keyspace + "." + job, key -> new DriverTable(session, keyspace, job)).read()
                    .map(row -> new DriverRecord(row.launchId(), row.appId(), row.pid(), row.host(), row.uiUrl(),
                            row.startedAt(), row.heartbeatAt(), row.stoppedAt()));
        } catch (InvalidQueryException e) {
            return Optional.empty(); // the job never created its tables
        }
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
