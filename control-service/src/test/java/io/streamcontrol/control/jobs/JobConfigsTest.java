package io.streamcontrol.control.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcontrol.control.api.model.JobChanges;
import io.streamcontrol.control.api.model.JobDefinition;
import io.streamcontrol.control.api.model.JobSettings;
import io.streamcontrol.control.api.model.SparkSettings;
import io.streamcontrol.control.system.ApiException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.cassandra.autoconfigure.CassandraConnectionDetails;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

class JobConfigsTest {

    static final String BASE = "file:///var/lib/streamcontrol/checkpoints";
    static final java.time.Instant CREATED_AT = java.time.Instant.parse("2026-11-21T12:01:02Z");
    static final String CHECKPOINT = BASE + "/sales/created-20261121T120102Z";

    final JobConfigs configs = new JobConfigs(properties(), new CassandraConnectionDetails() {
        @Override
        public List<Node> getContactPoints() {
            return List.of(new Node("10.0.0.1", 9142), new Node("10.0.0.2", 9142));
        }

        @Override
        public String getLocalDatacenter() {
            return "dc1";
        }
    }, JsonMapper.builder().build());

    static JobsProperties properties() {
        return new JobsProperties(BASE, java.nio.file.Path.of("work"), Duration.ofSeconds(5), Duration.ofMinutes(2),
                Duration.ofSeconds(10), Duration.ofMinutes(3), Duration.ofSeconds(20),
                new JobsProperties.Spark("local[4]", "client", "768m", 1, "1g", 1), null,
                List.of("spark.streaming.", "spark.executor.instances"),
                new JobsProperties.Restart(3, Duration.ofSeconds(10), Duration.ofMinutes(5)));
    }

    static JobDefinition definition(JobSettings settings) {
        return new JobDefinition().name("sales").settings(settings);
    }

    @Test
    void absentSettingsTakeTheJobsDefaultsAndTheCheckpointGoesUnderTheBase() {
        JobConfig config = configs.fromDefinition(definition(new JobSettings().batchInterval("2s").receivers(2)),
                CREATED_AT);

        assertThat(config.settings()).containsEntry("batch-interval", "2s").containsEntry("receivers", "2")
                .containsEntry("block-interval", "200ms").containsEntry("dimensions", "product,region,state")
                .containsEntry("checkpoint", CHECKPOINT)
                .doesNotContainKeys("job-name", "cassandra-host", "cassandra-port", "launch-id");
        assertThat(config.spark()).isEqualTo(new SparkSpec("local[4]", "client", "768m", 1, "1g", 1, Map.of()));
        assertThat(config.restartPolicy().maxAttempts()).isEqualTo(3);
    }

    @Test
    void aJobCreatedAgainUnderTheSameNameGetsACheckpointOfItsOwn() {
        JobDefinition definition = definition(new JobSettings());
        assertThat(configs.fromDefinition(definition, CREATED_AT).setting("checkpoint"))
                .isNotEqualTo(configs.fromDefinition(definition, CREATED_AT.plusSeconds(1)).setting("checkpoint"))
                .startsWith(BASE + "/sales/");
    }

    @Test
    void aLaunchGetsTheServiceSettingsAndTheCheckpointOfItsGeneration() {
        JobConfig config = configs.fromDefinition(definition(new JobSettings()), CREATED_AT);
        Job job = new Job("sales", config, DesiredState.RUNNING, JobStatus.created().toBuilder().generation(3).build(),
                1, null, null);

        List<String> arguments = configs.launchArguments(job, "abc-1");

        assertThat(String.join(" ", arguments)).contains("--job-name sales", "--cassandra-host 10.0.0.1,10.0.0.2",
                "--cassandra-port 9142", "--cassandra-local-dc dc1", "--launch-id abc-1",
                "--checkpoint " + CHECKPOINT + "/generation-3");
        assertThat(io.streamcontrol.job.config.JobSettings.parse(arguments.toArray(String[]::new)).batchInterval())
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theJobsOwnValidationNamesTheField() {
        assertThatThrownBy(() -> configs.fromDefinition(definition(new JobSettings().batchInterval("200ms")
                .blockInterval("1s")), CREATED_AT))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(e.fields()).extracting(ApiException.FieldProblem::field)
                            .containsExactly("settings.blockInterval");
                });
    }

    @Test
    void checkpointsOutsideTheBaseAreRefused() {
        for (String checkpoint : List.of("file:///tmp/elsewhere", BASE + "/../other", BASE + "/a/../../b", BASE,
                BASE + "/x?y=1", "not a uri")) {
            assertThatThrownBy(() -> configs.fromDefinition(definition(new JobSettings().checkpoint(checkpoint)),
                    CREATED_AT))
                    .as(checkpoint).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.fields())
                            .extracting(ApiException.FieldProblem::field).containsExactly("settings.checkpoint"));
        }
        assertThat(configs.fromDefinition(definition(new JobSettings().checkpoint(BASE + "/team-a/sales")), CREATED_AT)
                .settings())
                .containsEntry("checkpoint", BASE + "/team-a/sales");
    }

    @Test
    void onlyAllowListedSparkSettingsPassAndCodeLoadingOnesNever() {
        JobDefinition allowed = definition(null).spark(new SparkSettings().conf(Map.of(
                "spark.streaming.backpressure.initialRate", "100", "spark.executor.instances", "2")));
        assertThat(configs.fromDefinition(allowed, CREATED_AT).spark().conf()).hasSize(2);

        for (String key : List.of("spark.driver.extraJavaOptions", "spark.executor.extraJavaOptions", "spark.jars",
                "spark.jars.packages", "spark.driver.extraClassPath", "spark.executor.extraLibraryPath",
                "spark.streaming.receiver.writeAheadLog.class", "spark.plugins", "spark.extraListeners",
                "spark.ui.port", "spark.master", "spark.sql.shuffle.partitions")) {
            JobDefinition refused = definition(null).spark(new SparkSettings().conf(Map.of(key, "x")));
            assertThatThrownBy(() -> configs.fromDefinition(refused, CREATED_AT)).as(key)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.fields())
                            .extracting(ApiException.FieldProblem::field).containsExactly("spark.conf." + key));
        }
    }

    @Test
    void shellMetacharactersAndControlCharactersNeverReachTheLauncher() {
        for (String value : List.of("1; rm -rf /", "$(id)", "`id`", "1 | nc", "a && b", "x > /etc/passwd", "'q'",
                "\"q\"", "back\\slash", "line\nbreak")) {
            JobDefinition refused = definition(null).spark(new SparkSettings().conf(Map.of(
                    "spark.streaming.backpressure.initialRate", value)));
            assertThatThrownBy(() -> configs.fromDefinition(refused, CREATED_AT)).as(value)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.fields())
                            .extracting(ApiException.FieldProblem::field)
                            .containsExactly("spark.conf.spark.streaming.backpressure.initialRate"));
        }
        for (String host : List.of("host;id", "$(id)", "a b")) {
            assertThatThrownBy(() -> configs.fromDefinition(definition(new JobSettings().sourceHost(host)),
                    CREATED_AT))
                    .as(host).isInstanceOf(ApiException.class);
        }
    }

    @Test
    void reconfiguringKeepsWhatIsNotGivenAndRefusesWhatDecidesTheResults() {
        JobConfig current = configs.fromDefinition(definition(new JobSettings().batchInterval("5s").topN(10)),
                CREATED_AT);

        JobConfig changed = configs.applyChanges("sales", current, new JobChanges()
                .settings(new JobSettings().batchInterval("2s")).spark(new SparkSettings().driverMemory("1g")));

        assertThat(changed.settings()).containsEntry("batch-interval", "2s").containsEntry("top-n", "10");
        assertThat(changed.spark().driverMemory()).isEqualTo("1g");
        assertThat(changed.spark().master()).isEqualTo("local[4]");

        assertThatThrownBy(() -> configs.applyChanges("sales", current, new JobChanges()
                .settings(new JobSettings().receivers(3))))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.CONFLICT));
        assertThat(configs.applyChanges("sales", current, new JobChanges().settings(new JobSettings().receivers(1))))
                .isEqualTo(current);
    }

    @Test
    void theApiViewShowsEverySettingWithItsType() {
        JobConfig config = configs.fromDefinition(definition(new JobSettings().receivers(2)), CREATED_AT);
        JobSettings view = configs.toApi(config).getSettings();
        assertThat(view.getReceivers()).isEqualTo(2);
        assertThat(view.getDimensions()).containsExactly(JobSettings.DimensionsEnum.PRODUCT,
                JobSettings.DimensionsEnum.REGION, JobSettings.DimensionsEnum.STATE);
        assertThat(view.getBatchInterval()).isEqualTo("5s");
        assertThat(view.getResume()).isTrue();
    }
}
