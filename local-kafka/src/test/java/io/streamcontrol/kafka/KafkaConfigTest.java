package io.streamcontrol.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

        assertThat(p.getProperty("process.roles")).isEqualTo("broker,controller");
        assertThat(p.getProperty("node.id")).isEqualTo("1");
        assertThat(p.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:19093");
        assertThat(p.getProperty("listeners")).isEqualTo("PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093");
        assertThat(p.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:19092");
        assertThat(p.getProperty("controller.listener.names")).isEqualTo("CONTROLLER");
        assertThat(p.getProperty("inter.broker.listener.name")).isEqualTo("PLAINTEXT");
        assertThat(p.getProperty("listener.security.protocol.map"))
                .isEqualTo("PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        assertThat(Path.of(p.getProperty("log.dirs"))).isEqualTo(dir.resolve("node/data"));
        assertThat(p.getProperty("auto.create.topics.enable")).isEqualTo("false");
        for (String key : List.of("offsets.topic.replication.factor", "transaction.state.log.replication.factor",
                "transaction.state.log.min.isr", "share.coordinator.state.topic.replication.factor",
                "share.coordinator.state.topic.min.isr", "default.replication.factor")) {
            assertThat(p.getProperty(key)).as(key).isEqualTo("1");
        }
        assertThat(p.getProperty("group.initial.rebalance.delay.ms")).isEqualTo("0");
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
