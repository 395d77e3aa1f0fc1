package io.streamcontrol.control.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.launcher.SparkAppHandle;
import org.apache.spark.launcher.SparkLauncher;
import org.springframework.stereotype.Component;

/**
 * Launches the job with {@link SparkLauncher#startApplication}: spark-submit runs as a child process, and the handle's
 * listener reports the driver's state. The driver's output goes to a file, so the driver does not depend on this
 * process's pipes and outlives a restart of the service.
 */
@Component
class SparkLauncherPlatform implements SparkPlatform {

    private final LauncherProperties properties;

    SparkLauncherPlatform(LauncherProperties properties) {
        this.properties = properties;
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
        Map<String, String> environment = new HashMap<>(properties.environment());
        // secrets reach spark-submit (and the local or client-mode driver it becomes) only through its environment
        environment.putAll(request.secretEnvironment());
        SparkLauncher launcher = new SparkLauncher(environment)
                .setSparkHome(properties.home().toAbsolutePath().toString())
                .setAppResource(properties.jobJar().toAbsolutePath().toString())
                .setMainClass(properties.mainClass())
                .setAppName(request.job())
                .setMaster(request.master())
                .setDeployMode(request.deployMode())
                .setConf(SparkLauncher.DRIVER_MEMORY, request.driverMemory())
                .setConf("spark.driver.cores", String.valueOf(request.driverCores()))
                .setConf(SparkLauncher.EXECUTOR_MEMORY, request.executorMemory())
                .setConf(SparkLauncher.EXECUTOR_CORES, String.valueOf(request.executorCores()))
                .addAppArgs(request.jobArguments().toArray(String[]::new))
                .redirectError()
                .redirectOutput(request.logFile().toFile());
        if (!properties.javaHome().isBlank()) {
            launcher.setJavaHome(properties.javaHome());
        }
        request.conf().forEach(launcher::setConf);
        String launchId = request.launchId();
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
