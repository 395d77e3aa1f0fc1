package io.streamcontrol.control.jobs;

import java.util.Map;

/** How Spark runs a job: master, deploy mode, resources and the allow-listed extra settings. */
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
}
