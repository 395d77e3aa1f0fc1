package io.streamcontrol.control.jobs;

import io.streamcontrol.control.jobs.JobStore.Change;
import io.streamcontrol.control.jobs.Reconciliation.Nothing;
import io.streamcontrol.control.jobs.Reconciliation.Action;
import io.streamcontrol.control.jobs.Reconciliation.Attach;
import io.streamcontrol.control.jobs.Reconciliation.BeginStop;
import io.streamcontrol.control.jobs.Reconciliation.EscalateStop;
import io.streamcontrol.control.jobs.Reconciliation.Kill;
import io.streamcontrol.control.jobs.Reconciliation.Launch;
import io.streamcontrol.control.jobs.Reconciliation.Mark;
import io.streamcontrol.control.jobs.Reconciliation.Running;
import io.streamcontrol.control.jobs.Reconciliation.ScheduleRestart;
import io.streamcontrol.job.driver.DriverTable.DriverRow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The reconciliation loop: every period, for every job, observes its driver, compares with what is desired and acts
 * (see {@link Reconciliation}). After a restart of the service this is what finds every job's true state.
 */
@Component
class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final JobStore store;
    private final JobDrivers drivers;
    private final JobsProperties properties;
    private final JobMeters meters;
    private final Set<String> attached = ConcurrentHashMap.newKeySet();
    private volatile Instant lastPass;

    Reconciler(JobStore store, JobDrivers drivers, JobsProperties properties, JobMeters meters) {
        this.store = store;
        this.drivers = drivers;
        this.properties = properties;
        this.meters = meters;
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "${streamcontrol.jobs.reconcile-interval:5s}")
    void reconcileAll() {
        List<Job> jobs;
        try {
            jobs = store.all();
        } catch (RuntimeException e) {
            meters.reconciliationFailed();
            LOG.warn("Reconciliation could not read the jobs: {}", e.getMessage());
            return;
        }
        for (Job job : jobs) {
            try {
                reconcile(job);
            } catch (RuntimeException e) {
                meters.reconciliationFailed();
                if (e instanceof com.datastax.oss.driver.api.core.DriverException) {
                    LOG.warn("Reconciliation of job {} failed: {}", job.name(), e.toString());
                } else {
                    LOG.warn("Reconciliation of job {} failed", job.name(), e);
                }
            }
        }
        List<Job> after = store.all();
        drivers.keepStandbys(after, Instant.now());
        meters.countStates(after);
        lastPass = Instant.now();
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

    void reconcile(Job stored) {
        Instant now = Instant.now();
        Reconciliation.Observation seen = drivers.observe(stored, now);
        Job job = refreshDriverDetails(stored, seen.driver());
        Action action = Reconciliation.decide(job, seen, now,
                new Reconciliation.Timeouts(properties.startTimeout(), properties.stopGrace()),
                isAttached(job) || drivers.hasHandle(job));
        if (!(action instanceof Nothing)) {
            LOG.info("Job {} ({}, desired {}): {}", job.name(), job.state(), job.desired(), action);
        }
        if (action instanceof Launch launch) {
            launch(job, launch);
        } else if (action instanceof Mark mark) {
            mark(job, mark, now);
        } else if (action instanceof Attach attach) {
            attach(job, attach, seen.driver());
        } else if (action instanceof Running running) {
            running(job, running, seen.driver(), now);
        } else if (action instanceof ScheduleRestart restart) {
            update(job, job.with(job.status().toBuilder().nextRestartAt(restart.at()).build()), restart.reason());
        } else if (action instanceof EscalateStop escalate) {
            if (update(job, job.with(job.status().toBuilder().stopEscalatedAt(now).build()), null).isPresent()) {
                drivers.escalateStop(job);
                store.note(job, escalate.reason() + ": the launcher's stop");
            }
        } else if (action instanceof Kill kill) {
            if (update(job, drivers.ended(job, kill.then(), kill.reason(), now).next(), kill.reason()).isPresent()) {
                drivers.kill(job);
                drivers.forget(job);
            }
        } else if (action instanceof BeginStop stop) {
            update(job, job.with(job.status().toBuilder().state(JobState.STOPPING)
                    .stopDeadline(now.plus(properties.stopTimeout())).build()), stop.reason())
                    .ifPresent(drivers::requestGracefulStop);
        }
    }

    private void launch(Job job, Launch launch) {
        int attempt = launch.restart() ? job.status().attempt() + 1 : 1;
        Optional<Job> submitted = update(job, job.with(drivers.launching(job, attempt, Instant.now())), launch.reason());
        submitted.ifPresent(j -> {
            if (launch.restart()) {
                meters.restarted(j.name());
            }
            drivers.launch(j);
        });
    }

    private void mark(Job job, Mark mark, Instant now) {
        Job next = drivers.ended(job, mark.state(), mark.reason(), now).next();
        if (mark.state() == JobState.STOPPED && job.state() != JobState.STOPPING) {
            next = next.with(DesiredState.STOPPED, next.status()); // stopped by someone else: keep it stopped
        }
        if (update(job, next, mark.reason()).isPresent()) {
            drivers.forget(job);
            attached.remove(job.status().launchId());
        }
    }

    private void running(Job job, Running running, DriverRow driver, Instant now) {
        JobStatus status = job.status().toBuilder().state(JobState.RUNNING).runningSince(now)
                .appId(job.status().appId() != null ? job.status().appId() : driver.appId())
                .uiUrl(driver.uiUrl() != null ? driver.uiUrl() : job.status().uiUrl())
                .build();
        update(job, job.with(status), running.reason())
                .filter(j -> j.status().launchedAt() != null)
                .ifPresent(j -> meters.launched(j.name(), Duration.between(j.status().launchedAt(), now)));
    }

    private void attach(Job job, Attach attach, DriverRow driver) {
        JobStatus status = job.status().toBuilder().state(JobState.RUNNING).appId(driver.appId()).uiUrl(driver.uiUrl())
                .runningSince(job.status().runningSince() != null ? job.status().runningSince() : driver.startedAt())
                .build();
        Optional<Job> stored = job.state() == JobState.RUNNING ? Optional.of(job) : update(job, job.with(status),
                attach.reason());
        stored.ifPresent(j -> {
            if (job.state() == JobState.RUNNING) {
                store.note(j, attach.reason());
            }
            attached.add(j.status().launchId());
        });
    }

    /** The driver's own row knows its app id and UI address best (also in cluster mode). */
    private Job refreshDriverDetails(Job job, DriverRow driver) {
        if (driver == null || driver.uiUrl() == null) {
            return job;
        }
        if (!driver.uiUrl().equals(job.status().uiUrl()) || job.status().appId() == null) {
            return store.change(job.name(), current -> current.status().launchId() != null
                    && current.status().launchId().equals(driver.launchId())
                    ? Optional.of(new Change(current.with(current.status().toBuilder().uiUrl(driver.uiUrl())
                            .appId(current.status().appId() != null ? current.status().appId() : driver.appId())
                            .build()), null))
                    : Optional.empty()).map(JobStore.Changed::job).orElse(job);
        }
        return job;
    }

    private Optional<Job> update(Job current, Job next, String reason) {
        return store.update(current, next, reason);
    }
}
