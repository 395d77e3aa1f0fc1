package io.streamcontrol.control.jobs.settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the service runs jobs.
 *
 * @param checkpointBase URI under which every job's checkpoints live (file:, hdfs:, dsefs:, s3a:); empty = the local
 *     directory .local-run/checkpoints
 * @param workDirectory local directory of the drivers' logs
 * @param reconcileInterval how often desired and observed states are compared
 * @param stopTimeout how long a graceful stop may take before the launcher's stop, unless the request says otherwise
 * @param stopGrace how long after the launcher's stop the driver is killed
 * @param startTimeout how long a launch may take to reach RUNNING before it counts as failed
 * @param heartbeatTimeout a driver whose heartbeat is older is not alive
 * @param shutdownTimeout how long the service's shutdown waits for the local drivers it launched to stop gracefully
 *     before it kills them (their jobs start again on the next leader)
 * @param spark Spark settings of jobs that do not give their own
 * @param sparkConf Spark settings the service adds to every launch (not subject to the allow-list); default: driver
 *     host and bind address 127.0.0.1
 * @param allowedSparkConf Spark settings callers may pass: exact keys, or prefixes ending with a dot
 * @param restartPolicy restart policy of jobs that do not give their own
 * @param standby drivers launched ahead of a start ({@link Standby})
 */
@ConfigurationProperties(prefix = "streamcontrol.jobs")
public record JobsProperties(
        @DefaultValue("") String checkpointBase,
        @DefaultValue(".local-run/jobs") Path workDirectory,
        @DefaultValue("5s") Duration reconcileInterval,
        @DefaultValue("2m") Duration stopTimeout,
        @DefaultValue("10s") Duration stopGrace,
        @DefaultValue("3m") Duration startTimeout,
        @DefaultValue("20s") Duration heartbeatTimeout,
        @DefaultValue("30s") Duration shutdownTimeout,
        @DefaultValue Spark spark,
        Map<String, String> sparkConf,
        @DefaultValue({"spark.streaming.", "spark.cassandra.output.", "spark.cassandra.input.", "spark.executor.instances",
                "spark.executor.memoryOverhead", "spark.driver.memoryOverhead", "spark.default.parallelism",
                "spark.memory.fraction", "spark.memory.storageFraction", "spark.locality.wait", "spark.task.maxFailures",
                "spark.network.timeout", "spark.ui.retainedJobs", "spark.ui.retainedStages",
                "spark.kubernetes.driver.request.cores", "spark.kubernetes.executor.request.cores"})
        List<String> allowedSparkConf,
        @DefaultValue Restart restartPolicy,
        @DefaultValue Standby standby) {

    public JobsProperties {
        if (sparkConf == null) {
            sparkConf = Map.of("spark.driver.host", "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1");
        }
    }

    /** Spark defaults of a job. */
    public record Spark(
            @DefaultValue("local[4]") String master,
            @DefaultValue("client") String deployMode,
            @DefaultValue("768m") String driverMemory,
            @DefaultValue("1") int driverCores,
            @DefaultValue("1g") String executorMemory,
            @DefaultValue("1") int executorCores) {
    }

    /** Restart policy defaults; {@code resetAfter}: a run healthy this long resets the restart count (0s = never). */
    public record Restart(
            @DefaultValue("3") int maxAttempts,
            @DefaultValue("10s") Duration backoff,
            @DefaultValue("5m") Duration maxBackoff,
            @DefaultValue("1h") Duration resetAfter) {
    }

    /**
     * Standby drivers.
     *
     * @param enabled whether every stopped job whose driver runs on this service's machine (local master or client
     *     mode) gets a driver launched ahead, which its next start takes over
     * @param idleTimeout a standby driver not taken over within this time exits (the next one replaces it); it bounds
     *     how long a standby left behind by a service that died outlives it
     */
    public record Standby(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("1h") Duration idleTimeout) {
    }

    public String checkpointBaseUri() {
        String base = checkpointBase.isBlank() ? Path.of(".local-run/checkpoints").toAbsolutePath().normalize().toUri()
                .toString() : checkpointBase;
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
