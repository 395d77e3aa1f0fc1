package io.streamcontrol.control.launcher;

/**
 * Callbacks of a launched driver. They arrive on the platform's own threads and must return at once: implementations
 * hand the work to another thread.
 */
public interface DriverListener {

    void stateChanged(String launchId, DriverState state);

    void appIdAssigned(String launchId, String appId);

    /** A cluster manager accepted the driver under this id (cluster deploy mode on a standalone master). */
    default void submitted(String launchId, String submissionId) {
    }
}
