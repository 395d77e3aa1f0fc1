package io.streamcontrol.contract.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcontrol.contract.rollups.Dimension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobSettingsTest {

    @Test
    void defaultsNeedOnlyACheckpoint() {
        JobSettings settings = JobSettings.parse("--checkpoint", "file:///tmp/cp");
        assertThat(settings.batchInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.sourceFormat()).isEqualTo(LineFormat.CSV);
        assertThat(settings.dimensions()).containsExactly(Dimension.PRODUCT, Dimension.REGION, Dimension.STATE);
    }

    @Test
    void argumentsRoundTrip() {
        JobSettings settings = JobSettings.parse("--checkpoint=hdfs://nn:8020/jobs/a", "--source-format", "json",
                "--dimensions", "state,product", "--batch-interval", "1500ms", "--top-n-window", "10m",
                "--top-n-slide", "2m", "--launch-id", "a1b2-c3");
        assertThat(JobSettings.parse(settings.toArguments().toArray(String[]::new))).isEqualTo(settings);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--batch-interval 5 --checkpoint file:///c|batch-interval",
        "--receivers 0 --checkpoint file:///c|receivers",
        "--source-format xml --checkpoint file:///c|source-format",
        "--dimensions product,color --checkpoint file:///c|dimensions",
        "--checkpoint relative/dir|checkpoint",
        "--checkpoint file:///a/../etc|checkpoint",
        "--source-port 70000 --checkpoint file:///c|source-port",
        "--keyspace Bad-Name --checkpoint file:///c|keyspace",
        "--top-n-window 90s --top-n-slide 1m --checkpoint file:///c|top-n-window",
        "--block-interval 10s --batch-interval 1s --checkpoint file:///c|block-interval",
        "--colour red --checkpoint file:///c|colour",
        "--resume maybe --checkpoint file:///c|resume",
        "--source-host a;rm --checkpoint file:///c|source-host",
        "--top-n-slide 30s --top-n-window 10m --checkpoint file:///c|top-n-slide",
        "--granularities hour,day --top-n-slide 30m --top-n-window 1h --checkpoint file:///c|top-n-slide",
        "--launch-id a_b --checkpoint file:///c|launch-id",
        "--launch-id 0123456789012345678901234567890123456789012345678901234567890123X --checkpoint file:///c|launch-id",
        "--replication dc1 --checkpoint file:///c|replication",
        "--replication dc1:3,dc1:2 --checkpoint file:///c|replication",
        "--replication dc1:0 --checkpoint file:///c|replication",
        "--replication dc1:x --checkpoint file:///c|replication",
        "--replication dc$1:3 --checkpoint file:///c|replication",
        "--read-consistency ANY --checkpoint file:///c|read-consistency",
        "--read-consistency EACH_QUORUM --checkpoint file:///c|read-consistency",
        "--output-consistency SERIAL --checkpoint file:///c|output-consistency",
        "--cassandra-username a;b --checkpoint file:///c|cassandra-username",
        "--cassandra-truststore /etc/ts.jks --checkpoint file:///c|cassandra-truststore",
        "--cassandra-ssl true --cassandra-truststore /etc/my$(id).jks --checkpoint file:///c|cassandra-truststore",
        "--cassandra-ssl true --cassandra-keystore-type PEM --checkpoint file:///c|cassandra-keystore-type",
    })
    void badSettingsAreNamed(String args, String setting) {
        assertThatThrownBy(() -> JobSettings.parse(args.split(" ")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("invalid setting --" + setting + ":")
                .extracting(e -> ((InvalidSettingException) e).setting()).isEqualTo(setting);
    }

    @Test
    void theSlideIsAMultipleOfTheFinestGranularity() {
        assertThatThrownBy(() -> JobSettings.parse("--checkpoint", "file:///c", "--top-n-slide", "90s",
                "--top-n-window", "3m"))
                .hasMessage("invalid setting --top-n-slide: must be a multiple of the finest granularity (minute = 1m):"
                        + " a start without a checkpoint rebuilds the top-N slides from those rollup buckets");
        assertThat(JobSettings.parse("--checkpoint", "file:///c", "--granularities", "hour,day", "--top-n-slide", "2h",
                "--top-n-window", "1d").topNSlide()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void aRunningDriverTakesOnlySettingsReadWhenAStreamingContextIsBuilt() {
        JobSettings running = JobSettings.parse("--checkpoint", "file:///c", "--launch-id", "a");
        assertThat(JobSettings.restartsInPlace(running, JobSettings.parse("--checkpoint", "file:///c",
                "--launch-id", "a", "--batch-interval", "2s", "--top-n", "20", "--dimensions", "region",
                "--source-port", "7000", "--lateness", "5m", "--backpressure", "false", "--receiver-max-rate", "1000")))
                .isTrue();
        assertThat(JobSettings.restartsInPlace(running, running)).isTrue();
        for (String[] needsNewDriver : new String[][] {{"--block-interval", "100ms"}, {"--concurrent-jobs", "2"},
                {"--receivers", "2"}, {"--keyspace", "other"}, {"--output-batch-size-rows", "20"},
                {"--launch-id", "b"}, {"--cassandra-host", "10.0.0.1"}, {"--read-consistency", "ONE"}}) {
            List<String> args = new ArrayList<>(List.of("--checkpoint", "file:///c", "--launch-id", "a"));
            args.addAll(List.of(needsNewDriver));
            assertThat(JobSettings.restartsInPlace(running, JobSettings.parse(args.toArray(String[]::new))))
                    .as(needsNewDriver[0]).isFalse();
        }
        JobSettings plain = JobSettings.parse("--checkpoint", "file:///c", "--resume", "false");
        assertThat(JobSettings.restartsInPlace(plain, plain)).as("the write-ahead log belongs to its context")
                .isFalse();
        assertThat(JobSettings.sameDriver(plain, plain)).as("a new context of a driver that waits (standby)").isTrue();
        assertThat(JobSettings.sameDriver(plain, JobSettings.parse("--checkpoint", "file:///c", "--resume", "false",
                "--batch-interval", "2s"))).isTrue();
        assertThat(JobSettings.sameDriver(plain, running)).isFalse();
        assertThat(JobSettings.CHANGEABLE_IN_PLACE).containsExactly("source-host", "source-port", "source-format",
                "max-line-length", "batch-interval", "lateness", "dimensions", "granularities", "top-n", "top-n-window",
                "top-n-slide", "backpressure", "receiver-max-rate", "stop-poll-interval", "drain-timeout");
    }

    @Test
    void theLaunchIdIsEmptyUnlessGiven() {
        assertThat(JobSettings.parse("--checkpoint", "file:///c").launchId()).isEmpty();
        assertThat(JobSettings.parse("--checkpoint", "file:///c", "--launch-id", "7f3a-0001").launchId())
                .isEqualTo("7f3a-0001");
        assertThat(JobSettings.parse("--checkpoint", "file:///c").toArguments()).containsSequence("--launch-id", "");
        assertThat(JobSettings.help()).contains("--launch-id").contains("echoed in the drivers row");
    }

    @Test
    void replicationIsSimpleStrategyUnlessDatacentersAreGiven() {
        JobSettings simple = JobSettings.parse("--checkpoint", "file:///c", "--replication-factor", "3");
        assertThat(simple.replication()).isEmpty();
        assertThat(simple.keyspaceReplication().cql())
                .isEqualTo("{'class': 'SimpleStrategy', 'replication_factor': 3}");

        JobSettings nts = JobSettings.parse("--checkpoint", "file:///c", "--replication", " dc1:3, dc-2:2 ");
        assertThat(nts.replication()).isEqualTo("dc1:3,dc-2:2");
        assertThat(nts.keyspaceReplication().cql())
                .isEqualTo("{'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc-2': 2}");
        assertThat(JobSettings.parse(nts.toArguments().toArray(String[]::new))).isEqualTo(nts);
    }

    @Test
    void consistencyLevelsOfReadsAndWrites() {
        JobSettings defaults = JobSettings.parse("--checkpoint", "file:///c");
        assertThat(defaults.readConsistency()).isEqualTo("LOCAL_QUORUM");
        assertThat(defaults.outputConsistency()).isEqualTo("LOCAL_QUORUM");
        JobSettings given = JobSettings.parse("--checkpoint", "file:///c", "--read-consistency", "local_one",
                "--output-consistency", "EACH_QUORUM");
        assertThat(given.readConsistency()).isEqualTo("LOCAL_ONE");
        assertThat(given.outputConsistency()).isEqualTo("EACH_QUORUM");
    }

    @Test
    void credentialsAndTlsAreSettingsButNoPasswordIs() {
        JobSettings settings = JobSettings.parse("--checkpoint", "file:///c", "--cassandra-username", "analytics",
                "--cassandra-ssl", "true", "--cassandra-truststore", "/etc/tls/truststore.p12",
                "--cassandra-truststore-type", "pkcs12", "--cassandra-keystore", "/etc/tls/client.jks");
        assertThat(settings.cassandraUsername()).isEqualTo("analytics");
        assertThat(settings.cassandraSsl()).isTrue();
        assertThat(settings.cassandraTruststoreType()).isEqualTo("PKCS12");
        assertThat(settings.cassandraKeystoreType()).isEqualTo("JKS");
        assertThat(JobSettings.parse(settings.toArguments().toArray(String[]::new))).isEqualTo(settings);
        assertThat(JobSettings.ALL).noneMatch(setting -> setting.name().contains("password"));
        assertThat(JobSettings.help()).contains(CassandraSecrets.PASSWORD_ENV,
                CassandraSecrets.TRUSTSTORE_PASSWORD_ENV, CassandraSecrets.KEYSTORE_PASSWORD_ENV);

        JobSettings plain = JobSettings.parse("--checkpoint", "file:///c");
        assertThat(plain.cassandraUsername()).isEmpty();
        assertThat(plain.cassandraSsl()).isFalse();
    }

    @Test
    void secretsComeFromTheEnvironmentAndAreNeverShown() {
        CassandraSecrets secrets = CassandraSecrets.fromEnvironment(Map.of(CassandraSecrets.PASSWORD_ENV, "s3cret",
                CassandraSecrets.TRUSTSTORE_PASSWORD_ENV, "", "OTHER", "x"));
        assertThat(secrets.password()).isEqualTo("s3cret");
        assertThat(secrets.truststorePassword()).as("empty counts as absent").isNull();
        assertThat(secrets.toString()).doesNotContain("s3cret").contains("password set");

        JobSettings withUser = JobSettings.parse("--checkpoint", "file:///c", "--cassandra-username", "analytics");
        secrets.checkFor(withUser);
        assertThatThrownBy(() -> CassandraSecrets.NONE.checkFor(withUser))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("invalid setting --cassandra-username: is set, but the environment holds no "
                        + "STREAMCONTROL_CASSANDRA_PASSWORD (passwords are never arguments)");
        JobSettings withKeystore = JobSettings.parse("--checkpoint", "file:///c", "--cassandra-ssl", "true",
                "--cassandra-keystore", "/etc/client.p12");
        assertThatThrownBy(() -> secrets.checkFor(withKeystore)).hasMessageContaining("KEYSTORE_PASSWORD");
    }

    @Test
    void theCheckpointIsRequired() {
        assertThatThrownBy(JobSettings::parse).hasMessage("invalid setting --checkpoint: is required");
    }

    @Test
    void durations() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThatThrownBy(() -> Durations.parse("5 minutes")).hasMessageContaining("not a duration");
    }
}
