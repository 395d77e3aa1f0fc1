package io.streamcontrol.control.jobs.reconcile;

import com.datastax.oss.driver.api.core.CqlSession;
import io.streamcontrol.contract.tables.DriverTable;
import io.streamcontrol.contract.tables.DriverTable.DriverRow;
import io.streamcontrol.control.launcher.DriverHandle;
import io.streamcontrol.control.launcher.DriverListener;
import io.streamcontrol.control.launcher.DriverState;
import io.streamcontrol.control.launcher.LaunchRequest;
import io.streamcontrol.control.launcher.SparkPlatform;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drivers that only pretend: each launch is recorded, and the test drives what the launcher and the driver would do
 * (state callbacks, the driver's heartbeat row and its clean stop). Stop and kill calls are recorded.
 */
class FakeSparkPlatform implements SparkPlatform {

    final List<FakeDriver> launches = new CopyOnWriteArrayList<>();
    private final CqlSession session;
    private final AtomicInteger apps = new AtomicInteger();

    FakeSparkPlatform(CqlSession session) {
        this.session = session;
    }

    @Override
    public DriverHandle launch(LaunchRequest request, DriverListener listener) {
        FakeDriver driver = new FakeDriver(request, listener, "local-fake-" + apps.incrementAndGet());
        launches.add(driver);
        return driver;
    }

    FakeDriver last() {
        return launches.get(launches.size() - 1);
    }

    /** One pretend driver and its handle. */
    final class FakeDriver implements DriverHandle {
        final LaunchRequest request;
        final DriverListener listener;
        final String appId;
        volatile DriverState state = DriverState.SUBMITTED;
        /** The app id as the handle knows it: once assigned. */
        volatile String assignedAppId;
        volatile int stopCalls;
        volatile int killCalls;

        FakeDriver(LaunchRequest request, DriverListener listener, String appId) {
            this.request = request;
            this.listener = listener;
            this.appId = appId;
        }

        String argument(String name) {
            List<String> arguments = request.jobArguments();
            return arguments.get(arguments.indexOf("--" + name) + 1);
        }

        private DriverTable table() {
            return new DriverTable(session, argument("keyspace"), request.job());
        }

        /** The driver comes up: connected, its row written, running. */
        void runs() {
            report(DriverState.CONNECTED);
            assignsAppId();
            Instant now = Instant.now();
            table().register(new DriverRow(request.job(), request.launchId(), appId, ProcessHandle.current().pid(),
                    "fake-host", "http://127.0.0.1:1", now, now, null));
            report(DriverState.RUNNING);
        }

        void assignsAppId() {
            assignedAppId = appId;
            listener.appIdAssigned(request.launchId(), appId);
        }

        void heartbeat() {
            table().heartbeat(Instant.now());
        }

        /** A drained, clean stop: the row says so, and the launcher connection closes (LOST, as in local mode). */
        void stopsCleanly() {
            table().stopped(Instant.now());
            report(DriverState.LOST);
        }

        void report(DriverState next) {
            state = next;
            listener.stateChanged(request.launchId(), next);
        }

        @Override
        public String launchId() {
            return request.launchId();
        }

        @Override
        public DriverState state() {
            return state;
        }

        @Override
        public Optional<String> appId() {
            return Optional.ofNullable(assignedAppId);
        }

        @Override
        public void stop() {
            stopCalls++;
        }

        @Override
        public void kill() {
            killCalls++;
            report(DriverState.KILLED);
        }
    }
}
