package io.streamcontrol.control.jobs.lifecycle;

import io.streamcontrol.control.launcher.DriverState;

/** The observed state of a job, as the API shows it. */
public enum JobState {
    STOPPED, SUBMITTED, STARTING, RUNNING, STOPPING, FAILED, KILLED, LOST;

    /** A driver was launched and has not been seen to end. */
    public boolean hasDriver() {
        return this == SUBMITTED || this == STARTING || this == RUNNING || this == STOPPING;
    }

    /** The driver ended without a graceful stop: its checkpoint, not the tables, is the truth to resume from. */
    public boolean endedWithoutGracefulStop() {
        return this == FAILED || this == KILLED || this == LOST;
    }

    /** The job state of a driver that ended as the launcher reports it. */
    public static JobState endedAs(DriverState state) {
        return switch (state) {
            case FINISHED, FAILED -> FAILED;
            case KILLED -> KILLED;
            default -> LOST;
        };
    }
}
