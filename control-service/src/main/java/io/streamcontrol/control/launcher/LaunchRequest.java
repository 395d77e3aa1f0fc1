package io.streamcontrol.control.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything one launch of the streaming job needs: the Spark side, the job's arguments, where its log goes, and the
 * secrets (Cassandra passwords) spark-submit gets in its environment, never on its command line.
 */
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
        Path logFile,
        Map<String, String> secretEnvironment) {

    public LaunchRequest {
        conf = Map.copyOf(conf);
        jobArguments = List.copyOf(jobArguments);
        secretEnvironment = Map.copyOf(secretEnvironment);
    }

    /** Shows the names of the secret environment variables, never their values. */
    @Override
    public String toString() {
        return "LaunchRequest[job=" + job + ", launchId=" + launchId + ", master=" + master + ", deployMode="
                + deployMode + ", conf=" + conf + ", jobArguments=" + jobArguments + ", logFile=" + logFile
                + ", secretEnvironment=" + secretEnvironment.keySet() + "]";
    }
}
