package io.streamcontrol.control.jobs;

import java.time.Instant;

/** A stored job: its configuration, what the user wants of it and what is observed; {@code version} guards updates. */
public record Job(
        String name,
        JobConfig config,
        DesiredState desired,
        JobStatus status,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    public JobState state() {
        return status.state();
    }

    public Job with(DesiredState newDesired, JobStatus newStatus) {
        return new Job(name, config, newDesired, newStatus, version, createdAt, updatedAt);
    }

    public Job with(JobStatus newStatus) {
        return with(desired, newStatus);
    }

    public Job with(JobConfig newConfig) {
        return new Job(name, newConfig, desired, status, version, createdAt, updatedAt);
    }
}
