package io.streamcontrol.control.jobs.settings;

import io.streamcontrol.control.launcher.SparkSpec;
import java.util.Map;
import java.util.TreeMap;

/**
 * A job's whole configuration with defaults filled in: the streaming job's settings as its own argument names
 * ({@code batch-interval -> 5s}; without the ones the service sets per launch), Spark, and the restart policy.
 */
public record JobConfig(Map<String, String> settings, SparkSpec spark, RestartPolicy restartPolicy) {

    public JobConfig {
        settings = java.util.Collections.unmodifiableMap(new TreeMap<>(settings));
    }

    public String setting(String name) {
        return settings.get(name);
    }

    public String keyspace() {
        return settings.get("keyspace");
    }
}
