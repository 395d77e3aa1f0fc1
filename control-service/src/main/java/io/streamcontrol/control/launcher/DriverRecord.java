package io.streamcontrol.control.launcher;

import java.time.Duration;
import java.time.Instant;

/** The row a running driver keeps in its job's {@code drivers} table: who it is and when it last said so. */
public record DriverRecord(
        String launchId,
        String appId,
        long pid,
        String host,
        String uiUrl,
        Instant startedAt,
        Instant heartbeatAt,
        Instant stoppedAt) {

    public boolean stoppedCleanly() {
        return stoppedAt != null;
    }

    public boolean isFresh(Instant now, Duration timeout) {
        return stoppedAt == null && heartbeatAt != null && !heartbeatAt.plus(timeout).isBefore(now);
    }
}
