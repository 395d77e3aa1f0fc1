package io.streamcontrol.control.jobs.lifecycle;

import io.streamcontrol.control.jobs.settings.JobConfig;
import io.streamcontrol.control.jobs.settings.RestartPolicy;
import io.streamcontrol.control.launcher.SparkSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Jobs as the unit tests make them: job {@code sales} in keyspace {@code ks}, launched a minute before {@link #NOW}. */
public final class TestJobs {

    public static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    private TestJobs() {
    }

    public static Job job(DesiredState desired, JobState state, UnaryOperator<JobStatus.Builder> status) {
        JobConfig config = new JobConfig(Map.of("keyspace", "ks"), new SparkSpec("local[4]", "client", "768m", 1, "1g",
                1, Map.of()), new RestartPolicy(2, Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofHours(1)));
        JobStatus base = JobStatus.created().toBuilder().state(state).attempt(1).launchId("launch-1")
                .launchedAt(NOW.minusSeconds(60)).build();
        return new Job("sales", config, desired, status.apply(base.toBuilder()).build(), 3, NOW, NOW);
    }

    public static Job job(DesiredState desired, JobState state) {
        return job(desired, state, b -> b);
    }
}
