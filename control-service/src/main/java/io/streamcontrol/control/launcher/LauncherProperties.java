package io.streamcontrol.control.launcher;

import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the service runs spark-submit.
 *
 * @param home SPARK_HOME with bin/spark-submit (the assembled one of spark-home/, or a Spark distribution)
 * @param jobJar the streaming job's jar (default, in application.properties: the -job.jar of this build)
 * @param mainClass the job's main class
 * @param javaHome JDK of spark-submit and of local drivers (Spark 3.5 needs 17); empty = the service's own
 * @param environment extra environment of spark-submit (default SPARK_LOCAL_IP=127.0.0.1: local drivers stay
 *     on loopback)
 */
@ConfigurationProperties(prefix = "streamcontrol.spark")
public record LauncherProperties(
        @DefaultValue("spark-home/target/spark-home") Path home,
        Path jobJar,
        @DefaultValue("io.streamcontrol.job.StreamingJob") String mainClass,
        @DefaultValue("") String javaHome,
        Map<String, String> environment) {

    public LauncherProperties {
        if (environment == null) {
            environment = Map.of("SPARK_LOCAL_IP", "127.0.0.1");
        }
    }
}
