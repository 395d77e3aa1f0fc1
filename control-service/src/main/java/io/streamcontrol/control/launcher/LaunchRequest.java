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
        SparkSpec spark,
        List<String> jobArguments,
        Path logFile,
        Map<String, String> secretEnvironment) {

    public LaunchRequest {
        jobArguments = List.copyOf(jobArguments);
        secretEnvironment = Map.copyOf(secretEnvironment);
    }

    /** Shows the names of the secret environment variables, never their values. */
    @Override
    public String toString() {
        return "LaunchRequest[job=" + job + ", launchId=" + launchId + ", master=" + spark.master() + ", deployMode="
                + spark.deployMode() + ", conf=" + spark.conf() + ", jobArguments=" + jobArguments + ", logFile="
                + logFile + ", secretEnvironment=" + secretEnvironment.keySet() + "]";
    }
}
