package io.streamcontrol.control.jobs.settings;

import io.streamcontrol.contract.settings.Durations;
import io.streamcontrol.contract.settings.InvalidSettingException;
import io.streamcontrol.contract.settings.JobSettings;
import io.streamcontrol.contract.settings.Setting;
import io.streamcontrol.control.api.model.JobChangesDto;
import io.streamcontrol.control.api.model.JobConfigurationDto;
import io.streamcontrol.control.api.model.JobDefinitionDto;
import io.streamcontrol.control.api.model.SparkSettingsDto;
import io.streamcontrol.control.launcher.SparkSpec;
import io.streamcontrol.control.system.ApiException;
import io.streamcontrol.control.system.ControlCassandraProperties;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns what callers send into a validated {@link JobConfig} and back. The streaming job's own settings parser is the
 * one authority on its settings and their defaults: the service validates by parsing the arguments it would launch with.
 */
@Component
public class JobConfigs {

    /** Settings the service sets for each launch (its own name, the launch, the Cassandra connection); callers cannot. */
    static final Set<String> SERVICE_SETTINGS = JobSettings.ALL.stream().filter(Setting::isSetByService)
            .map(Setting::name).collect(Collectors.toUnmodifiableSet());

    private static final java.time.format.DateTimeFormatter CREATED = java.time.format.DateTimeFormatter
            .ofPattern("'created-'yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC);

    /** Never passed on to spark-submit, whatever the setting. */
    static final String SHELL_METACHARACTERS = "`$;|&<>\\\"'";

    /** Spark settings with their own fields (or set by the service), and settings that load or run code. */
    private static final List<String> REFUSED_SPARK_CONF = List.of("extraJavaOptions", "extraClassPath",
            "extraLibraryPath", "spark.jars", "spark.files", "spark.archives", "spark.submit.", "spark.plugins",
            "plugin", "extraListeners", "Listener", ".class", "spark.master", "spark.app.", "spark.ui.port",
            "spark.driver.memory", "spark.driver.cores", "spark.executor.memory", "spark.executor.cores",
            "userClassPathFirst", "spark.driver.host", "spark.driver.bindAddress", "spark.redaction",
            // the service owns the connection and its credentials
            "spark.cassandra.auth.", "spark.cassandra.connection.");

    private final JobsProperties properties;
    private final JobConnection connection;
    private final String jobReplication;
    private final JsonMapper json;
    /** Stored settings are text ({@code receivers -> "2"}); this mapper types them as the API shows them. */
    private static final JsonMapper STORED_TEXT = JsonMapper.builder()
            .enable(tools.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS).build();

    JobConfigs(JobsProperties properties, JobConnection connection, ControlCassandraProperties cassandra,
            JsonMapper json) {
        this.properties = properties;
        this.connection = connection;
        this.jobReplication = cassandra.jobReplication();
        this.json = json;
    }

    /**
     * A new job's configuration. Without a checkpoint of its own a job checkpoints under the base, in a directory of
     * its name and creation time: a job created again under the name of a deleted one must not recover the old one's
     * checkpoint (which holds the old settings); it starts fresh and rebuilds its state from its tables.
     */
    public JobConfig fromDefinition(JobDefinitionDto definition, Instant createdAt) {
        Map<String, String> settings = new TreeMap<>(toArguments(definition.getSettings()));
        settings.putIfAbsent("checkpoint", properties.checkpointBaseUri() + "/" + definition.getName() + "/"
                + CREATED.format(createdAt));
        serviceDefaults(settings);
        Map<String, String> resolved = resolve(definition.getName(), settings);
        SparkSpec spark = spark(defaultSpark(), definition.getSpark());
        return new JobConfig(resolved, spark, restartPolicy(defaultRestartPolicy(), definition.getRestartPolicy()));
    }

    /** The configuration after {@code changes}; refuses changes of what the job computes. */
    public JobConfig applyChanges(String job, JobConfig current, JobChangesDto changes) {
        Map<String, String> settings = new TreeMap<>(current.settings());
        Map<String, String> given = toArguments(changes.getSettings());
        for (Setting<?> setting : JobSettings.ALL) {
            String name = setting.name();
            if (setting.fixedBecause() != null && given.containsKey(name) && !given.get(name).equals(settings.get(name))) {
                throw ApiException.conflict("settings." + setting.fieldName() + " cannot change for an existing job: "
                        + setting.fixedBecause());
            }
        }
        settings.putAll(given);
        Map<String, String> resolved = resolve(job, settings);
        return new JobConfig(resolved, spark(current.spark(), changes.getSpark()),
                restartPolicy(current.restartPolicy(), changes.getRestartPolicy()));
    }

    /**
     * Defaults a new job takes from the service, unless its definition says otherwise: the replication of job
     * keyspaces ({@code streamcontrol.cassandra.job-replication}, when the definition gives neither replication nor
     * replication factor) and the consistency of the service's own requests
     * ({@code spring.cassandra.request.consistency}) for the job's reads and writes. They are stored with the job.
     */
    private void serviceDefaults(Map<String, String> settings) {
        if (!jobReplication.isBlank() && !settings.containsKey("replication")
                && !settings.containsKey("replication-factor")) {
            settings.put("replication", jobReplication);
        }
        connection.consistency().ifPresent(level -> {
            for (Setting<String> consistency : List.of(JobSettings.READ_CONSISTENCY, JobSettings.OUTPUT_CONSISTENCY)) {
                if (consistency.choices().contains(level)) {
                    settings.putIfAbsent(consistency.name(), level);
                }
            }
        });
    }

    /**
     * The job's arguments for one launch (of the checkpoint generation {@code generation}): its settings and the
     * service's (the connection without its passwords). Empty values are left out: they are the job's defaults.
     *
     * @throws IllegalStateException if the service's Cassandra connection cannot be passed on to jobs
     */
    public List<String> launchArguments(String job, JobConfig config, int generation, String launchId) {
        Map<String, String> arguments = new LinkedHashMap<>(config.settings());
        arguments.put("checkpoint", checkpoint(config, generation));
        arguments.putAll(serviceSettings(job, launchId));
        arguments.putAll(connection.launch().settings());
        arguments.values().removeIf(String::isEmpty);
        return argumentList(arguments);
    }

    /** The Spark settings of a launch: the service's ({@code streamcontrol.jobs.spark-conf}), then the job's own. */
    public Map<String, String> launchConf(SparkSpec spark) {
        Map<String, String> conf = new HashMap<>(properties.sparkConf());
        conf.putAll(spark.conf());
        return conf;
    }

    /**
     * The environment of spark-submit for one launch: the passwords of the connection, which local- and client-mode
     * drivers inherit. Never part of the arguments or the stored configuration.
     */
    public Map<String, String> launchEnvironment() {
        return connection.launch().environment();
    }

    private static List<String> argumentList(Map<String, String> settings) {
        List<String> list = new ArrayList<>();
        settings.forEach((name, value) -> {
            list.add("--" + name);
            list.add(value);
        });
        return list;
    }

    public static String checkpoint(JobConfig config, int generation) {
        return config.setting("checkpoint") + "/generation-" + generation;
    }

    public JobConfigurationDto toApi(JobConfig config) {
        Map<String, Object> settings = new LinkedHashMap<>();
        config.settings().forEach((name, value) -> {
            boolean list = JobSettings.named(name).map(Setting::isList).orElse(false);
            settings.put(Setting.fieldName(name), list ? List.of(value.split(",")) : value);
        });
        SparkSpec s = config.spark();
        SparkSettingsDto spark = new SparkSettingsDto().master(s.master())
                .deployMode(SparkSettingsDto.DeployModeEnum.fromValue(s.deployMode())).driverMemory(s.driverMemory())
                .driverCores(s.driverCores()).executorMemory(s.executorMemory()).executorCores(s.executorCores())
                .conf(new TreeMap<>(s.conf()));
        RestartPolicy r = config.restartPolicy();
        return new JobConfigurationDto()
                .settings(STORED_TEXT.convertValue(settings, io.streamcontrol.control.api.model.JobSettingsDto.class))
                .spark(spark)
                .restartPolicy(new io.streamcontrol.control.api.model.RestartPolicyDto().maxAttempts(r.maxAttempts())
                        .backoff(Durations.format(r.backoff())).maxBackoff(Durations.format(r.maxBackoff()))
                        .resetAfter(Durations.format(r.resetAfter())));
    }

    /** Validates the settings as the job would and returns them with every default filled in. */
    private Map<String, String> resolve(String job, Map<String, String> settings) {
        checkCheckpoint(settings.get("checkpoint"));
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.putAll(serviceSettings(job, "validation"));
        all.put("checkpoint", settings.get("checkpoint") + "/generation-1");
        JobSettings parsed;
        try {
            parsed = JobSettings.parse(argumentList(all).toArray(String[]::new));
        } catch (InvalidSettingException e) {
            throw ApiException.badRequest("settings." + Setting.fieldName(e.setting()), e.getMessage());
        }
        Map<String, String> resolved = new TreeMap<>(parsed.texts());
        resolved.keySet().removeAll(SERVICE_SETTINGS);
        resolved.put("checkpoint", settings.get("checkpoint"));
        return resolved;
    }

    private void checkCheckpoint(String checkpoint) {
        String base = properties.checkpointBaseUri();
        URI uri;
        try {
            uri = new URI(checkpoint);
        } catch (URISyntaxException e) {
            throw ApiException.badRequest("settings.checkpoint", "not a URI");
        }
        String normalized = uri.normalize().toString();
        if (uri.getQuery() != null || uri.getFragment() != null || checkpoint.contains("..")
                || !normalized.equals(checkpoint) || !normalized.startsWith(base + "/")
                || normalized.length() == base.length() + 1) {
            throw ApiException.badRequest("settings.checkpoint", "must be a directory under " + base + "/");
        }
    }

    private Map<String, String> serviceSettings(String job, String launchId) {
        Map<String, String> settings = new LinkedHashMap<>(connection.settings());
        settings.put("job-name", job);
        settings.put("launch-id", launchId);
        return settings;
    }

    private SparkSpec defaultSpark() {
        JobsProperties.Spark d = properties.spark();
        return new SparkSpec(d.master(), d.deployMode(), d.driverMemory(), d.driverCores(), d.executorMemory(),
                d.executorCores(), Map.of());
    }

    private RestartPolicy defaultRestartPolicy() {
        JobsProperties.Restart d = properties.restartPolicy();
        return new RestartPolicy(d.maxAttempts(), d.backoff(), d.maxBackoff(), d.resetAfter());
    }

    private SparkSpec spark(SparkSpec base, SparkSettingsDto given) {
        if (given == null) {
            return base;
        }
        Map<String, String> conf = new HashMap<>(base.conf());
        if (given.getConf() != null) {
            given.getConf().forEach((key, value) -> {
                checkSparkConf(key, value);
                conf.put(key, value);
            });
        }
        return new SparkSpec(
                given.getMaster() != null ? given.getMaster() : base.master(),
                given.getDeployMode() != null ? given.getDeployMode().getValue() : base.deployMode(),
                given.getDriverMemory() != null ? given.getDriverMemory() : base.driverMemory(),
                given.getDriverCores() != null ? given.getDriverCores() : base.driverCores(),
                given.getExecutorMemory() != null ? given.getExecutorMemory() : base.executorMemory(),
                given.getExecutorCores() != null ? given.getExecutorCores() : base.executorCores(),
                conf);
    }

    private void checkSparkConf(String key, String value) {
        String field = "spark.conf." + key;
        for (String refused : REFUSED_SPARK_CONF) {
            if (key.contains(refused)) {
                throw ApiException.badRequest(field, "this Spark setting is not allowed");
            }
        }
        boolean allowed = properties.allowedSparkConf().stream()
                .anyMatch(a -> a.endsWith(".") ? key.startsWith(a) && key.length() > a.length() : key.equals(a));
        if (!allowed) {
            throw ApiException.badRequest(field, "not an allowed Spark setting (allowed: "
                    + String.join(", ", properties.allowedSparkConf()) + ")");
        }
        if (!key.matches("[A-Za-z0-9._-]{1,200}") || value == null || value.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest(field, "invalid Spark setting");
        }
        if (value.chars().anyMatch(c -> SHELL_METACHARACTERS.indexOf(c) >= 0)) {
            throw ApiException.badRequest(field, "shell metacharacters (" + SHELL_METACHARACTERS + ") are not allowed"
                    + " in Spark settings: spark-submit is a shell script");
        }
    }

    private RestartPolicy restartPolicy(RestartPolicy base, io.streamcontrol.control.api.model.RestartPolicyDto given) {
        if (given == null) {
            return base;
        }
        RestartPolicy policy = new RestartPolicy(
                given.getMaxAttempts() != null ? given.getMaxAttempts() : base.maxAttempts(),
                given.getBackoff() != null ? duration("restartPolicy.backoff", given.getBackoff()) : base.backoff(),
                given.getMaxBackoff() != null ? duration("restartPolicy.maxBackoff", given.getMaxBackoff())
                        : base.maxBackoff(),
                given.getResetAfter() != null ? duration("restartPolicy.resetAfter", given.getResetAfter())
                        : base.resetAfter());
        if (policy.maxBackoff().compareTo(policy.backoff()) < 0) {
            throw ApiException.badRequest("restartPolicy.maxBackoff", "must not be shorter than backoff");
        }
        return policy;
    }

    private static Duration duration(String field, String text) {
        try {
            return Durations.parse(text);
        } catch (RuntimeException e) {
            throw ApiException.badRequest(field, "not a duration: " + text);
        }
    }

    /** The API's settings as the job's arguments: {@code topNWindow: "1h"} becomes {@code top-n-window -> 1h}. */
    private Map<String, String> toArguments(io.streamcontrol.control.api.model.JobSettingsDto settings) {
        Map<String, String> arguments = new TreeMap<>();
        if (settings == null) {
            return arguments;
        }
        Map<?, ?> fields = json.convertValue(settings, Map.class);
        fields.forEach((name, value) -> {
            if (value == null) {
                return;
            }
            String text = value instanceof List<?> list
                    ? String.join(",", list.stream().map(String::valueOf).toList())
                    : String.valueOf(value);
            arguments.put(kebab((String) name), text);
        });
        return arguments;
    }

    static String kebab(String camel) {
        return camel.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
    }
}
