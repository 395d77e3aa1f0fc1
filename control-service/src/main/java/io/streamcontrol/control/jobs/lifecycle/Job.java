package io.streamcontrol.control.jobs.lifecycle;

import io.streamcontrol.control.jobs.settings.JobConfig;
import java.time.Instant;

/**
 * A stored job: its configuration, what the user wants of it and what is observed; {@code version} guards updates.
 * {@code leaderTerm} is the lease term of the reconciler that last changed it (0: none yet): a reconciler of an older
 * term may no longer change it (see {@link JobStore#update(Job, Job, String, long)}).
 */
public record Job(
        String name,
        JobConfig config,
        DesiredState desired,
        JobStatus status,
        long version,
        Instant createdAt,
        Instant updatedAt,
        long leaderTerm) {

    public Job(String name, JobConfig config, DesiredState desired, JobStatus status, long version, Instant createdAt,
            Instant updatedAt) {
        this(name, config, desired, status, version, createdAt, updatedAt, 0);
    }

    public JobState state() {
        return status.state();
    }

    public Job with(DesiredState newDesired, JobStatus newStatus) {
        return new Job(name, config, newDesired, newStatus, version, createdAt, updatedAt, leaderTerm);
    }

    public Job with(JobStatus newStatus) {
        return with(desired, newStatus);
    }

    public Job with(JobConfig newConfig) {
        return new Job(name, newConfig, desired, status, version, createdAt, updatedAt, leaderTerm);
    }
}
