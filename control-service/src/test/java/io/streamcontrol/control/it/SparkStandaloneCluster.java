package io.streamcontrol.control.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Spark standalone cluster on loopback, started from the assembled SPARK_HOME: one master (RPC port, web UI with
 * its JSON API, REST submission server, all on free ports) and one worker. Closing it ends both and every driver and
 * executor the worker started.
 */
final class SparkStandaloneCluster implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path work;
    private final int masterPort;
    private final int webUiPort;
    private final int restPort;
    private final List<Process> daemons = new ArrayList<>();

    private SparkStandaloneCluster(Path work) throws IOException {
        this.work = work;
        this.masterPort = ServiceProcess.freePort();
        this.webUiPort = ServiceProcess.freePort();
        this.restPort = ServiceProcess.freePort();
    }

    /**
     * A master and a worker of the build's SPARK_HOME with room for one job in either deploy mode (a driver's core and
     * an executor's three: {@link SparkStandaloneIT#RESOURCES}), its files under {@code work}.
     */
    static SparkStandaloneCluster forOneJob(Path work) throws IOException {
        return start(Path.of(System.getProperty("spark.home")), work, 4, "2g");
    }

    /** Starts a master and a worker with {@code cores} and {@code memory}, and waits until the worker is ALIVE. */
    static SparkStandaloneCluster start(Path sparkHome, Path work, int cores, String memory) throws IOException {
        Files.createDirectories(work);
        SparkStandaloneCluster cluster = new SparkStandaloneCluster(work);
        try {
            cluster.startDaemons(sparkHome, cores, memory);
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .alias("a master at " + cluster.webUi() + " with one ALIVE worker (logs in " + work + ")")
                    .until(() -> {
                        cluster.daemons.forEach(process -> {
                            if (!process.isAlive()) {
                                throw new IllegalStateException("a Spark daemon exited; see " + work);
                            }
                        });
                        return stream(cluster.json().path("workers"))
                                .anyMatch(w -> "ALIVE".equals(w.path("state").asString()));
                    });
            return cluster;
        } catch (RuntimeException | IOException e) {
            cluster.close();
            throw e;
        }
    }

    private void startDaemons(Path sparkHome, int cores, String memory) throws IOException {
        Path masterConf = Files.writeString(work.resolve("master.properties"), String.join("\n",
                "spark.master.rest.enabled true",
                "spark.master.rest.port " + restPort,
                ""));
        Path log4j = Files.writeString(work.resolve("daemons-log4j2.properties"), String.join("\n",
                "rootLogger.level = info",
                "rootLogger.appenderRef.stderr.ref = stderr",
                "appender.stderr.type = Console",
                "appender.stderr.name = stderr",
                "appender.stderr.target = SYSTEM_ERR",
                "appender.stderr.layout.type = PatternLayout",
                "appender.stderr.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n%ex",
                ""));
        daemons.add(daemon(sparkHome, log4j, "master.log", "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(webUiPort),
                "--properties-file", masterConf.toString()));
        daemons.add(daemon(sparkHome, log4j, "worker.log", "org.apache.spark.deploy.worker.Worker", masterUrl(),
                "--host", "127.0.0.1", "--cores", String.valueOf(cores), "--memory", memory,
                "--webui-port", String.valueOf(ServiceProcess.freePort()), "--work-dir", work.resolve("work").toString()));
    }

    private Process daemon(Path sparkHome, Path log4j, String log, String mainClass, String... arguments)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(sparkHome.resolve("bin/spark-class").toString(), mainClass));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve(log).toFile()));
        Map<String, String> environment = builder.environment();
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.put("SPARK_HOME", sparkHome.toString());
        // as each machine's spark-env.sh would: bind and advertise loopback (else drivers on the worker advertise
        // "localhost", which may resolve to ::1 while they listen on 127.0.0.1)
        environment.put("SPARK_LOCAL_IP", "127.0.0.1");
        environment.put("SPARK_LOCAL_HOSTNAME", "127.0.0.1");
        environment.put("SPARK_DAEMON_MEMORY", "256m");
        environment.put("SPARK_DAEMON_JAVA_OPTS", "-Dlog4j2.configurationFile=" + log4j.toUri());
        return builder.start();
    }

    /** The master's RPC URL: what client deploy mode (and the legacy submission gateway) uses. */
    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** The master's REST submission server as a master URL: what cluster deploy mode needs. */
    String restUrl() {
        return "spark://127.0.0.1:" + restPort;
    }

    String webUi() {
        return "http://127.0.0.1:" + webUiPort;
    }

    /** Where the worker keeps each driver's and executor's directory (their logs). */
    Path workerDirectory() {
        return work.resolve("work");
    }

    /** The master's state as its web UI's JSON API gives it ({@code /json/}). */
    JsonNode json() throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(webUi() + "/json/"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    /** The ids of the applications the master runs. */
    List<String> activeApps() throws IOException, InterruptedException {
        return stream(json().path("activeapps")).map(app -> app.path("id").asString()).toList();
    }

    /** A driver the master knows (cluster deploy mode), active or completed. */
    Optional<JsonNode> driver(String submissionId) throws IOException, InterruptedException {
        JsonNode state = json();
        return Stream.concat(stream(state.path("activedrivers")), stream(state.path("completeddrivers")))
                .filter(d -> submissionId.equals(d.path("id").asString())).findFirst();
    }

    /** The processes the worker started: drivers (cluster deploy mode) and executors. */
    List<ProcessHandle> workerChildren() {
        return daemons.size() < 2 ? List.of() : daemons.get(1).toHandle().descendants().toList();
    }

    List<ProcessHandle> executors() {
        return workerChildren().stream().filter(p -> p.info().commandLine()
                .map(c -> c.contains("CoarseGrainedExecutorBackend")).orElse(false)).toList();
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    /** Ends the worker's drivers and executors, the worker and the master: SIGTERM, then SIGKILL after 15 s. */
    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>();
        for (Process daemon : daemons) {
            all.addAll(daemon.toHandle().descendants().toList());
            all.add(daemon.toHandle());
        }
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        for (ProcessHandle process : all) {
            long left = Math.max(0, deadline - System.nanoTime());
            try {
                process.onExit().get(left, java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
            }
        }
    }
}
