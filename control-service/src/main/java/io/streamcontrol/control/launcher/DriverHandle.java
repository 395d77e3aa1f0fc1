package io.streamcontrol.control.launcher;

import java.util.Optional;

/** A driver launched by this service instance. */
public interface DriverHandle {

    String launchId();

    DriverState state();

    Optional<String> appId();

    /** Asks the platform to stop the application (Spark's launcher stop: the SparkContext, not a drain). */
    void stop();

    /** Ends the driver process now. */
    void kill();
}
