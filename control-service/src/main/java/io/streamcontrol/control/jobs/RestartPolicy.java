package io.streamcontrol.control.jobs;

import java.time.Duration;

/** Restarts after failures: up to {@code maxAttempts} in a row, waiting {@code backoff} doubled each time up to the max. */
public record RestartPolicy(int maxAttempts, Duration backoff, Duration maxBackoff) {

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
