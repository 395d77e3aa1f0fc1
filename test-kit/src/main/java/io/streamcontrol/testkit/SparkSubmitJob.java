package io.streamcontrol.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged job run the way users run it: {@code bin/spark-submit} of the SPARK_HOME assembled by the build, with
 * the shaded job jar, as a separate driver process (local mode), which a test can stop, kill or wait for.
 */
public final class SparkSubmitJob implements AutoCloseable {

    private final Process process;
    private final Path log;

    private SparkSubmitJob(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static SparkSubmitJob start(Path log, List<String> jobArgs) throws IOException {
        return start(log, List.of("spark.ui.enabled=false"), jobArgs);
    }

    /** Starts the job with extra {@code --conf key=value} Spark settings. */
    public static SparkSubmitJob start(Path log, List<String> sparkConf, List<String> jobArgs) throws IOException {
        return start(log, sparkConf, "io.streamcontrol.job.StreamingJob", jobJar(), List.of(), jobArgs);
    }

    /**
     * Starts {@code mainClass} of {@code appJar} the way the job is started (same master, driver memory and
     * addresses), with {@code jars} on its classpath ({@code --jars}), e.g. another application on the job jar's
     * Cassandra connector.
     */
    public static SparkSubmitJob start(Path log, List<String> sparkConf, String mainClass, Path appJar, List<Path> jars,
            List<String> args) throws IOException {
        Path sparkHome = Path.of(System.getProperty("spark.home", "../spark-home/target/spark-home")).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(sparkHome.resolve("bin/spark-submit").toString(),
                "--master", "local[4]",
                "--driver-memory", "768m",
                "--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.driver.bindAddress=127.0.0.1"));
        sparkConf.forEach(c -> command.addAll(List.of("--conf", c)));
        if (!jars.isEmpty()) {
            command.addAll(List.of("--jars", String.join(",", jars.stream().map(j -> j.toAbsolutePath().toString())
                    .toList())));
        }
        command.addAll(List.of("--class", mainClass, appJar.toAbsolutePath().toString()));
        command.addAll(args);
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("SPARK_HOME", sparkHome.toString());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return new SparkSubmitJob(builder.start(), log);
    }

    /** The shaded job jar, from the {@code job.jar} system property. */
    public static Path jobJar() {
        return Path.of(System.getProperty("job.jar")).toAbsolutePath();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the driver dies with whatever it had in memory. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("job did not exit within " + timeout + "; log: " + log);
        }
        return process.exitValue();
    }

    /** The driver's whole log so far. */
    public List<String> logLines() throws IOException {
        return Files.readAllLines(log);
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
