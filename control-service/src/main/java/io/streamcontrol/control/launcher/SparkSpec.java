package io.streamcontrol.control.launcher;

import java.util.Map;

/**
 * How Spark runs a driver: master, deploy mode, resources and extra settings. A job's configuration holds its own (the
 * extra settings: the allow-listed ones it was given); a {@link LaunchRequest} holds the launch's (the service's
 * settings added).
 */
public record SparkSpec(
        String master,
        String deployMode,
        String driverMemory,
        int driverCores,
        String executorMemory,
        int executorCores,
        Map<String, String> conf) {

    public SparkSpec {
        conf = Map.copyOf(conf);
    }

    /** The same resources with other extra settings. */
    public SparkSpec withConf(Map<String, String> newConf) {
        return new SparkSpec(master, deployMode, driverMemory, driverCores, executorMemory, executorCores, newConf);
    }

    /** Drivers of a local master or in client mode run on the machine of the service that launched them. */
    public boolean driverOnThisHost() {
        return master.startsWith("local") || "client".equals(deployMode);
    }

    /** Whether the driver runs on a worker of a standalone cluster ({@link StandaloneCluster}). */
    public boolean onStandaloneCluster() {
        return StandaloneCluster.applies(master, deployMode);
    }
}
