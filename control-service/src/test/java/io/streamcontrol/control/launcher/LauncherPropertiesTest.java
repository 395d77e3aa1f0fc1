package io.streamcontrol.control.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LauncherPropertiesTest {

    @Test
    void theDefaultJobJarIsTheOneThisBuildMade() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        Matcher version = Pattern.compile("<version>([^<]+)</version>").matcher(Files.readString(Path.of("..",
                "pom.xml")));
        assertThat(version.find()).isTrue();
        assertThat(properties.getProperty("streamcontrol.spark.job-jar")).as("filtered by the build")
                .isEqualTo("streaming-job/target/streaming-job-" + version.group(1) + "-job.jar");
    }
}
