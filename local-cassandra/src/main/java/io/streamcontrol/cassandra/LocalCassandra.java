package io.streamcontrol.cassandra;

import io.streamcontrol.localserver.Arguments;
import io.streamcontrol.localserver.LibDir;
import io.streamcontrol.localserver.LocalServer;
import io.streamcontrol.localserver.Logs;
import io.streamcontrol.localserver.Ports;
import io.streamcontrol.localserver.ServerProcess;
import io.streamcontrol.localserver.ServerSettingsBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A real single-node Apache Cassandra server, run as its own JVM ({@code CassandraDaemon}) on 127.0.0.1.
 *
 * <pre>{@code
 * try (LocalCassandra cassandra = new LocalCassandra(LocalCassandra.Settings.builder(dir).build()).start()) {
 *     connect to cassandra.host() : cassandra.nativePort(), local datacenter "datacenter1"
 * }
 * }</pre>
 *
 * {@link #start()} and {@link #stop()} are meant to be called from one thread; {@link #stop()} may also run
 * concurrently from the JVM shutdown hook.
 */
public final class LocalCassandra extends LocalServer<LocalCassandra.Settings> {

    public static final String HOST = Ports.LOOPBACK;
    public static final String DATACENTER = "datacenter1";
    /** The default superuser of a server started with password authentication (password {@code cassandra}). */
    public static final String SUPERUSER = "cassandra";
    static final String SUPERUSER_PASSWORD = "cassandra";
    static final Duration AUTH_READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern ROLE = Pattern.compile("[a-z][a-z0-9_]{0,47}");
    static final String MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon";
    static final String STARTUP_COMPLETE = "Startup complete";
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    public LocalCassandra(Settings settings) {
        super("Cassandra", settings);
    }

    /** Starts the server and returns once it accepts CQL connections. */
    @Override
    public LocalCassandra start() throws IOException {
        checkNotRunning();
        Path baseDir = configured().baseDir();
        killStale(baseDir);
        Settings settings = configured().withFreePorts();
        Ports.requireFree(settings.nativePort(), settings.storagePort(), settings.jmxPort());
        Path jammJar = CassandraConfig.findJammJar(settings.libDir());
        CassandraConfig.checkJava(settings.javaHome());

        Files.createDirectories(settings.confDir());
        Files.createDirectories(settings.logDir());
        Files.writeString(settings.yamlFile(), CassandraConfig.yaml(settings));
        Files.writeString(settings.logbackFile(), CassandraConfig.logbackXml(settings.logDir()));
        Path systemLog = settings.logDir().resolve("system.log");
        long systemLogStart = Files.exists(systemLog) ? Files.size(systemLog) : 0;
        Path stdoutLog = settings.logDir().resolve("stdout.log");

        run(settings, new ProcessBuilder(CassandraConfig.command(settings, jammJar))
                        .directory(baseDir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(stdoutLog.toFile()),
                pidFile(baseDir), STOP_TIMEOUT, settings.startupTimeout(),
                () -> Ports.isOpen(HOST, settings.nativePort())
                        && Logs.contains(systemLog, systemLogStart, STARTUP_COMPLETE),
                () -> describeLogs(stdoutLog, systemLog, systemLogStart));
        return this;
    }

    private static String describeLogs(Path stdoutLog, Path systemLog, long systemLogStart) {
        return "\n--- tail of " + stdoutLog + " ---\n" + Logs.tail(stdoutLog, 0, 40)
                + "\n--- tail of " + systemLog + " ---\n" + Logs.tail(systemLog, systemLogStart, 40);
    }

    public String host() {
        return HOST;
    }

    /** The CQL port; after {@link #start()} the real one, even if the settings asked for 0. */
    public int nativePort() {
        return settings().nativePort();
    }

    public int storagePort() {
        return settings().storagePort();
    }

    /** Cassandra's local-only JMX port (for nodetool -p). */
    public int jmxPort() {
        return settings().jmxPort();
    }

    /** "127.0.0.1:port", as CQL drivers take contact points. */
    public String contactPoint() {
        return HOST + ":" + nativePort();
    }

    public Path baseDir() {
        return configured().baseDir();
    }

    static Path pidFile(Path baseDir) {
        return baseDir.resolve("cassandra.pid");
    }

    /**
     * Kills the server named by {@code baseDir/cassandra.pid} if it is still alive: a previous run whose JVM was
     * killed before it could stop its server. Returns whether something was killed.
     */
    static boolean killStale(Path baseDir) throws IOException {
        return ServerProcess.killStale(pidFile(baseDir), "CassandraDaemon", "Cassandra", STOP_TIMEOUT);
    }

    // ---------------------------------------------------------------- roles

    /**
     * Creates a login role that is not a superuser but may create keyspaces and use every keyspace (what the control
     * service and its jobs need), or gives an existing one this password. Needs password authentication.
     */
    public void createRole(String name, String password) throws IOException {
        checkRole(name);
        executeAsSuperuser(
                "CREATE ROLE IF NOT EXISTS " + name + " WITH PASSWORD = " + literal(password) + " AND LOGIN = true",
                "ALTER ROLE " + name + " WITH PASSWORD = " + literal(password),
                "GRANT CREATE ON ALL KEYSPACES TO " + name,
                "GRANT ALL PERMISSIONS ON ALL KEYSPACES TO " + name);
    }

    /** Changes the password of a role, e.g. to make the credentials someone holds stop working. */
    public void changePassword(String name, String password) throws IOException {
        checkRole(name);
        executeAsSuperuser("ALTER ROLE " + name + " WITH PASSWORD = " + literal(password));
    }

    /**
     * Runs statements as the default superuser {@value #SUPERUSER} (anonymously without password authentication).
     * Cassandra creates that superuser a moment after it accepts connections, so a refused login or an unavailable
     * auth keyspace is tried again for up to a minute; any other error fails at once.
     */
    public void executeAsSuperuser(String... statements) throws IOException {
        long deadline = System.nanoTime() + AUTH_READY_TIMEOUT.toNanos();
        while (true) {
            try (CqlClient cql = new CqlClient(HOST, nativePort(), SUPERUSER, SUPERUSER_PASSWORD, clientTls())) {
                for (String statement : statements) {
                    cql.execute(statement);
                }
                return;
            } catch (CqlClient.CqlError e) {
                if (!e.isTransient() || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while waiting for Cassandra's superuser", e);
            }
        }
    }

    /** Sockets for the CQL port: TLS trusting the server's own certificate when client encryption is on, else null. */
    javax.net.ssl.SSLSocketFactory clientTls() throws IOException {
        Settings s = settings();
        if (s.clientKeystore() == null) {
            return null;
        }
        try (InputStream in = Files.newInputStream(s.clientKeystore())) {
            java.security.KeyStore server = java.security.KeyStore.getInstance("PKCS12");
            server.load(in, s.clientKeystorePassword().toCharArray());
            java.security.KeyStore trusted = java.security.KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            for (String alias : java.util.Collections.list(server.aliases())) {
                trusted.setCertificateEntry(alias, server.getCertificate(alias));
            }
            javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("Cannot use the keystore " + s.clientKeystore(), e);
        }
    }

    private void checkRole(String name) {
        if (name == null || !ROLE.matcher(name).matches()) {
            throw new IllegalArgumentException("A role name must match " + ROLE.pattern() + ", not '" + name + "'");
        }
        if (!settings().passwordAuthentication()) {
            throw new IllegalStateException("Roles with passwords need a server started with passwordAuthentication");
        }
    }

    /** A CQL string literal. */
    static String literal(String value) {
        return "'" + Objects.requireNonNull(value, "password").replace("'", "''") + "'";
    }

    // ---------------------------------------------------------------- command line

    static final String USAGE = String.join("\n",
            "Usage: java -cp local-cassandra.jar " + LocalCassandra.class.getName() + " --base-dir DIR [options]",
            "  --base-dir DIR               data, commitlog, logs and conf go below DIR (required)",
            "  --native-port N              CQL port (default 9042; 0 = a free port)",
            "  --storage-port N             inter-node port (default 0 = a free port)",
            "  --heap SIZE                  -Xms/-Xmx of the server (default 256m)",
            "  --password-authentication    require login (superuser cassandra/cassandra)",
            "Prints 'CASSANDRA_READY host=127.0.0.1 port=<port> pid=<pid>' once ready;"
                    + " SIGTERM/SIGINT stops the server.");

    /**
     * Starts a server for shell scripts, prints {@code CASSANDRA_READY host=... port=... pid=...} and blocks; the
     * shutdown hook stops the server when this JVM gets SIGTERM or SIGINT.
     */
    public static void main(String[] args) throws InterruptedException {
        serve(USAGE, () -> new LocalCassandra(parseArguments(args)), cassandra -> "CASSANDRA_READY host="
                + cassandra.host() + " port=" + cassandra.nativePort() + " pid=" + cassandra.pid());
    }

    static Settings parseArguments(String... args) {
        Path baseDir = null;
        int nativePort = 9042;
        int storagePort = 0;
        String heap = Settings.DEFAULT_HEAP;
        boolean passwordAuthentication = false;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--base-dir" -> baseDir = Path.of(Arguments.value(args, ++i, option));
                case "--native-port" -> nativePort = Arguments.port(Arguments.value(args, ++i, option), option);
                case "--storage-port" -> storagePort = Arguments.port(Arguments.value(args, ++i, option), option);
                case "--heap" -> heap = Arguments.value(args, ++i, option);
                case "--password-authentication" -> passwordAuthentication = true;
                default -> throw new IllegalArgumentException("Unknown argument: " + option);
            }
        }
        if (baseDir == null) {
            throw new IllegalArgumentException("--base-dir is required");
        }
        return Settings.builder(baseDir)
                .nativePort(nativePort)
                .storagePort(storagePort)
                .heap(heap)
                .passwordAuthentication(passwordAuthentication)
                .build();
    }

    // ---------------------------------------------------------------- settings

    /**
     * How to run the server. Ports of 0 mean "a free loopback port, chosen at start". Use {@link #builder(Path)}.
     *
     * @param clientKeystore PKCS12 keystore (key and certificate) of the CQL port: clients must connect over TLS;
     *     null = plain connections (see {@link SelfSignedTls})
     * @param clientKeystorePassword the password of that keystore and of its key
     * @param concurrentWrites Cassandra's concurrent_writes; benchmarks that write hard want more than the savers' 4
     */
    public record Settings(
            Path baseDir,
            int nativePort,
            int storagePort,
            int jmxPort,
            String heap,
            String clusterName,
            boolean passwordAuthentication,
            Path clientKeystore,
            String clientKeystorePassword,
            int concurrentWrites,
            Path libDir,
            Path javaHome,
            Duration startupTimeout) {

        public static final String DEFAULT_HEAP = "256m";
        public static final String DEFAULT_CLUSTER_NAME = "stream-control";
        public static final int DEFAULT_CONCURRENT_WRITES = 8;
        public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(120);
        private static final Pattern HEAP = Pattern.compile("[1-9][0-9]*[kKmMgG]");

        public Settings {
            baseDir = Objects.requireNonNull(baseDir, "baseDir").toAbsolutePath().normalize();
            checkPort(nativePort, "nativePort");
            checkPort(storagePort, "storagePort");
            checkPort(jmxPort, "jmxPort");
            if (heap == null || !HEAP.matcher(heap).matches()) {
                throw new IllegalArgumentException("heap must look like 256m or 1g, not '" + heap + "'");
            }
            if (clusterName == null || clusterName.isBlank()) {
                throw new IllegalArgumentException("clusterName must not be blank");
            }
            clientKeystore = clientKeystore == null ? null : clientKeystore.toAbsolutePath().normalize();
            if (clientKeystore != null && (clientKeystorePassword == null || clientKeystorePassword.isEmpty())) {
                throw new IllegalArgumentException("clientKeystore needs its password");
            }
            if (concurrentWrites < 1) {
                throw new IllegalArgumentException("concurrentWrites must be positive");
            }
            libDir = Objects.requireNonNull(libDir, "libDir").toAbsolutePath().normalize();
            javaHome = Objects.requireNonNull(javaHome, "javaHome").toAbsolutePath().normalize();
            if (startupTimeout == null || startupTimeout.isNegative() || startupTimeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive");
            }
        }

        private static void checkPort(int port, String name) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(name + " must be 0-65535, not " + port);
            }
        }

        public static Builder builder(Path baseDir) {
            return new Builder(baseDir);
        }

        public Builder toBuilder() {
            return new Builder(baseDir).nativePort(nativePort).storagePort(storagePort).jmxPort(jmxPort).heap(heap)
                    .clusterName(clusterName).passwordAuthentication(passwordAuthentication)
                    .clientEncryption(clientKeystore, clientKeystorePassword)
                    .concurrentWrites(concurrentWrites).libDir(libDir).javaHome(javaHome)
                    .startupTimeout(startupTimeout);
        }

        /** These settings with every port 0 replaced by a distinct free loopback port. */
        Settings withFreePorts() {
            int[] free = Ports.freePorts(3);
            return toBuilder()
                    .nativePort(nativePort != 0 ? nativePort : free[0])
                    .storagePort(storagePort != 0 ? storagePort : free[1])
                    .jmxPort(jmxPort != 0 ? jmxPort : free[2])
                    .build();
        }

        Path confDir() {
            return baseDir.resolve("conf");
        }

        Path logDir() {
            return baseDir.resolve("logs");
        }

        Path yamlFile() {
            return confDir().resolve("cassandra.yaml");
        }

        Path logbackFile() {
            return confDir().resolve("logback.xml");
        }

        public static final class Builder extends ServerSettingsBuilder<Builder> {
            private int nativePort;
            private int storagePort;
            private int jmxPort;
            private String clusterName = DEFAULT_CLUSTER_NAME;
            private boolean passwordAuthentication;
            private Path clientKeystore;
            private String clientKeystorePassword;
            private int concurrentWrites = DEFAULT_CONCURRENT_WRITES;

            private Builder(Path baseDir) {
                super(baseDir, DEFAULT_HEAP, DEFAULT_STARTUP_TIMEOUT);
            }

            public Builder nativePort(int port) {
                this.nativePort = port;
                return this;
            }

            public Builder storagePort(int port) {
                this.storagePort = port;
                return this;
            }

            public Builder jmxPort(int port) {
                this.jmxPort = port;
                return this;
            }

            public Builder clusterName(String clusterName) {
                this.clusterName = clusterName;
                return this;
            }

            public Builder passwordAuthentication(boolean passwordAuthentication) {
                this.passwordAuthentication = passwordAuthentication;
                return this;
            }

            /** Only TLS on the CQL port, with this PKCS12 keystore (e.g. {@link SelfSignedTls#keystore()}). */
            public Builder clientEncryption(Path keystore, String password) {
                this.clientKeystore = keystore;
                this.clientKeystorePassword = password;
                return this;
            }

            public Builder concurrentWrites(int concurrentWrites) {
                this.concurrentWrites = concurrentWrites;
                return this;
            }

            public Settings build() {
                return new Settings(baseDir, nativePort, storagePort, jmxPort, heap, clusterName,
                        passwordAuthentication, clientKeystore, clientKeystorePassword, concurrentWrites,
                        libDirOr(() -> defaultLibDir(System.getProperty("cassandra.lib.dir"),
                                System.getenv("CASSANDRA_LIB_DIR"), buildProperties())),
                        javaHomeOrDefault(),
                        startupTimeout);
            }
        }

        /** The first of: system property cassandra.lib.dir, env CASSANDRA_LIB_DIR, the build's recorded folder. */
        static Path defaultLibDir(String systemProperty, String environment, Properties buildProperties) {
            return LibDir.choose(systemProperty, environment, buildProperties, "cassandra.lib.dir",
                    "Where are the Cassandra jars? Set -Dcassandra.lib.dir or CASSANDRA_LIB_DIR, or build"
                            + " local-cassandra (it records target/cassandra-lib in local-cassandra.properties)");
        }

        static Properties buildProperties() {
            return LibDir.buildProperties(LocalCassandra.class, "/local-cassandra.properties");
        }
    }
}
