package io.streamcontrol.control.launcher;

import java.util.Optional;

/** A driver launched by this service instance. */
public interface DriverHandle {

    String launchId();

    DriverState state();

    Optional<String> appId();

    /** The id a cluster manager gave the driver (a standalone master's {@code driver-...}), if it gives one. */
    default Optional<String> submissionId() {
        return Optional.empty();
    }

    /** Asks the platform to stop the application (Spark's launcher stop: the SparkContext, not a drain). */
    void stop();

    /** Ends the driver process now. */
    void kill();
}
