package io.streamcontrol.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaConfigTest {

    @TempDir
    Path dir;

    private LocalKafka.Settings settings() {
        return new LocalKafka.Settings(dir.resolve("node"), 19092, 19093, "300m", dir.resolve("lib"),
                Path.of("/opt/jdk17"), Duration.ofSeconds(30));
    }

    @Test
    void serverPropertiesMakeOneCombinedNodeOnLoopback() throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(KafkaConfig.serverProperties(settings())));

        assertThat(p).containsAllEntriesOf(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@127.0.0.1:19093"),
                Map.entry("listeners", "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093"),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:19092"),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("default.replication.factor", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0")));
        assertThat(Path.of(p.getProperty("log.dirs"))).isEqualTo(dir.resolve("node/data"));
        // nothing binds to any other address
        assertThat(KafkaConfig.serverProperties(settings())).doesNotContain("0.0.0.0").doesNotContain("localhost");
    }

    @Test
    void theBrokerRunsKafkaKafkaWithTheCopiedJars() {
        List<String> command = KafkaConfig.brokerCommand(settings());

        assertThat(command.get(0)).isEqualTo("/opt/jdk17/bin/java");
        assertThat(command).contains("-Xms300m", "-Xmx300m", "-XX:+UseG1GC", "-Djava.net.preferIPv4Stack=true",
                "-Dlog4j2.configurationFile=" + dir.resolve("node/conf/log4j2.xml"),
                "-Dlocal.kafka.log.file=" + dir.resolve("node/logs/server.log"));
        assertThat(command.get(command.indexOf("-cp") + 1)).isEqualTo(dir.resolve("lib") + "/*");
        assertThat(command.subList(command.size() - 2, command.size()))
                .containsExactly("kafka.Kafka", dir.resolve("node/conf/server.properties").toString());
    }

    @Test
    void theStorageIsFormattedWithTheClusterIdAndTheSameProperties() {
        List<String> command = KafkaConfig.formatCommand(settings(), "abc");

        assertThat(command).contains("-Dlocal.kafka.log.file=" + dir.resolve("node/logs/tools.log"));
        assertThat(command.subList(command.size() - 6, command.size())).containsExactly("kafka.tools.StorageTool",
                "format", "-t", "abc", "-c", dir.resolve("node/conf/server.properties").toString());
    }

    @Test
    void theTopicToolRunsWithTheBrokersJarsAndThisModulesClasses() {
        List<String> command = KafkaConfig.topicCommand(settings(), Path.of("/m/classes"), "127.0.0.1:1", "create",
                "t", "4");

        assertThat(command.get(command.indexOf("-cp") + 1)).isEqualTo(dir.resolve("lib") + "/*:/m/classes");
        assertThat(command.subList(command.size() - 5, command.size()))
                .containsExactly(TopicTool.class.getName(), "127.0.0.1:1", "create", "t", "4");
    }

    @Test
    void clusterIdsLookLikeKafkasAndDiffer() {
        Pattern kafkaUuid = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{21}");
        String first = KafkaConfig.randomClusterId();

        assertThat(first).matches(kafkaUuid);
        for (int i = 0; i < 1000; i++) {
            assertThat(KafkaConfig.randomClusterId()).matches(kafkaUuid).isNotEqualTo(first);
        }
    }

    @Test
    void log4jWritesToTheFileNamedOnTheCommandLine() {
        assertThat(KafkaConfig.log4j2Xml()).contains("fileName=\"${sys:local.kafka.log.file}\"")
                .contains("<Root level=\"INFO\">");
    }
}
