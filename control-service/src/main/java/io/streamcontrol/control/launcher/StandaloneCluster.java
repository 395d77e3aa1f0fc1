package io.streamcontrol.control.launcher;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * Cluster deploy mode on a Spark standalone master ({@code spark://}), where the driver runs on a worker and the
 * launcher's handle never connects: what a submission needs, how its driver id is read from spark-submit's output, and
 * how the master's REST submission server ({@code /v1/submissions}) names a driver's state. Pure functions.
 */
public final class StandaloneCluster {

    /** spark-submit uses the REST submission client (which reports the driver id) only with this set. */
    static final String REST_ENABLED = "spark.master.rest.enabled";
    static final String DRIVER_JAVA_OPTIONS = "spark.driver.extraJavaOptions";

    /** Settings that name the service's own host: meaningless for a driver that runs on a worker. */
    static final List<String> SERVICE_HOST_SETTINGS = List.of("spark.driver.host", "spark.driver.bindAddress");

    /** The id the master gives a driver: {@code driver-<yyyyMMddHHmmss>-<n>}, n at least 4 digits. */
    private static final Pattern DRIVER_ID = Pattern.compile("\\b(driver-\\d{14}-\\d{4,})\\b");

    private StandaloneCluster() {
    }

    /** Whether a launch runs its driver on a standalone cluster's worker. */
    public static boolean applies(String master, String deployMode) {
        return master != null && master.startsWith("spark://") && "cluster".equals(deployMode);
    }

    /**
     * The Spark settings of a cluster-mode submission: the REST submission protocol; the Java 17 module flags for the
     * driver's JVM (the worker starts it with {@code java} directly, so nobody else adds them; Spark itself adds them
     * to executors); no driver address of the service's host; the driver UI on a free port of its worker (it reports
     * the port in its {@code drivers} row) unless the service's settings choose one.
     */
    static Map<String, String> submissionConf(Map<String, String> conf) {
        Map<String, String> result = new HashMap<>(conf);
        SERVICE_HOST_SETTINGS.forEach(result::remove);
        result.put(REST_ENABLED, "true");
        String given = result.get(DRIVER_JAVA_OPTIONS);
        String modules = JavaModuleOptions.defaultModuleOptions();
        result.put(DRIVER_JAVA_OPTIONS, given == null || given.isBlank() ? modules : modules + " " + given.trim());
        result.putIfAbsent("spark.ui.port", "0");
        return result;
    }

    /** The REST submission endpoints of a master URL ({@code spark://host:port[,host:port...]} for HA masters). */
    static List<URI> restEndpoints(String master) {
        if (!master.startsWith("spark://")) {
            throw new IllegalArgumentException("not a standalone master: " + master);
        }
        List<URI> endpoints = new ArrayList<>();
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            if (!hostPort.isBlank()) {
                endpoints.add(URI.create("http://" + hostPort.trim() + "/v1/submissions/"));
            }
        }
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no master in " + master);
        }
        return endpoints;
    }

    /**
     * The driver id in the output of a spark-submit that has ended (REST client: "Submission successfully created as
     * driver-..."; legacy client: "Driver successfully submitted as driver-...").
     */
    static Optional<String> driverId(List<String> submitOutput) {
        for (String line : submitOutput) {
            Matcher matcher = DRIVER_ID.matcher(line);
            if (matcher.find()) {
                return Optional.of(matcher.group(1));
            }
        }
        return Optional.empty();
    }

    /**
     * A driver state of the master ({@code org.apache.spark.deploy.master.DriverState}) as this service's. RUNNING
     * means the driver's JVM runs on a worker, not yet that the job runs (its {@code drivers} row says that): it is
     * reported as CONNECTED, the launcher's word for the same stage. ERROR is a driver that could not be launched.
     * An unknown state or a driver the master does not know (any more) is LOST: its own row decides.
     */
    static DriverState driverState(String masterState) {
        if (masterState == null) {
            return DriverState.LOST;
        }
        return switch (masterState.toUpperCase(Locale.ROOT)) {
            case "SUBMITTED", "RELAUNCHING", "UNKNOWN" -> DriverState.SUBMITTED;
            case "RUNNING" -> DriverState.CONNECTED;
            case "FINISHED" -> DriverState.FINISHED;
            case "FAILED", "ERROR" -> DriverState.FAILED;
            case "KILLED" -> DriverState.KILLED;
            default -> DriverState.LOST;
        };
    }

    /**
     * A log4j2 configuration for the spark-submit JVM of a cluster-mode launch: the REST client reports the driver id
     * at INFO, and a SPARK_HOME configured for WARN would hide it. Nothing else of that JVM is logged differently.
     */
    static String submitLogConfiguration() {
        return String.join("\n",
                "# written by the control service for spark-submit in cluster deploy mode",
                "rootLogger.level = warn",
                "rootLogger.appenderRef.stderr.ref = stderr",
                "appender.stderr.type = Console",
                "appender.stderr.name = stderr",
                "appender.stderr.target = SYSTEM_ERR",
                "appender.stderr.layout.type = PatternLayout",
                "appender.stderr.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex",
                "logger.rest.name = org.apache.spark.deploy.rest.RestSubmissionClient",
                "logger.rest.level = info",
                "logger.legacy.name = org.apache.spark.deploy.ClientEndpoint",
                "logger.legacy.level = info",
                "");
    }
}
