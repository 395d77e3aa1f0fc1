package io.streamcontrol.control.jobs.lifecycle;

import io.streamcontrol.contract.settings.JobSettings;
import io.streamcontrol.contract.settings.Replication;
import io.streamcontrol.control.api.model.JobChangesDto;
import io.streamcontrol.control.api.model.JobDefinitionDto;
import io.streamcontrol.control.jobs.lifecycle.JobStore.Change;
import io.streamcontrol.control.jobs.lifecycle.JobStore.Changed;
import io.streamcontrol.control.jobs.lifecycle.JobStore.Transition;
import io.streamcontrol.control.jobs.settings.JobConfig;
import io.streamcontrol.control.jobs.settings.JobConfigs;
import io.streamcontrol.control.jobs.settings.JobsProperties;
import io.streamcontrol.control.launcher.DriverRecords;
import io.streamcontrol.control.system.ApiException;
import io.streamcontrol.control.system.Pages;
import io.streamcontrol.control.system.Pages.Page;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/** The lifecycle operations of the API. Every change goes through the job's versioned update, so none is lost. */
@Service
public class JobService {

    private final JobStore store;
    private final JobConfigs configs;
    private final JobDrivers drivers;
    private final DriverRecords jobKeyspaces;
    private final JobsProperties properties;

    JobService(JobStore store, JobConfigs configs, JobDrivers drivers, DriverRecords jobKeyspaces,
            JobsProperties properties) {
        this.store = store;
        this.jobKeyspaces = jobKeyspaces;
        this.configs = configs;
        this.drivers = drivers;
        this.properties = properties;
    }

    /** The new job, and whether this call created it (false: a retry with the same idempotency key). */
    public record Created(Job job, boolean created) {
    }

    public Created create(JobDefinitionDto definition, String idempotencyKey) {
        String name = definition.getName();
        Instant now = Instant.now();
        JobConfig config = configs.fromDefinition(definition, now);
        if (isRetry(idempotencyKey, "create", name)) {
            return new Created(get(name), false);
        }
        store.all().stream()
                .filter(other -> !other.name().equals(name) && other.config().keyspace().equals(config.keyspace()))
                .findFirst()
                .ifPresent(other -> {
                    throw ApiException.conflict("Keyspace " + config.keyspace() + " belongs to job " + other.name()
                            + ": give this job a keyspace of its own (settings.keyspace)");
                });
        Job job = new Job(name, config, DesiredState.STOPPED, JobStatus.created(), 1, now, now);
        if (!store.insert(job, "created")) {
            throw ApiException.conflict("Job " + name + " exists");
        }
        jobKeyspaces.createJobTables(config.keyspace(), Replication.parse(config.setting("replication"),
                Integer.parseInt(config.setting("replication-factor"))));
        return new Created(job, true);
    }

    public Job get(String name) {
        return store.find(name).orElseThrow(() -> notFound(name));
    }

    public Page<Job> list(JobState state, int limit, String cursor) {
        String after = Pages.keyAfter(cursor);
        List<Job> matching = store.all().stream()
                .filter(job -> state == null || job.state() == state)
                .filter(job -> after == null || job.name().compareTo(after) > 0)
                .sorted(Comparator.comparing(Job::name))
                .toList();
        List<Job> page = matching.subList(0, Math.min(limit, matching.size()));
        return new Page<>(page, matching.size() > limit ? Pages.keyCursor(page.get(page.size() - 1).name()) : null);
    }

    public Job start(String name, String idempotencyKey) {
        if (isRetry(idempotencyKey, "start", name)) {
            return get(name);
        }
        Changed changed = change(name, job -> {
            JobState state = job.state();
            if (state == JobState.STOPPING) {
                throw ApiException.conflict("Job " + name + " is stopping; start it once it has stopped");
            }
            if (state.hasDriver()) {
                return job.desired() == DesiredState.RUNNING ? Optional.empty()
                        : Optional.of(new Change(job.with(DesiredState.RUNNING, job.status()), null));
            }
            return Optional.of(new Change(job.with(DesiredState.RUNNING, drivers.launching(job, 1, Instant.now())),
                    "start requested"));
        });
        if (changed.applied() && changed.job().state() == JobState.SUBMITTED) {
            drivers.launch(changed.job());
            return get(name);
        }
        return changed.job();
    }

    public Job stop(String name, Duration timeout) {
        Duration graceful = timeout != null ? timeout : properties.stopTimeout();
        Changed changed = change(name, job -> {
            JobStatus status = job.status();
            if (job.state() == JobState.STOPPING) {
                return job.desired() == DesiredState.STOPPED ? Optional.empty()
                        : Optional.of(new Change(job.with(DesiredState.STOPPED, status), null));
            }
            if (!job.state().hasDriver()) {
                return job.desired() == DesiredState.STOPPED ? Optional.empty()
                        : Optional.of(new Change(job.with(DesiredState.STOPPED, status.toBuilder().nextRestartAt(null)
                                .build()), null));
            }
            return Optional.of(new Change(job.with(DesiredState.STOPPED, stopping(status, graceful)),
                    "graceful stop requested (timeout " + graceful.toSeconds() + "s)"));
        });
        if (changed.applied() && changed.job().state() == JobState.STOPPING) {
            drivers.requestGracefulStop(changed.job());
        }
        return changed.job();
    }

    /** Kills the driver, then records the job KILLED: by then no process of the driver is left on this host. */
    public Job kill(String name) {
        Job before = get(name);
        String killed = before.state().hasDriver() ? "killed on request" + drivers.kill(before) : null;
        String reason = killed != null ? killed : "killed on request";
        Changed changed = change(name, job -> job.state().hasDriver()
                ? Optional.of(new Change(job.with(DesiredState.STOPPED, job.status().ended(JobState.KILLED, reason,
                        Instant.now())), reason))
                : job.desired() == DesiredState.STOPPED ? Optional.empty()
                        : Optional.of(new Change(job.with(DesiredState.STOPPED, job.status().toBuilder()
                                .nextRestartAt(null).build()), null)));
        if (changed.applied() && before.state().hasDriver()) {
            drivers.forget(before);
        }
        return changed.job();
    }

    public Job reconfigure(String name, JobChangesDto changes) {
        Changed changed = change(name, job -> {
            JobState state = job.state();
            if (state == JobState.STOPPING) {
                throw ApiException.conflict("Job " + name + " is stopping; reconfigure it once it has stopped");
            }
            if (state == JobState.SUBMITTED || state == JobState.STARTING) {
                throw ApiException.conflict("Job " + name + " is starting; reconfigure it once it runs");
            }
            JobConfig config = configs.applyChanges(name, job.config(), changes);
            if (config.equals(job.config())) {
                return Optional.empty();
            }
            if (state == JobState.RUNNING && restartsInPlace(job, config)) {
                return Optional.of(new Change(job.with(config), null));
            }
            JobStatus status = job.status().toBuilder().configChanged(true).build();
            if (state == JobState.RUNNING) {
                return Optional.of(new Change(job.with(config).with(stopping(status, properties.stopTimeout())),
                        "reconfigured: stopping gracefully to start again with the new configuration"));
            }
            return Optional.of(new Change(job.with(config).with(status), null));
        });
        if (changed.applied() && changed.job().state() == JobState.STOPPING) {
            drivers.requestGracefulStop(changed.job());
        } else if (changed.applied() && changed.job().state() == JobState.RUNNING) {
            drivers.requestRestartInPlace(changed.job());
            store.note(changed.job(), "reconfigured in place: the driver restarts its streaming context with the new"
                    + " configuration once every line received is processed");
        }
        return changed.job();
    }

    /**
     * Whether the running driver can take the new configuration by restarting its streaming context: the same Spark
     * resources, and only job settings a driver reads when it builds a streaming context
     * ({@link JobSettings#restartsInPlace}). That skips a new driver's JVM and Spark context.
     */
    private boolean restartsInPlace(Job job, JobConfig next) {
        String launchId = job.status().launchId();
        return job.config().spark().equals(next.spark()) && launchId != null && JobSettings.restartsInPlace(
                JobSettings.parse(launchArguments(job, job.config(), launchId)),
                JobSettings.parse(launchArguments(job, next, launchId)));
    }

    /** The arguments the job's launch {@code launchId} gets with the configuration {@code config}. */
    private String[] launchArguments(Job job, JobConfig config, String launchId) {
        return configs.launchArguments(job.name(), config, job.status().generation(), launchId)
                .toArray(String[]::new);
    }

    /** Deletes a job without a driver; a change meanwhile that leaves it without one (e.g. the leader's) is retried. */
    public void delete(String name) {
        for (int attempt = 0; attempt < 10; attempt++) {
            Job job = get(name);
            if (job.state().hasDriver()) {
                throw ApiException.conflict("Job " + name + " is " + job.state() + "; stop it before deleting it");
            }
            if (store.delete(job)) {
                return;
            }
        }
        throw ApiException.conflict("Job " + name + " changed meanwhile; retry");
    }

    public Page<Transition> history(String name, int limit, String cursor) {
        get(name);
        return store.history(name, limit, cursor);
    }

    public List<String> log(String name, int lines) {
        Job job = get(name);
        if (job.status().logFile() == null) {
            return List.of();
        }
        try {
            return LogTail.lastLines(Path.of(job.status().logFile()), lines);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the driver log " + job.status().logFile(), e);
        }
    }

    /**
     * Whether this call repeats an earlier {@code operation} on the job with the same idempotency key (claiming the key
     * if not); a key first used for another job is a conflict.
     */
    private boolean isRetry(String idempotencyKey, String operation, String job) {
        if (idempotencyKey == null) {
            return false;
        }
        Optional<String> usedFor = store.claimIdempotencyKey(idempotencyKey, operation, job);
        if (usedFor.isPresent() && !usedFor.get().equals(job)) {
            throw ApiException.conflict("Idempotency-Key " + idempotencyKey + " was used to " + operation + " job "
                    + usedFor.get());
        }
        return usedFor.isPresent();
    }

    private static JobStatus stopping(JobStatus status, Duration timeout) {
        return status.toBuilder().state(JobState.STOPPING).stopDeadline(Instant.now().plus(timeout))
                .stopEscalatedAt(null).nextRestartAt(null).build();
    }

    private Changed change(String name, java.util.function.Function<Job, Optional<Change>> decide) {
        return store.change(name, decide).orElseThrow(() -> notFound(name));
    }

    private static ApiException notFound(String name) {
        return ApiException.notFound("No job named " + name);
    }
}
