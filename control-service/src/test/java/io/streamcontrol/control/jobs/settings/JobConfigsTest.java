package io.streamcontrol.control.jobs.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import io.streamcontrol.control.api.model.JobChangesDto;
import io.streamcontrol.control.api.model.JobDefinitionDto;
import io.streamcontrol.control.api.model.JobSettingsDto;
import io.streamcontrol.control.api.model.SparkSettingsDto;
import io.streamcontrol.control.launcher.SparkSpec;
import io.streamcontrol.control.system.ApiException;
import io.streamcontrol.control.system.ControlCassandraProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.ssl.JksSslBundleProperties;
import org.springframework.boot.autoconfigure.ssl.PemSslBundleProperties;
import org.springframework.boot.autoconfigure.ssl.SslProperties;
import org.springframework.boot.cassandra.autoconfigure.CassandraConnectionDetails;
import org.springframework.boot.cassandra.autoconfigure.CassandraProperties;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

class JobConfigsTest {

    static final String BASE = TestSettings.BASE;
    static final java.time.Instant CREATED_AT = java.time.Instant.parse("2026-11-21T12:01:02Z");
    static final String CHECKPOINT = BASE + "/sales/created-20261121T120102Z";

    final JobConfigs configs = configs(connection(null, null, new CassandraProperties(), new SslProperties()), "");

    static JobConfigs configs(JobConnection connection, String jobReplication) {
        return new JobConfigs(TestSettings.properties(), connection, new ControlCassandraProperties("streamcontrol",
                "{'class': 'SimpleStrategy', 'replication_factor': 1}", jobReplication, false, Path.of("c"), 9042,
                "512m"), JsonMapper.builder().build());
    }

    /** The connection of a service configured with these credentials, Cassandra and SSL properties. */
    static JobConnection connection(String username, String password, CassandraProperties cassandra,
            SslProperties ssl) {
        return new JobConnection(new CassandraConnectionDetails() {
            @Override
            public List<Node> getContactPoints() {
                return List.of(new Node("10.0.0.1", 9142), new Node("10.0.0.2", 9142));
            }

            @Override
            public String getLocalDatacenter() {
                return "dc1";
            }

            @Override
            public String getUsername() {
                return username;
            }

            @Override
            public String getPassword() {
                return password;
            }
        }, cassandra, ssl);
    }

    static JobDefinitionDto definition(JobSettingsDto settings) {
        return new JobDefinitionDto().name("sales").settings(settings);
    }

    @Test
    void absentSettingsTakeTheJobsDefaultsAndTheCheckpointGoesUnderTheBase() {
        JobConfig config = configs.fromDefinition(definition(new JobSettingsDto().batchInterval("2s").receivers(2)),
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
        JobDefinitionDto definition = definition(new JobSettingsDto());
        assertThat(configs.fromDefinition(definition, CREATED_AT).setting("checkpoint"))
                .isNotEqualTo(configs.fromDefinition(definition, CREATED_AT.plusSeconds(1))
                        .setting("checkpoint"))
                .startsWith(BASE + "/sales/");
    }

    @Test
    void aLaunchGetsTheServiceSettingsAndTheCheckpointOfItsGeneration() {
        JobConfig config = configs.fromDefinition(definition(new JobSettingsDto()), CREATED_AT);
        List<String> arguments = configs.launchArguments("sales", config, 3, "abc-1");

        assertThat(String.join(" ", arguments)).contains("--job-name sales", "--cassandra-host 10.0.0.1,10.0.0.2",
                "--cassandra-port 9142", "--cassandra-local-dc dc1", "--launch-id abc-1",
                "--checkpoint " + CHECKPOINT + "/generation-3");
        assertThat(io.streamcontrol.contract.settings.JobSettings.parse(arguments.toArray(String[]::new)).batchInterval())
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theJobsOwnValidationNamesTheField() {
        assertThatThrownBy(() -> configs.fromDefinition(definition(new JobSettingsDto().batchInterval("200ms")
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
            assertThatThrownBy(() -> configs.fromDefinition(definition(new JobSettingsDto().checkpoint(checkpoint)),
                    CREATED_AT))
                    .as(checkpoint).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.fields())
                            .extracting(ApiException.FieldProblem::field).containsExactly("settings.checkpoint"));
        }
        assertThat(configs.fromDefinition(definition(new JobSettingsDto().checkpoint(BASE + "/team-a/sales")),
                CREATED_AT)
                .settings())
                .containsEntry("checkpoint", BASE + "/team-a/sales");
    }

    @Test
    void onlyAllowListedSparkSettingsPassAndCodeLoadingOnesNever() {
        JobDefinitionDto allowed = definition(null).spark(new SparkSettingsDto().conf(Map.of(
                "spark.streaming.backpressure.initialRate", "100", "spark.executor.instances", "2")));
        assertThat(configs.fromDefinition(allowed, CREATED_AT).spark().conf()).hasSize(2);

        for (String key : List.of("spark.driver.extraJavaOptions", "spark.executor.extraJavaOptions", "spark.jars",
                "spark.jars.packages", "spark.driver.extraClassPath", "spark.executor.extraLibraryPath",
                "spark.streaming.receiver.writeAheadLog.class", "spark.plugins", "spark.extraListeners",
                "spark.ui.port", "spark.master", "spark.sql.shuffle.partitions", "spark.cassandra.auth.username",
                "spark.cassandra.auth.password", "spark.cassandra.connection.host",
                "spark.cassandra.connection.ssl.trustStore.path")) {
            JobDefinitionDto refused = definition(null).spark(new SparkSettingsDto().conf(Map.of(key, "x")));
            assertThatThrownBy(() -> configs.fromDefinition(refused, CREATED_AT)).as(key)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.fields())
                            .extracting(ApiException.FieldProblem::field).containsExactly("spark.conf." + key));
        }
    }

    @Test
    void shellMetacharactersAndControlCharactersNeverReachTheLauncher() {
        for (String value : List.of("1; rm -rf /", "$(id)", "`id`", "1 | nc", "a && b", "x > /etc/passwd", "'q'",
                "\"q\"", "back\\slash", "line\nbreak")) {
            JobDefinitionDto refused = definition(null).spark(new SparkSettingsDto().conf(Map.of(
                    "spark.streaming.backpressure.initialRate", value)));
            assertThatThrownBy(() -> configs.fromDefinition(refused, CREATED_AT)).as(value)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.fields())
                            .extracting(ApiException.FieldProblem::field)
                            .containsExactly("spark.conf.spark.streaming.backpressure.initialRate"));
        }
        for (String host : List.of("host;id", "$(id)", "a b")) {
            assertThatThrownBy(() -> configs.fromDefinition(definition(new JobSettingsDto().sourceHost(host)),
                    CREATED_AT))
                    .as(host).isInstanceOf(ApiException.class);
        }
    }

    @Test
    void reconfiguringKeepsWhatIsNotGivenAndRefusesWhatDecidesTheResults() {
        JobConfig current = configs.fromDefinition(definition(new JobSettingsDto().batchInterval("5s").topN(10)),
                CREATED_AT);

        JobConfig changed = configs.applyChanges("sales", current, new JobChangesDto()
                .settings(new JobSettingsDto().batchInterval("2s")).spark(new SparkSettingsDto().driverMemory("1g")));

        assertThat(changed.settings()).containsEntry("batch-interval", "2s").containsEntry("top-n", "10");
        assertThat(changed.spark().driverMemory()).isEqualTo("1g");
        assertThat(changed.spark().master()).isEqualTo("local[4]");

        assertThatThrownBy(() -> configs.applyChanges("sales", current, new JobChangesDto()
                .settings(new JobSettingsDto().receivers(3))))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.CONFLICT));
        assertThat(configs.applyChanges("sales", current,
                new JobChangesDto().settings(new JobSettingsDto().receivers(1))))
                .isEqualTo(current);
    }

    @Test
    void theApiViewShowsEverySettingWithItsType() {
        JobConfig config = configs.fromDefinition(definition(new JobSettingsDto().receivers(2)), CREATED_AT);
        JobSettingsDto view = configs.toApi(config).getSettings();
        assertThat(view.getReceivers()).isEqualTo(2);
        assertThat(view.getDimensions()).containsExactly(JobSettingsDto.DimensionsEnum.PRODUCT,
                JobSettingsDto.DimensionsEnum.REGION, JobSettingsDto.DimensionsEnum.STATE);
        assertThat(view.getBatchInterval()).isEqualTo("5s");
        assertThat(view.getResume()).isTrue();
    }

    @Test
    void credentialsReachTheLaunchButThePasswordOnlyItsEnvironment() {
        JobConfigs secured = configs(connection("analytics", "pa55-word", new CassandraProperties(),
                new SslProperties()), "");
        JobConfig config = secured.fromDefinition(definition(new JobSettingsDto()), CREATED_AT);
        List<String> arguments = secured.launchArguments("sales", config, 1, "abc-1");

        assertThat(String.join(" ", arguments)).contains("--cassandra-username analytics")
                .doesNotContain("pa55-word").doesNotContain("--cassandra-ssl");
        assertThat(arguments).doesNotContain("").as("empty settings are the job's defaults: left out");
        assertThat(secured.launchEnvironment()).containsExactly(Map.entry("STREAMCONTROL_CASSANDRA_PASSWORD",
                "pa55-word"));
        assertThat(config.settings()).doesNotContainKeys("cassandra-username", "cassandra-host")
                .doesNotContainValue("pa55-word");
        assertThat(secured.toApi(config).toString()).doesNotContain("pa55-word").doesNotContain("analytics");
        // what the driver will see: the arguments parse, and the password it needs is in its environment
        var parsed = io.streamcontrol.contract.settings.JobSettings.parse(arguments.toArray(String[]::new));
        io.streamcontrol.contract.settings.CassandraSecrets.fromEnvironment(secured.launchEnvironment()).checkFor(parsed);
    }

    @Test
    void aJobDefinitionCannotSetTheConnection() {
        // the API's settings have no such fields; even a forged map entry is overridden by the service
        JobConfigs secured = configs(connection("analytics", "pw", new CassandraProperties(), new SslProperties()), "");
        JobConfig forged = new JobConfig(Map.of("cassandra-username", "intruder", "cassandra-host", "evil",
                "checkpoint", BASE + "/sales"), new SparkSpec("local[4]", "client", "768m", 1, "1g", 1, Map.of()),
                new RestartPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO));
        String arguments = String.join(" ", secured.launchArguments("sales", forged, 1, "abc-1"));
        assertThat(arguments).contains("--cassandra-username analytics", "--cassandra-host 10.0.0.1,10.0.0.2")
                .doesNotContain("intruder", "evil");
    }

    @Test
    void newJobsTakeTheServicesReplicationAndConsistencyUnlessTheySayOtherwise() {
        CassandraProperties cassandra = new CassandraProperties();
        cassandra.getRequest().setConsistency(DefaultConsistencyLevel.EACH_QUORUM);
        JobConfigs service = configs(connection(null, null, cassandra, new SslProperties()), "dc1:3,dc2:2");

        JobConfig defaults = service.fromDefinition(definition(new JobSettingsDto()), CREATED_AT);
        assertThat(defaults.settings()).containsEntry("replication", "dc1:3,dc2:2")
                .containsEntry("output-consistency", "EACH_QUORUM")
                .containsEntry("read-consistency", "LOCAL_QUORUM").as("EACH_QUORUM is no read consistency");
        JobSettingsDto view = service.toApi(defaults).getSettings();
        assertThat(view.getReplication()).isEqualTo("dc1:3,dc2:2");
        assertThat(view.getReadConsistency()).isEqualTo(JobSettingsDto.ReadConsistencyEnum.LOCAL_QUORUM);

        JobConfig own = service.fromDefinition(definition(new JobSettingsDto().replicationFactor(2)
                .readConsistency(JobSettingsDto.ReadConsistencyEnum.ONE)), CREATED_AT);
        assertThat(own.settings()).containsEntry("replication", "").containsEntry("replication-factor", "2")
                .containsEntry("read-consistency", "ONE");
        assertThat(service.fromDefinition(definition(new JobSettingsDto().replication("east:2")), CREATED_AT)
                .settings())
                .containsEntry("replication", "east:2");

        assertThatThrownBy(() -> service.applyChanges("sales", defaults, new JobChangesDto()
                .settings(new JobSettingsDto().replication("dc1:5"))))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.CONFLICT))
                .hasMessageContaining("ALTER KEYSPACE");
        assertThatThrownBy(() -> configs.fromDefinition(definition(new JobSettingsDto().replication("dc1:3,dc1:2")),
                CREATED_AT))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.fields())
                        .extracting(ApiException.FieldProblem::field).containsExactly("settings.replication"));
        assertThatThrownBy(() -> configs(connection(null, null, new CassandraProperties(), new SslProperties()),
                "dc1:many")).hasMessageContaining("streamcontrol.cassandra.job-replication");
    }

    @Test
    void aFileBasedJksBundleBecomesTheJobsTlsFilesAndPasswords(@TempDir Path dir) throws Exception {
        Path truststore = Files.writeString(dir.resolve("trust.p12"), "x");
        Path keystore = Files.writeString(dir.resolve("client.jks"), "x");
        CassandraProperties cassandra = new CassandraProperties();
        cassandra.getSsl().setBundle("cassandra");
        SslProperties ssl = new SslProperties();
        JksSslBundleProperties bundle = new JksSslBundleProperties();
        bundle.getTruststore().setLocation("file:" + truststore);
        bundle.getTruststore().setType("PKCS12");
        bundle.getTruststore().setPassword("trust-pw");
        bundle.getKeystore().setLocation(keystore.toString());
        bundle.getKeystore().setPassword("key-pw");
        ssl.getBundle().getJks().put("cassandra", bundle);
        JobConfigs secured = configs(connection("analytics", "pw", cassandra, ssl), "");
        JobConfig config = secured.fromDefinition(definition(new JobSettingsDto()), CREATED_AT);

        assertThat(String.join(" ", secured.launchArguments("sales", config, 1, "abc-1"))).contains("--cassandra-ssl true",
                "--cassandra-truststore " + truststore, "--cassandra-truststore-type PKCS12",
                "--cassandra-keystore " + keystore, "--cassandra-keystore-type JKS")
                .doesNotContain("trust-pw", "key-pw");
        assertThat(secured.launchEnvironment()).containsOnly(Map.entry("STREAMCONTROL_CASSANDRA_PASSWORD", "pw"),
                Map.entry("STREAMCONTROL_CASSANDRA_TRUSTSTORE_PASSWORD", "trust-pw"),
                Map.entry("STREAMCONTROL_CASSANDRA_KEYSTORE_PASSWORD", "key-pw"));
    }

    @Test
    void aTlsBundleTheJobsCannotUseFailsTheirLaunchesWithTheReason() {
        CassandraProperties cassandra = new CassandraProperties();
        cassandra.getSsl().setBundle("cassandra");
        SslProperties pem = new SslProperties();
        pem.getBundle().getPem().put("cassandra", new PemSslBundleProperties());
        JobConfigs service = configs(connection(null, null, cassandra, pem), "");
        JobConfig config = service.fromDefinition(definition(new JobSettingsDto()), CREATED_AT);
        assertThatThrownBy(() -> service.launchArguments("sales", config, 1, "abc-1")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("but a PEM one").hasMessageContaining("JKS or PKCS12");

        SslProperties onClassPath = new SslProperties();
        JksSslBundleProperties bundle = new JksSslBundleProperties();
        bundle.getTruststore().setLocation("classpath:org/junit/jupiter/api/Test.class"); // inside a jar
        onClassPath.getBundle().getJks().put("cassandra", bundle);
        JobConfigs classPath = configs(connection(null, null, cassandra, onClassPath), "");
        assertThatThrownBy(() -> classPath.launchEnvironment()).hasMessageContaining("is not a file");
    }
}
