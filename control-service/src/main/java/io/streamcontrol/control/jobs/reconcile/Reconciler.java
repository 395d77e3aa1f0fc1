package io.streamcontrol.control.jobs.reconcile;

import io.streamcontrol.contract.tables.DriverTable.DriverRow;
import io.streamcontrol.control.jobs.lifecycle.DesiredState;
import io.streamcontrol.control.jobs.lifecycle.Job;
import io.streamcontrol.control.jobs.lifecycle.JobDrivers;
import io.streamcontrol.control.jobs.lifecycle.JobMeters;
import io.streamcontrol.control.jobs.lifecycle.JobState;
import io.streamcontrol.control.jobs.lifecycle.JobStatus;
import io.streamcontrol.control.jobs.lifecycle.JobStore;
import io.streamcontrol.control.jobs.reconcile.Reconciliation.Action;
import io.streamcontrol.control.jobs.reconcile.Reconciliation.Attach;
import io.streamcontrol.control.jobs.reconcile.Reconciliation.BeginStop;
import io.streamcontrol.control.jobs.reconcile.Reconciliation.EscalateStop;
import io.streamcontrol.control.jobs.reconcile.Reconciliation.Kill;
import io.streamcontrol.control.jobs.reconcile.Reconciliation.Launch;
import io.streamcontrol.control.jobs.reconcile.Reconciliation.Mark;
import io.streamcontrol.control.jobs.reconcile.Reconciliation.Nothing;
import io.streamcontrol.control.jobs.reconcile.Reconciliation.ResetAttempts;
import io.streamcontrol.control.jobs.reconcile.Reconciliation.Running;
import io.streamcontrol.control.jobs.reconcile.Reconciliation.ScheduleRestart;
import io.streamcontrol.control.jobs.settings.JobsProperties;
import io.streamcontrol.control.launcher.DriverHandle;
import io.streamcontrol.control.launcher.DriverState;
import io.streamcontrol.control.launcher.LocalDriverProcesses;
import io.streamcontrol.control.leader.LeaderElection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The reconciliation loop: every period, for every job, observes its driver, compares with what is desired and acts
 * (see {@link Reconciliation}). After a restart of the service this is what finds every job's true state. Only the
 * replica that leads ({@link LeaderElection}) reconciles, and every change it makes to a job is fenced by its lease
 * term ({@link JobStore#update(Job, Job, String, long)}): a replica that stopped leading while it was paused in the
 * middle of a pass cannot change a job a newer leader has changed.
 */
@Component
class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final JobStore store;
    private final JobDrivers drivers;
    private final LocalDriverProcesses processes;
    private final JobsProperties properties;
    private final JobMeters meters;
    private final LeaderElection leader;
    private final Set<String> attached = ConcurrentHashMap.newKeySet();
    private volatile Instant lastPass;

    Reconciler(JobStore store, JobDrivers drivers, LocalDriverProcesses processes, JobsProperties properties,
            JobMeters meters, LeaderElection leader) {
        this.store = store;
        this.drivers = drivers;
        this.processes = processes;
        this.properties = properties;
        this.meters = meters;
        this.leader = leader;
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "${streamcontrol.jobs.reconcile-interval:5s}")
    void reconcileAll() {
        if (drivers.shuttingDown()) {
            return;
        }
        OptionalLong held = leader.term();
        if (held.isEmpty()) {
            meters.standingBy();
            return;
        }
        long term = held.getAsLong();
        List<Job> jobs;
        try {
            jobs = store.all();
        } catch (RuntimeException e) {
            meters.reconciliationFailed();
            LOG.warn("Reconciliation could not read the jobs: {}", e.getMessage());
            return;
        }
        List<Job> reconciled = new ArrayList<>(jobs.size());
        for (Job job : jobs) {
            if (drivers.shuttingDown()) {
                return;
            }
            if (!leader.holds(term)) {
                LOG.info("Reconciliation pass of term {} given up: this replica no longer leads", term);
                return;
            }
            if (job.leaderTerm() > term) {
                leader.superseded(job.leaderTerm());
                return;
            }
            try {
                reconciled.add(reconcile(job, term));
            } catch (RuntimeException e) {
                reconciled.add(job);
                meters.reconciliationFailed();
                if (e instanceof com.datastax.oss.driver.api.core.DriverException) {
                    LOG.warn("Reconciliation of job {} failed: {}", job.name(), e.toString());
                } else {
                    LOG.warn("Reconciliation of job {} failed", job.name(), e);
                }
            }
        }
        if (leader.holds(term)) { // a pass that ends after its term (the replica was paused) is no pass of a leader
            drivers.keepStandbys(reconciled, Instant.now());
            meters.reconciled(reconciled);
            lastPass = Instant.now();
        }
    }

    /** When the last pass over all jobs completed (null before the first). */
    Instant lastPass() {
        return lastPass;
    }

    /** A job that never launched has no launch id, and nothing attached. */
    private boolean isAttached(Job job) {
        String launchId = job.status().launchId();
        return launchId != null && attached.contains(launchId);
    }

    /** Reconciles one job as the leader of {@code term}; returns the job as it left it. */
    Job reconcile(Job stored, long term) {
        Optional<Job> claimed = stored.leaderTerm() == term ? Optional.of(stored) : claim(stored, term);
        if (claimed.isEmpty()) {
            return stored; // changed meanwhile: the next pass sees it
        }
        Instant now = Instant.now();
        Reconciliation.Observation seen = observe(claimed.get(), now);
        Optional<Job> refreshed = refreshDriverDetails(claimed.get(), seen.driver(), term);
        if (refreshed.isEmpty()) {
            return claimed.get();
        }
        Job job = refreshed.get();
        Action action = Reconciliation.decide(job, seen, now,
                new Reconciliation.Timeouts(properties.startTimeout(), properties.stopGrace()),
                isAttached(job) || drivers.hasHandle(job));
        if (!(action instanceof Nothing)) {
            LOG.info("Job {} ({}, desired {}): {}", job.name(), job.state(), job.desired(), action);
        }
        if (action instanceof Launch launch) {
            return launch(job, launch, term);
        } else if (action instanceof Mark mark) {
            return mark(job, mark, now, term);
        } else if (action instanceof Attach attach) {
            return attach(job, attach, seen.driver(), term);
        } else if (action instanceof Running running) {
            return running(job, running, seen.driver(), now, term);
        } else if (action instanceof ScheduleRestart restart) {
            return store.update(job, job.with(job.status().toBuilder().nextRestartAt(restart.at()).build()),
                    restart.reason(), term).orElse(job);
        } else if (action instanceof ResetAttempts reset) {
            Optional<Job> counted = store.update(job, job.with(job.status().toBuilder().attempt(1).build()), null,
                    term);
            counted.ifPresent(j -> store.note(j, reset.reason()));
            return counted.orElse(job);
        } else if (action instanceof EscalateStop escalate) {
            Optional<Job> escalated = store.update(job, job.with(job.status().toBuilder().stopEscalatedAt(now).build()),
                    null, term);
            escalated.ifPresent(j -> {
                drivers.escalateStop(j);
                store.note(j, escalate.reason() + ": the launcher's stop");
            });
            return escalated.orElse(job);
        } else if (action instanceof Kill kill) {
            // killed before it is recorded: KILLED and FAILED mean that no process of the driver is left
            String reason = kill.reason() + drivers.kill(job);
            Optional<Job> killed = store.update(job, job.with(job.status().ended(kill.then(), reason, Instant.now())),
                    reason, term);
            drivers.forget(job);
            return killed.orElse(job);
        } else if (action instanceof BeginStop stop) {
            Optional<Job> stopping = store.update(job, job.with(job.status().toBuilder().state(JobState.STOPPING)
                    .stopDeadline(now.plus(properties.stopTimeout())).build()), stop.reason(), term);
            stopping.ifPresent(drivers::requestGracefulStop);
            return stopping.orElse(job);
        }
        return job;
    }

    /** What is seen of the job's current launch: the handle's state if this instance has one, and the driver's row. */
    private Reconciliation.Observation observe(Job job, Instant now) {
        DriverHandle handle = drivers.handle(job).orElse(null);
        DriverRow driver = drivers.currentDriver(job).orElse(null);
        boolean alive = driver != null && driver.isFresh(now, properties.heartbeatTimeout())
                && (!processes.isLocal(driver) || processes.isAlive(driver));
        DriverState state = handle == null ? null : handle.state();
        return new Reconciliation.Observation(state, driver, alive, state != null && state.isFinal()
                && processLeft(job));
    }

    /** Whether a process of the job's current launch still runs on this host. */
    private boolean processLeft(Job job) {
        return job.config().spark().driverOnThisHost() && !processes.ofLaunch(job.status().launchId()).isEmpty();
    }

    /**
     * The first change a leader makes to a job it did not change before: its term, which no older leader can change
     * from then on, and a history entry saying which replica reconciles the job.
     */
    private Optional<Job> claim(Job job, long term) {
        Optional<Job> claimed = store.update(job, job, null, term);
        claimed.ifPresent(j -> store.note(j, "reconciled by replica " + leader.replica() + " (leader term " + term
                + ")"));
        return claimed;
    }

    private Job launch(Job job, Launch launch, long term) {
        int attempt = launch.restart() ? job.status().attempt() + 1 : 1;
        Optional<Job> submitted = store.update(job, job.with(drivers.launching(job, attempt, Instant.now())),
                launch.reason(), term);
        submitted.ifPresent(j -> {
            if (launch.restart()) {
                meters.restarted(j.name());
            }
            drivers.launch(j);
        });
        return submitted.orElse(job);
    }

    private Job mark(Job job, Mark mark, Instant now, long term) {
        Job next = job.with(job.status().ended(mark.state(), mark.reason(), now));
        if (mark.state() == JobState.STOPPED && job.state() != JobState.STOPPING) {
            next = next.with(DesiredState.STOPPED, next.status()); // stopped by someone else: keep it stopped
        }
        Optional<Job> marked = store.update(job, next, mark.reason(), term);
        if (marked.isPresent()) {
            drivers.forget(job);
            attached.remove(job.status().launchId());
        }
        return marked.orElse(job);
    }

    private Job running(Job job, Running running, DriverRow driver, Instant now, long term) {
        JobStatus status = job.status().toBuilder().state(JobState.RUNNING).runningSince(now)
                .appId(job.status().appId() != null ? job.status().appId() : driver.appId())
                .uiUrl(driver.uiUrl() != null ? driver.uiUrl() : job.status().uiUrl())
                .build();
        Optional<Job> stored = store.update(job, job.with(status), running.reason(), term);
        stored.filter(j -> j.status().launchedAt() != null)
                .ifPresent(j -> meters.launched(j.name(), Duration.between(j.status().launchedAt(), now)));
        return stored.orElse(job);
    }

    private Job attach(Job job, Attach attach, DriverRow driver, long term) {
        JobStatus status = job.status().toBuilder().state(JobState.RUNNING).appId(driver.appId()).uiUrl(driver.uiUrl())
                .runningSince(job.status().runningSince() != null ? job.status().runningSince() : driver.startedAt())
                .build();
        Optional<Job> stored = job.state() == JobState.RUNNING ? Optional.of(job) : store.update(job, job.with(status),
                attach.reason(), term);
        stored.ifPresent(j -> {
            if (job.state() == JobState.RUNNING) {
                store.note(j, attach.reason());
            }
            attached.add(j.status().launchId());
        });
        return stored.orElse(job);
    }

    /**
     * The driver's own row knows its app id and UI address best (also in cluster mode). Empty if the job changed since
     * the pass read it: the next pass sees it.
     */
    private Optional<Job> refreshDriverDetails(Job job, DriverRow driver, long term) {
        if (driver == null || driver.uiUrl() == null
                || driver.uiUrl().equals(job.status().uiUrl()) && job.status().appId() != null) {
            return Optional.of(job);
        }
        return store.update(job, job.with(job.status().toBuilder().uiUrl(driver.uiUrl())
                .appId(job.status().appId() != null ? job.status().appId() : driver.appId()).build()), null, term);
    }
}
