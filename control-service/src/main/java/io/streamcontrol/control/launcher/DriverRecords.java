package io.streamcontrol.control.launcher;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import io.streamcontrol.contract.settings.Replication;
import io.streamcontrol.contract.tables.DriverTable;
import io.streamcontrol.contract.tables.DriverTable.DriverRow;
import io.streamcontrol.contract.tables.Schema;
import io.streamcontrol.contract.tables.StandbyTable;
import io.streamcontrol.contract.tables.StopRequests;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * A job's own keyspace as the service uses it: the tables, created with the job; what drivers say of themselves there
 * (the {@code drivers} row, their heartbeat); and, the other way, the {@code stop_requests} row through which a driver
 * is asked to drain and stop, and the {@code standby_drivers} row through which a standby driver is given the job. Works for drivers this instance
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
    public Optional<DriverRow> find(String keyspace, String job) {
        try {
            return tables.computeIfAbsent(keyspace + "." + job, key -> new DriverTable(session, keyspace, job)).read();
        } catch (InvalidQueryException e) {
            return Optional.empty(); // the job never created its tables
        }
    }

    /**
     * Creates the job's keyspace and tables as the job would at its start, so that its first start does not wait for
     * schema changes and its tables can be read at once.
     */
    public void createJobTables(String keyspace, Replication replication) {
        Schema.create(session, keyspace, replication);
    }

    /** Asks the job's driver to drain and stop (it polls this row). Creates nothing if the keyspace is missing. */
    public boolean requestStop(String keyspace, String job) {
        return request(keyspace, job, StopRequests::request);
    }

    /** Asks the job's driver to drain and restart its streaming context with these job arguments. */
    public boolean requestRestart(String keyspace, String job, List<String> arguments) {
        return request(keyspace, job, requests -> requests.requestRestart(arguments));
    }

    /** Asks the standby driver {@code launchId} of the job to run it with these arguments. */
    public void startStandby(String keyspace, String job, String launchId, List<String> arguments) {
        new StandbyTable(session, keyspace, job).start(launchId, arguments);
    }

    /** Clears the row of a standby driver that was killed before it could. */
    public void removeStandby(String keyspace, String job, String launchId) {
        new StandbyTable(session, keyspace, job).remove(launchId);
    }

    private boolean request(String keyspace, String job, Consumer<StopRequests> request) {
        try {
            request.accept(new StopRequests(session, keyspace, job));
            return true;
        } catch (InvalidQueryException e) {
            return false;
        }
    }
}
