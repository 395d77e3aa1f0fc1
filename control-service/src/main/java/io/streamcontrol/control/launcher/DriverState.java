package io.streamcontrol.control.launcher;

/** What the platform reports of a launched driver; the last four are final. */
public enum DriverState {
    SUBMITTED, CONNECTED, RUNNING, FINISHED, FAILED, KILLED, LOST;

    public boolean isFinal() {
        return this == FINISHED || this == FAILED || this == KILLED || this == LOST;
    }
}
