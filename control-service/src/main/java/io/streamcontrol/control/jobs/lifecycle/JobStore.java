package io.streamcontrol.control.jobs.lifecycle;

import io.streamcontrol.control.system.Pages.Page;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Jobs and their history, wherever they are kept ({@link CassandraJobStore}: in the control keyspace). Every update
 * is conditional on the job's version, so concurrent requests, listener callbacks and the reconciliation loop (in one
 * or several service instances) never overwrite each other: the loser re-reads and decides again. The reconciliation
 * loop's updates also carry its lease term, so that a former leader cannot change a job once a newer one has.
 */
public interface JobStore {

    /** The job after a change and why it changed. */
    record Change(Job next, String reason) {
    }

    /** The job after {@link #change}, and whether this call changed it. */
    record Changed(Job job, boolean applied) {
    }

    /** A state change as the history shows it. */
    record Transition(Instant at, JobState from, JobState to, String reason, int attempt, String appId) {
    }

    /** Stores a new job; false if one of that name exists. */
    boolean insert(Job job, String reason);

    Optional<Job> find(String name);

    List<Job> all();

    /**
     * Replaces {@code current} with {@code next} if nobody changed the job since {@code current} was read; records a
     * history entry when the state changes. Returns the stored job, or empty if the job changed meanwhile.
     */
    Optional<Job> update(Job current, Job next, String reason);

    /**
     * {@link #update(Job, Job, String)} by the reconciliation loop of the lease term {@code leaderTerm}: refused
     * (empty) if a leader of a newer term changed the job, else stored with that term, which refuses any older leader
     * from then on.
     */
    Optional<Job> update(Job current, Job next, String reason, long leaderTerm);

    /**
     * Reads the job, asks {@code decide} for the change to make (empty = none) and stores it if nobody changed the job
     * meanwhile, else reads and decides again. Empty if there is no such job.
     */
    default Optional<Changed> change(String name, Function<Job, Optional<Change>> decide) {
        for (int attempt = 0; attempt < 50; attempt++) {
            Optional<Job> current = find(name);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            Optional<Change> change = decide.apply(current.get());
            if (change.isEmpty()) {
                return Optional.of(new Changed(current.get(), false));
            }
            Optional<Job> stored = update(current.get(), change.get().next(), change.get().reason());
            if (stored.isPresent()) {
                return Optional.of(new Changed(stored.get(), true));
            }
        }
        throw new IllegalStateException("Job " + name + " kept changing under concurrent updates");
    }

    /** A history entry without a state change (e.g. a driver found again after a restart of the service). */
    void note(Job job, String reason);

    boolean delete(Job job);

    Page<Transition> history(String name, int limit, String cursor);

    /**
     * Claims an idempotency key for an operation on a job. Returns the job the key was first used for if it was
     * claimed before, or empty if this call claimed it.
     */
    Optional<String> claimIdempotencyKey(String key, String operation, String job);
}
