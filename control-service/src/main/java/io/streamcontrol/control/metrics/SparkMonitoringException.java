package io.streamcontrol.control.metrics;

/** A driver's monitoring API did not give what was asked; {@code retryable} when asking again may help. */
class SparkMonitoringException extends RuntimeException {

    private final boolean retryable;

    SparkMonitoringException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    SparkMonitoringException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    boolean retryable() {
        return retryable;
    }
}
