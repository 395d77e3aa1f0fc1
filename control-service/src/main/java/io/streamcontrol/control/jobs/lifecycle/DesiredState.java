package io.streamcontrol.control.jobs.lifecycle;

/** What the user asked for; the reconciliation loop makes the observed state follow it. */
public enum DesiredState {
    RUNNING, STOPPED
}
