package io.streamcontrol.control.jobs.settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The service's job settings ({@code streamcontrol.jobs.*}) as the unit tests configure them. */
public final class TestSettings {

    public static final String BASE = "file:///var/lib/streamcontrol/checkpoints";

    private TestSettings() {
    }

    /** The tests' settings, standby drivers off. */
    public static JobsProperties properties() {
        return properties(false);
    }

    /** The tests' settings, standby drivers on or off. */
    public static JobsProperties properties(boolean standbys) {
        return new JobsProperties(BASE, Path.of("work"), Duration.ofSeconds(5), Duration.ofMinutes(2),
                Duration.ofSeconds(10), Duration.ofMinutes(3), Duration.ofSeconds(20), Duration.ofSeconds(30),
                new JobsProperties.Spark("local[4]", "client", "768m", 1, "1g", 1), null,
                List.of("spark.streaming.", "spark.executor.instances"),
                new JobsProperties.Restart(3, Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofHours(1)),
                new JobsProperties.Standby(standbys, Duration.ofHours(1)));
    }
}
