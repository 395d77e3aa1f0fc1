package io.streamcontrol.kafka;

import io.streamcontrol.localserver.Arguments;
import io.streamcontrol.localserver.Jdk;
import io.streamcontrol.localserver.LibDir;
import io.streamcontrol.localserver.LocalServer;
import io.streamcontrol.localserver.Logs;
import io.streamcontrol.localserver.Ports;
import io.streamcontrol.localserver.ServerProcess;
import io.streamcontrol.localserver.ServerSettingsBuilder;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real single-node Apache Kafka broker in KRaft mode (broker and controller in one process), run as its own JVM
 * ({@code kafka.Kafka}) on 127.0.0.1, with the jars of {@code org.apache.kafka:kafka_2.13} that this module's build
 * copied to {@code target/kafka-lib}.
 *
 * <pre>{@code
 * try (LocalKafka kafka = new LocalKafka(LocalKafka.Settings.builder(dir).build()).start()) {
 *     kafka.createTopic("events", 4);
 *     clients connect to kafka.bootstrapServers()
 * }
 * }</pre>
 *
 * The first start in a directory formats its storage ({@code kafka.tools.StorageTool format}); later starts reuse
 * its topics. {@link #start()} and {@link #stop()} are meant to be called from one thread; {@link #stop()} may also
 * run concurrently from the JVM shutdown hook.
 */
public final class LocalKafka extends LocalServer<LocalKafka.Settings> {

    public static final String HOST = Ports.LOOPBACK;
    static final String MAIN_CLASS = "kafka.Kafka";
    static final String STORAGE_TOOL = "kafka.tools.StorageTool";
    /** What the broker logs once it serves clients (KafkaBroker.STARTED_MESSAGE). */
    static final String STARTED = "Kafka Server started";
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    static final Duration TOOL_TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public LocalKafka(Settings settings) {
        super("Kafka", settings);
    }

    /** Formats the storage if it is new, starts the broker and returns once it serves clients. */
    @Override
    public LocalKafka start() throws IOException {
        checkNotRunning();
        Path baseDir = configured().baseDir();
        killStale(baseDir);
        Settings settings = configured().withFreePorts();
        Ports.requireFree(settings.port(), settings.controllerPort());
        Jdk.check(settings.javaHome(), "Kafka's broker");
        checkLibDir(settings.libDir());

        Files.createDirectories(settings.confDir());
        Files.createDirectories(settings.logDir());
        Files.writeString(settings.propertiesFile(), KafkaConfig.serverProperties(settings));
        Files.writeString(settings.log4jFile(), KafkaConfig.log4j2Xml());
        if (!Files.exists(settings.dataDir().resolve("meta.properties"))) {
            String clusterId = KafkaConfig.randomClusterId();
            runTool(KafkaConfig.formatCommand(settings, clusterId), settings,
                    "Formatting the storage of " + settings.dataDir());
        }
        Path serverLog = settings.logDir().resolve("server.log");
        long serverLogStart = Files.exists(serverLog) ? Files.size(serverLog) : 0;
        Path stdoutLog = settings.logDir().resolve("stdout.log");

        run(settings, new ProcessBuilder(KafkaConfig.brokerCommand(settings))
                        .directory(baseDir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(stdoutLog.toFile()),
                pidFile(baseDir), STOP_TIMEOUT, settings.startupTimeout(),
                () -> Ports.isOpen(HOST, settings.port()) && Logs.contains(serverLog, serverLogStart, STARTED),
                () -> "\n--- tail of " + stdoutLog + " ---\n" + Logs.tail(stdoutLog, 0, 20)
                        + "\n--- tail of " + serverLog + " ---\n" + Logs.tail(serverLog, serverLogStart, 40));
        return this;
    }

    /**
     * Creates a topic with this many partitions (replication factor 1) and returns once each has a leader. Fails if
     * the topic exists. Runs Kafka's admin client in a short-lived JVM (about 2 s), so the caller needs no Kafka jars.
     */
    public void createTopic(String topic, int partitions) throws IOException {
        if (topic == null || !TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new IllegalArgumentException("A topic name must match " + TOPIC.pattern() + ", not '" + topic + "'");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("A topic needs at least one partition, not " + partitions);
        }
        if (!isAlive()) {
            throw new IllegalStateException("Kafka is not running");
        }
        runTool(KafkaConfig.topicCommand(settings(), ownClasses(), bootstrapServers(), "create", topic,
                Integer.toString(partitions)), settings(), "Creating topic " + topic + " with " + partitions
                + " partitions");
    }

    /** "127.0.0.1:port", as Kafka clients take bootstrap.servers. */
    public String bootstrapServers() {
        return HOST + ":" + port();
    }

    public String host() {
        return HOST;
    }

    /** The clients' (PLAINTEXT) port; after {@link #start()} the real one, even if the settings asked for 0. */
    public int port() {
        return settings().port();
    }

    /** The KRaft controller's port (brokers only, no clients). */
    public int controllerPort() {
        return settings().controllerPort();
    }

    public Path baseDir() {
        return configured().baseDir();
    }

    static Path pidFile(Path baseDir) {
        return baseDir.resolve("kafka.pid");
    }

    /** Kills the broker a previous run left behind in baseDir (its JVM was killed before it could stop it). */
    static boolean killStale(Path baseDir) throws IOException {
        return ServerProcess.killStale(pidFile(baseDir), " " + MAIN_CLASS + " ", "Kafka", STOP_TIMEOUT);
    }

    private static void checkLibDir(Path libDir) {
        boolean hasBroker;
        try (Stream<Path> files = Files.list(libDir)) {
            hasBroker = files.anyMatch(f -> f.getFileName().toString().matches("kafka_2\\.13-.+\\.jar"));
        } catch (IOException e) {
            hasBroker = false;
        }
        if (!hasBroker) {
            throw new IllegalStateException("No kafka_2.13-*.jar in " + libDir + ": build local-kafka (it copies the"
                    + " broker to target/kafka-lib), or set -Dkafka.lib.dir / KAFKA_LIB_DIR");
        }
    }

    /** Runs a Kafka tool JVM to its end; fails with what it printed unless it exits 0 in time. */
    private static void runTool(List<String> command, Settings settings, String what) throws IOException {
        Path output = settings.logDir().resolve("tool-output.log");
        Process tool = new ProcessBuilder(command).directory(settings.baseDir().toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            tool.getOutputStream().close();
            if (!tool.waitFor(TOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException(what + " did not finish within " + TOOL_TIMEOUT + ": "
                        + Logs.tail(output, 0, 20));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted: " + what, e);
        } finally {
            tool.destroyForcibly();
        }
        if (tool.exitValue() != 0) {
            Path toolsLog = settings.logDir().resolve("tools.log");
            throw new IOException(what + " failed with exit code " + tool.exitValue() + ": "
                    + Logs.tail(output, 0, 20).strip()
                    + "\n--- tail of " + toolsLog + " ---\n" + Logs.tail(toolsLog, 0, 20));
        }
    }

    /** Where this module's classes are (a jar or target/classes), for the {@link TopicTool} JVM. */
    private static Path ownClasses() {
        try {
            return Path.of(TopicTool.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- command line

    static final String USAGE = String.join("\n",
            "Usage: java -cp local-kafka.jar:local-cassandra.jar " + LocalKafka.class.getName()
                    + " --base-dir DIR [options]",
            "  --base-dir DIR           data, logs and conf go below DIR (required)",
            "  --port N                 the clients' port (default 9092; 0 = a free port)",
            "  --controller-port N      the KRaft controller's port (default 0 = a free port)",
            "  --heap SIZE              -Xms/-Xmx of the broker (default 256m)",
            "Prints 'KAFKA_READY bootstrap=127.0.0.1:<port> pid=<pid>' once ready; SIGTERM/SIGINT stops the broker.");

    /**
     * Starts a broker for shell scripts, prints {@code KAFKA_READY bootstrap=... pid=...} and blocks; the shutdown
     * hook stops the broker when this JVM gets SIGTERM or SIGINT.
     */
    public static void main(String[] args) throws InterruptedException {
        serve(USAGE, () -> new LocalKafka(parseArguments(args)),
                kafka -> "KAFKA_READY bootstrap=" + kafka.bootstrapServers() + " pid=" + kafka.pid());
    }

    static Settings parseArguments(String... args) {
        Path baseDir = null;
        int port = 9092;
        int controllerPort = 0;
        String heap = Settings.DEFAULT_HEAP;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--base-dir" -> baseDir = Path.of(Arguments.value(args, ++i, option));
                case "--port" -> port = Arguments.port(Arguments.value(args, ++i, option), option);
                case "--controller-port" -> controllerPort = Arguments.port(Arguments.value(args, ++i, option), option);
                case "--heap" -> heap = Arguments.value(args, ++i, option);
                default -> throw new IllegalArgumentException("Unknown argument: " + option);
            }
        }
        if (baseDir == null) {
            throw new IllegalArgumentException("--base-dir is required");
        }
        return Settings.builder(baseDir).port(port).controllerPort(controllerPort).heap(heap).build();
    }

    // ---------------------------------------------------------------- settings

    /**
     * How to run the broker. Ports of 0 mean "a free loopback port, chosen at start". Use {@link #builder(Path)}.
     *
     * @param baseDir conf, data (the topics) and logs go below it; the pid file too
     * @param port the clients' PLAINTEXT listener
     * @param controllerPort the KRaft controller's listener
     * @param heap -Xms/-Xmx of the broker
     * @param libDir the broker's jars (target/kafka-lib of this module's build)
     * @param javaHome a JDK 17
     */
    public record Settings(
            Path baseDir,
            int port,
            int controllerPort,
            String heap,
            Path libDir,
            Path javaHome,
            Duration startupTimeout) {

        public static final String DEFAULT_HEAP = "256m";
        public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(90);
        private static final Pattern HEAP = Pattern.compile("[1-9][0-9]*[kKmMgG]");

        public Settings {
            baseDir = Objects.requireNonNull(baseDir, "baseDir").toAbsolutePath().normalize();
            for (int p : new int[] {port, controllerPort}) {
                if (p < 0 || p > 65535) {
                    throw new IllegalArgumentException("A port must be 0-65535, not " + p);
                }
            }
            if (port != 0 && port == controllerPort) {
                throw new IllegalArgumentException("port and controllerPort must differ");
            }
            if (heap == null || !HEAP.matcher(heap).matches()) {
                throw new IllegalArgumentException("heap must look like 256m or 1g, not '" + heap + "'");
            }
            libDir = Objects.requireNonNull(libDir, "libDir").toAbsolutePath().normalize();
            javaHome = Objects.requireNonNull(javaHome, "javaHome").toAbsolutePath().normalize();
            if (startupTimeout == null || startupTimeout.isNegative() || startupTimeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive");
            }
        }

        /** Free ports, heap {@value #DEFAULT_HEAP}, the jars this module's build copied, JAVA_HOME if a JDK 17. */
        public static Builder builder(Path baseDir) {
            return new Builder(baseDir);
        }

        /** These settings with every port 0 replaced by a distinct free loopback port. */
        Settings withFreePorts() {
            int[] free = Ports.freePorts(2);
            return new Settings(baseDir, port != 0 ? port : free[0] != controllerPort ? free[0] : free[1],
                    controllerPort != 0 ? controllerPort : free[1] != port ? free[1] : free[0],
                    heap, libDir, javaHome, startupTimeout);
        }

        Path confDir() {
            return baseDir.resolve("conf");
        }

        Path logDir() {
            return baseDir.resolve("logs");
        }

        /** log.dirs: the topics' data and the KRaft metadata log. */
        Path dataDir() {
            return baseDir.resolve("data");
        }

        Path propertiesFile() {
            return confDir().resolve("server.properties");
        }

        Path log4jFile() {
            return confDir().resolve("log4j2.xml");
        }

        /** The first of: system property kafka.lib.dir, env KAFKA_LIB_DIR, the build's recorded folder. */
        static Path defaultLibDir(String systemProperty, String environment, Properties buildProperties) {
            return LibDir.choose(systemProperty, environment, buildProperties, "kafka.lib.dir",
                    "Where are the Kafka jars? Set -Dkafka.lib.dir or KAFKA_LIB_DIR, or build local-kafka"
                            + " (it records target/kafka-lib in local-kafka.properties)");
        }

        public static final class Builder extends ServerSettingsBuilder<Builder> {
            private int port;
            private int controllerPort;

            private Builder(Path baseDir) {
                super(baseDir, DEFAULT_HEAP, DEFAULT_STARTUP_TIMEOUT);
            }

            public Builder port(int port) {
                this.port = port;
                return this;
            }

            public Builder controllerPort(int port) {
                this.controllerPort = port;
                return this;
            }

            public Settings build() {
                return new Settings(baseDir, port, controllerPort, heap,
                        libDirOr(() -> defaultLibDir(System.getProperty("kafka.lib.dir"),
                                System.getenv("KAFKA_LIB_DIR"),
                                LibDir.buildProperties(LocalKafka.class, "/local-kafka.properties"))),
                        javaHomeOrDefault(),
                        startupTimeout);
            }
        }
    }
}
