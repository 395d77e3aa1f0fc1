package io.streamcontrol.control.jobs.lifecycle;

import io.streamcontrol.contract.settings.Durations;
import io.streamcontrol.contract.tables.DriverTable.DriverRow;
import io.streamcontrol.control.jobs.lifecycle.JobStore.Change;
import io.streamcontrol.control.jobs.settings.JobConfigs;
import io.streamcontrol.control.jobs.settings.JobsProperties;
import io.streamcontrol.control.launcher.DriverHandle;
import io.streamcontrol.control.launcher.DriverListener;
import io.streamcontrol.control.launcher.DriverRecords;
import io.streamcontrol.control.launcher.DriverState;
import io.streamcontrol.control.launcher.LaunchRequest;
import io.streamcontrol.control.launcher.LocalDriverProcesses;
import io.streamcontrol.control.launcher.SparkPlatform;
import io.streamcontrol.control.launcher.SparkSpec;
import io.streamcontrol.control.launcher.StandaloneMaster;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The drivers of jobs: launches them through the {@link SparkPlatform}, keeps the handles of the drivers this instance
 * launched, turns the platform's callbacks into job transitions (on a thread of its own: callbacks never block), and
 * stops or kills a driver through its handle, or through its own row and pid when this instance has no handle (a
 * cluster-mode driver of a standalone master: through the master, by the driver id stored with the job).
 */
@Component
public class JobDrivers implements DriverListener {

    private static final Logger LOG = LoggerFactory.getLogger(JobDrivers.class);
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    /** How long a SIGKILLed driver may take to be gone before its job is recorded as ended anyway. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final SparkPlatform platform;
    private final JobStore store;
    private final JobConfigs configs;
    private final JobsProperties properties;
    private final DriverRecords driverRecords;
    private final LocalDriverProcesses processes;
    private final JobMeters meters;
    private final StandaloneMaster masters;
    private final StandbyDrivers standbys;
    private final Map<String, DriverHandle> handles = new ConcurrentHashMap<>();
    private volatile boolean shuttingDown;
    private final Map<String, String> jobOfLaunch = new ConcurrentHashMap<>();
    private final ExecutorService events = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "driver-events");
        thread.setDaemon(true);
        return thread;
    });

    JobDrivers(SparkPlatform platform, JobStore store, JobConfigs configs, JobsProperties properties,
            DriverRecords driverRecords, LocalDriverProcesses processes, JobMeters meters, StandaloneMaster masters,
            StandbyDrivers standbys) {
        this.platform = platform;
        this.store = store;
        this.configs = configs;
        this.properties = properties;
        this.driverRecords = driverRecords;
        this.processes = processes;
        this.meters = meters;
        this.masters = masters;
        this.standbys = standbys;
    }

    /**
     * The status of a new launch of the job ({@link JobStatus#launching}): on the job's standby driver if it has one
     * that fits, else under a new launch id.
     */
    public JobStatus launching(Job job, int attempt, Instant now) {
        Optional<StandbyDrivers.Standby> standby = standbys.of(job.name());
        if (standby.isPresent()) {
            JobStatus onStandby = job.status().launching(attempt, now, standby.get().launchId(),
                    standby.get().logFile().toString());
            if (fits(standby.get(), job.with(onStandby))) {
                return onStandby;
            }
        }
        return job.status().launching(attempt, now, UUID.randomUUID().toString(),
                logFile(job, now, "attempt-" + attempt).toString());
    }

    /** Where a driver of {@code job} launched at {@code now} writes its output. */
    private Path logFile(Job job, Instant now, String launch) {
        return properties.workDirectory().resolve(job.name())
                .resolve("driver-" + LOG_TIME.format(now) + "-" + launch + ".log").toAbsolutePath();
    }

    /** Whether {@code standby} can run the launch {@code next} stands for (under the standby's launch id). */
    private boolean fits(StandbyDrivers.Standby standby, Job next) {
        return standby.fits(next.config().spark(), launchArguments(next, standby.launchId()));
    }

    /** The job's arguments for the launch {@code launchId} of its current checkpoint generation. */
    private List<String> launchArguments(Job job, String launchId) {
        return configs.launchArguments(job.name(), job.config(), job.status().generation(), launchId);
    }

    /**
     * Launches the driver of a job already stored as SUBMITTED by the caller that won that transition, or gives the
     * job to its standby driver when the launch is the standby's ({@link #launching}).
     */
    public void launch(Job job) {
        JobStatus status = job.status();
        Optional<StandbyDrivers.Standby> standby = standbys.take(job.name(), status.launchId());
        jobOfLaunch.put(status.launchId(), job.name());
        try {
            if (standby.isPresent()) {
                takeOver(job, standby.get());
                return;
            }
            Launched launched = launch(job, status.launchId(), launchArguments(job, status.launchId()),
                    Path.of(status.logFile()));
            handles.put(status.launchId(), launched.handle());
            LOG.info("Launched job {} (launch {}, attempt {}, generation {})", job.name(), status.launchId(),
                    status.attempt(), status.generation());
            recordUiUrl(job, launched.uiUrl());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not launch job {}: {}", job.name(), e.getMessage());
            jobOfLaunch.remove(status.launchId());
            store.change(job.name(), current -> sameLaunch(current, status.launchId())
                    ? Optional.of(new Change(current.with(current.status().toBuilder().state(JobState.FAILED)
                            .lastError("launch failed: " + e.getMessage()).stoppedAt(Instant.now()).build()),
                            "launch failed: " + e.getMessage()))
                    : Optional.empty());
        }
    }

    private record Launched(DriverHandle handle, String uiUrl) {
    }

    /** Launches a driver of {@code job} through the platform; the UI address is known here for local drivers. */
    private Launched launch(Job job, String launchId, List<String> arguments, Path logFile) throws IOException {
        SparkSpec spark = job.config().spark();
        Map<String, String> conf = configs.launchConf(spark);
        String uiUrl = null;
        if (spark.driverOnThisHost()) {
            int uiPort = freePort();
            conf.put("spark.ui.port", String.valueOf(uiPort));
            uiUrl = "http://127.0.0.1:" + uiPort;
        }
        LaunchRequest request = new LaunchRequest(job.name(), launchId, spark.withConf(conf), arguments, logFile,
                configs.launchEnvironment());
        return new Launched(platform.launch(request, this), uiUrl);
    }

    private void recordUiUrl(Job job, String url) {
        String launchId = job.status().launchId();
        if (url != null) {
            store.change(job.name(), current -> sameLaunch(current, launchId) && current.status().uiUrl() == null
                    ? Optional.of(new Change(current.with(current.status().toBuilder().uiUrl(url).build()), null))
                    : Optional.empty());
        }
    }

    /**
     * Gives the job to its standby driver: writes the launch's arguments to the standby's row, which it polls, and
     * takes the standby's handle and state as the launch's.
     */
    private void takeOver(Job job, StandbyDrivers.Standby standby) {
        String launchId = standby.launchId();
        DriverHandle handle = standby.handle();
        try {
            driverRecords.startStandby(job.config().keyspace(), job.name(), launchId, launchArguments(job, launchId));
        } catch (RuntimeException e) {
            handle.kill();
            throw e;
        }
        handles.put(launchId, handle);
        LOG.info("Job {} starts on its standby driver (launch {}, attempt {}, generation {})", job.name(), launchId,
                job.status().attempt(), job.status().generation());
        recordUiUrl(job, standby.uiUrl());
        store.note(job, "started on the standby driver launched at " + standby.launchedAt());
        events.execute(() -> {
            handle.appId().ifPresent(appId -> onAppId(launchId, appId));
            onStateChanged(launchId, handle.state());
        });
    }

    /**
     * Keeps a standby driver for every job that should have one ({@link StandbyDrivers#wanted}) and fits it, and none
     * for the others or for deleted jobs. Called on every reconciliation pass.
     */
    public void keepStandbys(List<Job> jobs, Instant now) {
        for (Job job : jobs) {
            try {
                keepStandby(job, now);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Could not launch a standby driver for job {}: {}", job.name(), e.toString());
            }
        }
        standbys.jobsOtherThan(jobs.stream().map(Job::name).collect(Collectors.toSet()))
                .forEach(job -> standbys.retire(job, "the job was deleted"));
    }

    private void keepStandby(Job job, Instant now) throws IOException {
        standbys.of(job.name()).filter(standby -> standby.handle().state().isFinal())
                .ifPresent(ended -> standbys.stateChanged(ended.launchId(), ended.handle().state(), now));
        Optional<StandbyDrivers.Standby> current = standbys.of(job.name());
        if (!standbys.wanted(job, now)) {
            if (current.isPresent() && !current.get().handle().state().isFinal()) {
                retire(job, "its job " + (job.state().hasDriver() ? "has a driver" : "needs none"));
            }
            return;
        }
        String launchId = UUID.randomUUID().toString();
        Path log = logFile(job, now, "standby");
        Job next = job.with(job.status().launching(1, now, launchId, log.toString()));
        if (current.isPresent()) {
            if (fits(current.get(), next)) {
                return;
            }
            retire(job, "the job's configuration changed");
        }
        List<String> arguments = launchArguments(next, launchId);
        Launched launched = launch(job, launchId, standbys.standbyArguments(arguments), log);
        standbys.add(new StandbyDrivers.Standby(job.name(), launchId, launched.handle(), job.config().spark(),
                arguments, log, launched.uiUrl(), now));
    }

    private void retire(Job job, String why) {
        standbys.retire(job.name(), why).ifPresent(standby -> driverRecords.removeStandby(job.config().keyspace(),
                job.name(), standby.launchId()));
    }

    /** Asks the driver to drain and stop; false if the job's tables do not exist (its driver never got that far). */
    public boolean requestGracefulStop(Job job) {
        return driverRecords.requestStop(job.config().keyspace(), job.name());
    }

    /**
     * Asks the running driver to drain and restart its streaming context with the job's arguments (as its current
     * configuration gives them for its current launch).
     */
    boolean requestRestartInPlace(Job job) {
        return driverRecords.requestRestart(job.config().keyspace(), job.name(),
                launchArguments(job, job.status().launchId()));
    }

    /**
     * The launcher's stop, or SIGTERM (Spark's graceful shutdown hook) when this instance has no handle; for a
     * cluster-mode driver of a standalone master, the master's kill (which begins with SIGTERM).
     */
    public void escalateStop(Job job) {
        DriverHandle handle = handles.get(job.status().launchId());
        if (handle != null) {
            handle.stop();
            return;
        }
        if (!killThroughMaster(job)) {
            currentDriver(job).ifPresent(processes::terminate);
        }
    }

    /**
     * Ends the driver: the launcher's kill, or the master's for a cluster-mode driver of a standalone master; then
     * SIGKILL to whatever process of the launch is left on this host, waited for. The launcher's kill alone can leave
     * the driver running: once the driver's Spark context stopped (on the launcher's stop), its handle ignores a kill.
     * Returns what was killed by pid, for the history ("" if nothing). The caller records the job's end: the
     * launcher's report of this kill is not taken as the end's reason.
     */
    public String kill(Job job) {
        String launchId = job.status().launchId();
        if (launchId == null) {
            return "";
        }
        jobOfLaunch.remove(launchId);
        DriverHandle handle = handles.get(launchId);
        if (handle != null) {
            handle.kill();
        } else if (!killThroughMaster(job)) {
            currentDriver(job).ifPresent(processes::kill);
        }
        List<Long> killed = job.config().spark().driverOnThisHost() ? processes.killLaunch(launchId, KILL_WAIT)
                : List.of();
        return killed.isEmpty() ? "" : "; driver process " + killed.stream().map(String::valueOf)
                .collect(Collectors.joining(", ")) + " killed (SIGKILL)";
    }

    /** Without a handle: a cluster-mode driver whose id is known is killed through its master. */
    private boolean killThroughMaster(Job job) {
        String submissionId = job.status().submissionId();
        if (!job.config().spark().onStandaloneCluster() || submissionId == null) {
            return false;
        }
        masters.kill(job.config().spark().master(), submissionId);
        return true;
    }

    /** The handle of the job's current launch, if this instance launched it. */
    public Optional<DriverHandle> handle(Job job) {
        return Optional.ofNullable(job.status().launchId() == null ? null : handles.get(job.status().launchId()));
    }

    public boolean hasHandle(Job job) {
        return job.status().launchId() != null && handles.containsKey(job.status().launchId());
    }

    public Optional<DriverRow> currentDriver(Job job) {
        String launchId = job.status().launchId();
        if (launchId == null) {
            return Optional.empty();
        }
        return driverRecords.find(job.config().keyspace(), job.name()).filter(d -> launchId.equals(d.launchId()));
    }

    public void forget(Job job) {
        if (job.status().launchId() != null) {
            handles.remove(job.status().launchId());
            jobOfLaunch.remove(job.status().launchId());
        }
    }

    @Override
    public void stateChanged(String launchId, DriverState state) {
        events.execute(() -> onStateChanged(launchId, state));
    }

    @Override
    public void appIdAssigned(String launchId, String appId) {
        events.execute(() -> onAppId(launchId, appId));
    }

    @Override
    public void submitted(String launchId, String submissionId) {
        events.execute(() -> onSubmitted(launchId, submissionId));
    }

    private void onStateChanged(String launchId, DriverState state) {
        String name = jobOfLaunch.get(launchId);
        if (name == null) {
            standbys.stateChanged(launchId, state, Instant.now());
            return;
        }
        try {
            // a process left behind after a final state is the reconciler's to kill before the job counts as ended
            boolean ended = (state == DriverState.FAILED || state == DriverState.KILLED)
                    && processes.ofLaunch(launchId).isEmpty();
            var changed = store.change(name, job -> sameLaunch(job, launchId) ? transition(job, state, ended)
                    : Optional.empty());
            countLaunch(changed);
            if (ended) {
                handles.remove(launchId);
                jobOfLaunch.remove(launchId);
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not record state {} of launch {} of job {} (the reconciliation loop will): {}", state,
                    launchId, name, e.getMessage());
        }
    }

    /**
     * The transition a launcher state makes. In cluster mode on a standalone master the states are the master's:
     * CONNECTED is its RUNNING (the driver's JVM runs on a worker); RUNNING comes from the driver's row
     * ({@code Reconciliation}). The launcher's RUNNING counts once the app id is known: in client mode on a standalone
     * master Spark sends RUNNING before the app id (StandaloneSchedulerBackend.connected releases the start's wait for
     * the registration before it sends the app id), and a RUNNING job without its app id would be reported as such.
     */
    private Optional<Change> transition(Job job, DriverState state, boolean ended) {
        JobStatus status = job.status();
        Instant now = Instant.now();
        JobState current = status.state();
        boolean onCluster = job.config().spark().onStandaloneCluster();
        return switch (state) {
            case SUBMITTED -> Optional.empty();
            case CONNECTED -> current == JobState.SUBMITTED
                    ? Optional.of(new Change(job.with(status.toBuilder().state(JobState.STARTING).build()),
                            onCluster ? "the master runs driver " + status.submissionId() + " on a worker"
                                    : "driver connected to the launcher"))
                    : Optional.empty();
            case RUNNING -> current == JobState.SUBMITTED || current == JobState.STARTING
                    ? appIdOf(job).map(appId -> running(job, appId, now))
                    : Optional.empty(); // without its app id yet: onAppId records RUNNING with it
            case FINISHED, LOST -> Optional.empty(); // not final words: the driver's row decides (Reconciliation)
            case FAILED, KILLED -> current.hasDriver() && ended
                    ? Optional.of(ended(job, JobState.endedAs(state), !onCluster ? "the launcher reports " + state
                            : status.submissionId() == null ? "spark-submit submitted no driver to the master"
                            : "the master reports driver " + status.submissionId() + " " + state, now))
                    : Optional.empty();
        };
    }

    private static Change ended(Job job, JobState state, String reason, Instant now) {
        return new Change(job.with(job.status().ended(state, reason, now)), reason);
    }

    private void onAppId(String launchId, String appId) {
        String name = jobOfLaunch.get(launchId);
        if (name == null) {
            return;
        }
        try {
            AtomicBoolean madeRunning = new AtomicBoolean(); // as decided on the job the change was stored on
            var changed = store.change(name, job -> {
                Optional<Change> change = sameLaunch(job, launchId) ? withAppId(job, launchId, appId) : Optional.empty();
                madeRunning.set(job.state() != JobState.RUNNING
                        && change.filter(c -> c.next().state() == JobState.RUNNING).isPresent());
                return change;
            });
            if (madeRunning.get()) {
                countLaunch(changed);
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not record app id {} of job {}: {}", appId, name, e.getMessage());
        }
    }

    /**
     * The app id recorded; and RUNNING with it if the launcher reported RUNNING before the app id ({@link #transition}).
     */
    private Optional<Change> withAppId(Job job, String launchId, String appId) {
        JobState current = job.state();
        DriverHandle handle = handles.get(launchId);
        if ((current == JobState.SUBMITTED || current == JobState.STARTING) && handle != null
                && handle.state() == DriverState.RUNNING && !job.config().spark().onStandaloneCluster()) {
            return Optional.of(running(job, appId, Instant.now()));
        }
        return appId.equals(job.status().appId()) ? Optional.empty()
                : Optional.of(new Change(job.with(job.status().toBuilder().appId(appId).build()), null));
    }

    /** The job's app id, else the one the launcher's handle knows. */
    private Optional<String> appIdOf(Job job) {
        if (job.status().appId() != null) {
            return Optional.of(job.status().appId());
        }
        DriverHandle handle = handles.get(job.status().launchId());
        return handle == null ? Optional.empty() : handle.appId();
    }

    private static Change running(Job job, String appId, Instant now) {
        return new Change(job.with(job.status().toBuilder().state(JobState.RUNNING).appId(appId).runningSince(now)
                .build()), "driver running");
    }

    /** The launch-to-running time of a launch the change made RUNNING. */
    private void countLaunch(Optional<JobStore.Changed> changed) {
        changed.filter(c -> c.applied() && c.job().state() == JobState.RUNNING && c.job().status().launchedAt() != null)
                .ifPresent(c -> meters.launched(c.job().name(), Duration.between(c.job().status().launchedAt(),
                        c.job().status().runningSince())));
    }

    /** Records the driver id a standalone master gave the launch: the way to it, also after a restart. */
    private void onSubmitted(String launchId, String submissionId) {
        String name = jobOfLaunch.get(launchId);
        if (name == null) {
            return;
        }
        try {
            store.change(name, job -> sameLaunch(job, launchId) && !submissionId.equals(job.status().submissionId())
                    ? Optional.of(new Change(job.with(job.status().toBuilder().submissionId(submissionId).build()), null))
                    : Optional.empty())
                    .filter(JobStore.Changed::applied)
                    .ifPresent(c -> store.note(c.job(), "the master accepted the driver as " + submissionId
                            + " (its log: <worker work dir>/" + submissionId + "/stderr)"));
        } catch (RuntimeException e) {
            LOG.warn("Could not record driver id {} of job {}: {}", submissionId, name, e.getMessage());
        }
    }

    private static boolean sameLaunch(Job job, String launchId) {
        return launchId.equals(job.status().launchId());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port for the driver UI", e);
        }
    }

    /**
     * The service's shutdown ends the drivers it launched on this machine (local master or client mode) instead of
     * leaving them behind: each is asked to stop gracefully, waited for up to the shutdown timeout, then killed, and
     * its job is recorded STOPPED or KILLED with its desired state kept, so the next leader starts it again. Drivers on
     * a cluster outlive the service by design; the log names them. A service that crashes leaves its drivers running,
     * and the next one re-attaches to them by their heartbeat.
     */
    @PreDestroy
    void shutdown() {
        shuttingDown = true;
        try {
            endLocalDrivers();
        } finally {
            events.shutdown();
        }
    }

    /** Whether the service shuts down: nothing is reconciled or launched any more. */
    public boolean shuttingDown() {
        return shuttingDown;
    }

    private void endLocalDrivers() {
        List<Job> local = new ArrayList<>();
        handles.forEach((launchId, handle) -> {
            String name = jobOfLaunch.get(launchId);
            if (name == null || handle.state().isFinal()) {
                return;
            }
            try {
                store.find(name).filter(job -> sameLaunch(job, launchId) && job.state().hasDriver()).ifPresent(job -> {
                    if (job.config().spark().driverOnThisHost()) {
                        local.add(job);
                    } else {
                        LOG.info("The driver of job {} is left running: it runs on {} in {} mode and outlives this"
                                + " service by design", name, job.config().spark().master(),
                                job.config().spark().deployMode());
                    }
                });
            } catch (RuntimeException e) {
                // without the job its mode is unknown, and a process of the launch on this host can only be local
                LOG.warn("Could not read job {} while shutting down ({}): killing its driver on this host", name,
                        e.toString());
                processes.killLaunch(launchId, KILL_WAIT);
            }
        });
        if (local.isEmpty()) {
            return;
        }
        Duration timeout = properties.shutdownTimeout();
        LOG.info("The service shuts down: stopping the drivers of {} gracefully (at most {}, then killed)",
                local.stream().map(Job::name).toList(), Durations.format(timeout));
        Instant deadline = Instant.now().plus(timeout);
        local.forEach(job -> {
            String launchId = job.status().launchId();
            try {
                // STOPPING keeps the desired state: the next leader starts the job again
                store.change(job.name(), current -> sameLaunch(current, launchId) && current.state().hasDriver()
                        && current.state() != JobState.STOPPING
                        ? Optional.of(new Change(current.with(current.status().toBuilder().state(JobState.STOPPING)
                                .stopDeadline(deadline).stopEscalatedAt(null).build()),
                                "the service that launched it shuts down: stopping gracefully"))
                        : Optional.empty());
                requestGracefulStop(job);
            } catch (RuntimeException e) {
                LOG.warn("Could not ask the driver of job {} to stop: {}", job.name(), e.toString());
            }
        });
        while (Instant.now().isBefore(deadline)
                && local.stream().anyMatch(job -> !processes.ofLaunch(job.status().launchId()).isEmpty())) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        local.forEach(this::endedByShutdown);
    }

    private void endedByShutdown(Job job) {
        String launchId = job.status().launchId();
        try {
            boolean stopped = processes.ofLaunch(launchId).isEmpty()
                    && currentDriver(job).map(DriverRow::stoppedCleanly).orElse(false);
            String reason = stopped ? "stopped gracefully: the service that launched it shut down"
                    : "the service that launched it shut down, and the driver did not stop within "
                            + Durations.format(properties.shutdownTimeout()) + kill(job);
            store.change(job.name(), current -> sameLaunch(current, launchId) && current.state().hasDriver()
                    ? Optional.of(ended(current, stopped ? JobState.STOPPED : JobState.KILLED, reason, Instant.now()))
                    : Optional.empty());
            LOG.info("Job {}: {}", job.name(), reason);
        } catch (RuntimeException e) {
            LOG.warn("Could not end the driver of job {} while shutting down: {}", job.name(), e.toString());
            processes.killLaunch(launchId, KILL_WAIT);
        } finally {
            forget(job);
        }
    }
}
