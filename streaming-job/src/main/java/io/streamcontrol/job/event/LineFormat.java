package io.streamcontrol.job.event;

/** Wire format of one event per line. */
public enum LineFormat {
    CSV, JSON
}
