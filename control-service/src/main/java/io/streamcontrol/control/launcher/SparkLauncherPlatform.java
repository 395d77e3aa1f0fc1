package io.streamcontrol.control.launcher;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.launcher.SparkAppHandle;
import org.apache.spark.launcher.SparkLauncher;
import org.springframework.stereotype.Component;

/**
 * Launches the job with {@link SparkLauncher#startApplication}: spark-submit runs as a child process, and the handle's
 * listener reports the driver's state. The driver's output goes to a file, so the driver does not depend on this
 * process's pipes and outlives a restart of the service.
 *
 * <p>In cluster deploy mode on a standalone master the handle covers spark-submit only (it never connects): the
 * driver is then watched and killed through the master's REST submission server ({@link ClusterDriverHandle}).
 */
@Component
class SparkLauncherPlatform implements SparkPlatform {

    /** How often the drivers of cluster-mode launches are looked up on their master. */
    static final long MASTER_POLL_SECONDS = 2;

    private final LauncherProperties properties;
    private final StandaloneMaster masters;
    private final ScheduledExecutorService masterPolls = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "standalone-master-polls");
        thread.setDaemon(true);
        return thread;
    });

    SparkLauncherPlatform(LauncherProperties properties, StandaloneMaster masters) {
        this.properties = properties;
        this.masters = masters;
    }

    @Override
    public DriverHandle launch(LaunchRequest request, DriverListener listener) throws IOException {
        if (!Files.isRegularFile(properties.home().resolve("bin/spark-submit"))) {
            throw new IOException("No bin/spark-submit in SPARK_HOME " + properties.home().toAbsolutePath());
        }
        if (!Files.isRegularFile(properties.jobJar())) {
            throw new IOException("No job jar at " + properties.jobJar().toAbsolutePath());
        }
        Files.createDirectories(request.logFile().toAbsolutePath().getParent());
        SparkSpec spark = request.spark();
        boolean onCluster = spark.onStandaloneCluster();
        if (onCluster) {
            masters.requireRestServer(spark.master());
        }
        Map<String, String> environment = new HashMap<>(properties.environment());
        // secrets reach spark-submit (and the local or client-mode driver it becomes) only through its environment
        environment.putAll(request.secretEnvironment());
        if (onCluster) {
            reportDriverId(environment, request.logFile());
        }
        SparkLauncher launcher = new SparkLauncher(environment)
                .setSparkHome(properties.home().toAbsolutePath().toString())
                .setAppResource(appResource(properties.jobJar(), spark.master(), spark.deployMode()))
                .setMainClass(properties.mainClass())
                .setAppName(request.job())
                .setMaster(spark.master())
                .setDeployMode(spark.deployMode())
                .setConf(SparkLauncher.DRIVER_MEMORY, spark.driverMemory())
                .setConf("spark.driver.cores", String.valueOf(spark.driverCores()))
                .setConf(SparkLauncher.EXECUTOR_MEMORY, spark.executorMemory())
                .setConf(SparkLauncher.EXECUTOR_CORES, String.valueOf(spark.executorCores()))
                .addAppArgs(request.jobArguments().toArray(String[]::new))
                .redirectError()
                .redirectOutput(request.logFile().toFile());
        if (!properties.javaHome().isBlank()) {
            launcher.setJavaHome(properties.javaHome());
        }
        (onCluster ? StandaloneCluster.submissionConf(spark.conf()) : spark.conf()).forEach(launcher::setConf);
        String launchId = request.launchId();
        if (onCluster) {
            return submitToCluster(launcher, request, listener);
        }
        SparkAppHandle handle = launcher.startApplication(new SparkAppHandle.Listener() {
            @Override
            public void stateChanged(SparkAppHandle h) {
                listener.stateChanged(launchId, toDriverState(h.getState()));
            }

            @Override
            public void infoChanged(SparkAppHandle h) {
                if (h.getAppId() != null) {
                    listener.appIdAssigned(launchId, h.getAppId());
                }
            }
        });
        return new LauncherHandle(launchId, handle);
    }

    /**
     * The job jar as spark-submit should name it. A driver pod of Spark on Kubernetes finds it in its image at the
     * service's own path ({@code local://}: the chart's default driver image is the service's, which holds the jar),
     * instead of spark-submit uploading a copy through {@code spark.kubernetes.file.upload.path}.
     */
    static String appResource(Path jobJar, String master, String deployMode) {
        String path = jobJar.toAbsolutePath().toString();
        return master != null && master.startsWith("k8s://") && "cluster".equals(deployMode) ? "local://" + path
                : path;
    }

    /** spark-submit ends once the master accepted the driver; the handle takes over from its output. */
    private DriverHandle submitToCluster(SparkLauncher launcher, LaunchRequest request, DriverListener listener)
            throws IOException {
        ClusterDriverHandle handle = new ClusterDriverHandle(request.launchId(), request.spark().master(),
                request.logFile().toAbsolutePath(), masters, listener);
        SparkAppHandle submit = launcher.startApplication(new SparkAppHandle.Listener() {
            @Override
            public void stateChanged(SparkAppHandle h) {
                if (h.getState().isFinal()) {
                    masterPolls.execute(handle::poll); // read the driver id at once
                }
            }

            @Override
            public void infoChanged(SparkAppHandle h) {
            }
        });
        handle.submitting(submit, masterPolls.scheduleWithFixedDelay(handle::poll, MASTER_POLL_SECONDS,
                MASTER_POLL_SECONDS, TimeUnit.SECONDS));
        return handle;
    }

    /**
     * Makes spark-submit print the driver id whatever the log level of SPARK_HOME's conf: its JVM gets a log
     * configuration of its own (next to the job's driver logs) through SPARK_SUBMIT_OPTS.
     */
    private static void reportDriverId(Map<String, String> environment, Path logFile) throws IOException {
        Path configuration = logFile.toAbsolutePath().getParent().resolve("spark-submit-log4j2.properties");
        Files.writeString(configuration, StandaloneCluster.submitLogConfiguration());
        String option = "-Dlog4j2.configurationFile=" + configuration.toUri();
        String given = environment.getOrDefault("SPARK_SUBMIT_OPTS", System.getenv("SPARK_SUBMIT_OPTS"));
        environment.put("SPARK_SUBMIT_OPTS", given == null || given.isBlank() ? option : given + " " + option);
    }

    @PreDestroy
    void shutdown() {
        masterPolls.shutdownNow();
    }

    static DriverState toDriverState(SparkAppHandle.State state) {
        return switch (state) {
            case UNKNOWN, SUBMITTED -> DriverState.SUBMITTED;
            case CONNECTED -> DriverState.CONNECTED;
            case RUNNING -> DriverState.RUNNING;
            case FINISHED -> DriverState.FINISHED;
            case FAILED -> DriverState.FAILED;
            case KILLED -> DriverState.KILLED;
            case LOST -> DriverState.LOST;
        };
    }

    private record LauncherHandle(String launchId, SparkAppHandle handle) implements DriverHandle {

        @Override
        public DriverState state() {
            return toDriverState(handle.getState());
        }

        @Override
        public Optional<String> appId() {
            return Optional.ofNullable(handle.getAppId());
        }

        @Override
        public void stop() {
            try {
                handle.stop();
            } catch (IllegalStateException e) {
                // not connected (yet, or any more): the kill that follows ends it
            }
        }

        @Override
        public void kill() {
            handle.kill();
        }
    }
}
