package io.streamcontrol.control.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Everything one launch of the streaming job needs: the Spark side, the job's arguments and where its log goes. */
public record LaunchRequest(
        String job,
        String launchId,
        String master,
        String deployMode,
        String driverMemory,
        int driverCores,
        String executorMemory,
        int executorCores,
        Map<String, String> conf,
        List<String> jobArguments,
        Path logFile) {

    public LaunchRequest {
        conf = Map.copyOf(conf);
        jobArguments = List.copyOf(jobArguments);
    }
}
