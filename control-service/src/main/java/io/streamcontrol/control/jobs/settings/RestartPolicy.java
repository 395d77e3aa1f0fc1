package io.streamcontrol.control.jobs.settings;

import java.time.Duration;
import java.time.Instant;

/**
 * Restarts after failures: up to {@code maxAttempts} in a row, waiting {@code backoff} doubled each time up to the max.
 * A run that stays RUNNING for {@code resetAfter} (zero = never) ends the row: the count starts again.
 */
public record RestartPolicy(int maxAttempts, Duration backoff, Duration maxBackoff, Duration resetAfter) {

    /** Whether a job on its {@code attempt}-th launch, RUNNING since {@code runningSince}, starts a new row now. */
    public boolean resetsAfterHealthyRun(int attempt, Instant runningSince, Instant now) {
        return attempt > 1 && !resetAfter.isZero() && runningSince != null
                && !runningSince.plus(resetAfter).isAfter(now);
    }

    /** Whether a job on its {@code attempt}-th launch (1 = first) may be launched once more. */
    public boolean allowsRestartAfter(int attempt) {
        return attempt - 1 < maxAttempts;
    }

    /** The wait before the launch that follows the {@code attempt}-th one. */
    public Duration delayAfter(int attempt) {
        Duration delay = backoff;
        for (int i = 1; i < attempt && delay.compareTo(maxBackoff) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }
}
