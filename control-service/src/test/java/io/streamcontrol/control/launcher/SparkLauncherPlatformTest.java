package io.streamcontrol.control.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SparkLauncherPlatformTest {

    private static final Path JAR = Path.of("/opt/stream-control/streaming-job-job.jar");

    @Test
    void driverPodsOfKubernetesClusterModeTakeTheJarFromTheirImage() {
        assertThat(SparkLauncherPlatform.appResource(JAR, "k8s://https://kubernetes.default.svc", "cluster"))
                .isEqualTo("local:///opt/stream-control/streaming-job-job.jar");
    }

    @Test
    void everyOtherLaunchPassesTheLocalPath() {
        assertThat(SparkLauncherPlatform.appResource(JAR, "k8s://https://kubernetes.default.svc", "client"))
                .isEqualTo("/opt/stream-control/streaming-job-job.jar");
        assertThat(SparkLauncherPlatform.appResource(JAR, "spark://master:6066", "cluster"))
                .isEqualTo("/opt/stream-control/streaming-job-job.jar");
        assertThat(SparkLauncherPlatform.appResource(JAR, "local[2]", "client"))
                .isEqualTo("/opt/stream-control/streaming-job-job.jar");
    }
}
