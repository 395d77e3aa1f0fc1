package io.streamcontrol.kafka;

import io.streamcontrol.localserver.Jdk;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** The broker's server.properties, log4j2.xml and java command lines, computed from {@link LocalKafka.Settings}. */
final class KafkaConfig {

    /** The one node, broker and controller at once. */
    static final int NODE_ID = 1;
    /** Names the log file in log4j2.xml: the broker and the tools each log to their own file. */
    static final String LOG_FILE_PROPERTY = "local.kafka.log.file";

    private KafkaConfig() {
    }

    /** A combined KRaft node on 127.0.0.1, replication factor 1 everywhere, topics created only on request. */
    static String serverProperties(LocalKafka.Settings s) {
        String host = LocalKafka.HOST;
        return String.join("\n",
                "# Written by " + LocalKafka.class.getName() + " at every start; edits are lost.",
                "process.roles=broker,controller",
                "node.id=" + NODE_ID,
                "controller.quorum.voters=" + NODE_ID + "@" + host + ":" + s.controllerPort(),
                "listeners=PLAINTEXT://" + host + ":" + s.port() + ",CONTROLLER://" + host + ":" + s.controllerPort(),
                "advertised.listeners=PLAINTEXT://" + host + ":" + s.port(),
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + s.dataDir(),
                // a topic that does not exist is an error the job must report, not something a client creates
                "auto.create.topics.enable=false",
                "num.partitions=1",
                "default.replication.factor=1",
                "offsets.topic.replication.factor=1",
                // one node: 50 partitions of consumer offsets would only slow the first consumer group down
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "");
    }

    /** Log4j2 (the broker's logging) to the file named by the system property {@value #LOG_FILE_PROPERTY}. */
    static String log4j2Xml() {
        return String.join("\n",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                "<Configuration status=\"WARN\">",
                "  <Appenders>",
                "    <File name=\"FILE\" fileName=\"${sys:" + LOG_FILE_PROPERTY + "}\" append=\"true\">",
                "      <PatternLayout pattern=\"[%d] %p %m (%c)%n\"/>",
                "    </File>",
                "  </Appenders>",
                "  <Loggers>",
                "    <Logger name=\"kafka.request.logger\" level=\"WARN\"/>",
                "    <Logger name=\"org.apache.kafka.clients\" level=\"WARN\"/>",
                "    <Root level=\"INFO\"><AppenderRef ref=\"FILE\"/></Root>",
                "  </Loggers>",
                "</Configuration>",
                "");
    }

    /** The broker: {@code kafka.Kafka server.properties} with the heap and GC flags of Kafka's own scripts. */
    static List<String> brokerCommand(LocalKafka.Settings s) {
        List<String> command = java(s, s.heap(), s.logDir().resolve("server.log"), s.libDir() + "/*");
        command.add("-XX:+UseG1GC");
        command.add("-XX:MaxGCPauseMillis=20");
        command.add("-XX:InitiatingHeapOccupancyPercent=35");
        command.add("-XX:+ExplicitGCInvokesConcurrent");
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-Dkafka.logs.dir=" + s.logDir());
        command.add(LocalKafka.MAIN_CLASS);
        command.add(s.propertiesFile().toString());
        return command;
    }

    /** Formats the KRaft storage (log.dirs) for a new cluster id. */
    static List<String> formatCommand(LocalKafka.Settings s, String clusterId) {
        List<String> command = tool(s, s.libDir() + "/*");
        command.addAll(List.of(LocalKafka.STORAGE_TOOL, "format", "-t", clusterId, "-c", s.propertiesFile().toString()));
        return command;
    }

    /** {@link TopicTool} with the broker's jars (its kafka-clients) and this module's classes. */
    static List<String> topicCommand(LocalKafka.Settings s, Path ownClasses, String... arguments) {
        List<String> command = tool(s, s.libDir() + "/*" + File.pathSeparator + ownClasses);
        command.add(TopicTool.class.getName());
        command.addAll(List.of(arguments));
        return command;
    }

    /** A short-lived tool JVM: small heap, quick start, logging to logs/tools.log. */
    private static List<String> tool(LocalKafka.Settings s, String classpath) {
        List<String> command = java(s, "128m", s.logDir().resolve("tools.log"), classpath);
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        return command;
    }

    private static List<String> java(LocalKafka.Settings s, String heap, Path logFile, String classpath) {
        List<String> command = new ArrayList<>();
        command.add(Jdk.java(s.javaHome()));
        command.add("-Xms" + heap);
        command.add("-Xmx" + heap);
        command.add("-Djava.awt.headless=true");
        command.add("-Djava.net.preferIPv4Stack=true");
        command.add("-Dlog4j2.configurationFile=" + s.log4jFile());
        command.add("-D" + LOG_FILE_PROPERTY + "=" + logFile);
        command.add("-cp");
        command.add(classpath);
        return command;
    }

    /**
     * A new cluster id as Kafka's {@code StorageTool random-uuid} prints it: 16 random bytes in URL-safe base64
     * without padding, never starting with '-' (a command line would take it for an option).
     */
    static String randomClusterId() {
        while (true) {
            UUID uuid = UUID.randomUUID();
            ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                    .putLong(uuid.getLeastSignificantBits());
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }
}
