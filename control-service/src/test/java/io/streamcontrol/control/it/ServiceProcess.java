package io.streamcontrol.control.it;

import static org.awaitility.Awaitility.await;

import io.streamcontrol.cassandra.LocalCassandra;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The packaged control service run as its own process, so a test can SIGKILL it and start it again. */
final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the service and waits until it answers; {@code extraArguments} are more of its command line. */
    static ServiceProcess start(LocalCassandra cassandra, Path work, String controlKeyspace, int port, Path log,
            String... extraArguments) throws IOException {
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-jar", System.getProperty("service.jar"),
                "--server.port=" + port,
                "--spring.cassandra.contact-points=" + cassandra.host() + ":" + cassandra.nativePort(),
                "--spring.cassandra.local-datacenter=" + LocalCassandra.DATACENTER,
                "--streamcontrol.cassandra.control-keyspace=" + controlKeyspace,
                "--streamcontrol.spark.home=" + System.getProperty("spark.home"),
                "--streamcontrol.spark.job-jar=" + System.getProperty("job.jar"),
                "--streamcontrol.jobs.work-directory=" + work.resolve("jobs"),
                "--streamcontrol.jobs.checkpoint-base=" + work.resolve("checkpoints").toUri(),
                "--streamcontrol.jobs.reconcile-interval=1s",
                "--streamcontrol.metrics.poll-interval=1s",
                "--spring.config.import=" + ServiceProcess.class.getResource("/config/application.properties")));
        command.addAll(List.of(extraArguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        ServiceProcess service = new ServiceProcess(process, port, log);
        ControlApi api = service.api();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("service exited; see " + log);
                    }
                    return api.get("/actuator/health").status() == 200;
                });
        return service;
    }

    ControlApi api() {
        return ControlApi.onPort(port);
    }

    long pid() {
        return process.pid();
    }

    /** SIGSTOP: the process stands still, as in a long GC pause or a frozen VM, until {@link #resume()}. */
    void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** SIGKILL, as a crash or an OOM killer would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            try {
                resume(); // a paused process would not obey SIGTERM
            } catch (IOException | RuntimeException e) {
                // it ends by SIGKILL below
            }
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Kills the drivers whose command line holds {@code marker}: drivers outlive the service that launched them. */
    static void killDrivers(String marker) {
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("io.streamcontrol.job.StreamingJob")
                        && c.contains(marker)).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
    }
}
