package io.streamcontrol.job.driver;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How long the driver has been unable to write to Cassandra: from its first failed write since the last one that
 * succeeded. Past the limit the driver gives up instead of retrying forever.
 */
public final class CassandraOutage {

    private final Duration limit;
    private Instant since;

    public CassandraOutage(Duration limit) {
        this.limit = limit;
    }

    public synchronized void failed(Instant at) {
        if (since == null) {
            since = at;
        }
    }

    public synchronized void reached() {
        since = null;
    }

    /** When the outage began, if it lasted longer than the limit at {@code now}. */
    public synchronized Optional<Instant> beyondLimit(Instant now) {
        return since != null && Duration.between(since, now).compareTo(limit) > 0 ? Optional.of(since)
                : Optional.empty();
    }

    public Duration limit() {
        return limit;
    }
}
