package io.streamcontrol.contract.settings;

/** Wire format of one event per line. */
public enum LineFormat {
    CSV, JSON
}
