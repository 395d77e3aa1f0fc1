package io.streamcontrol.job.it;

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
final class SparkSubmitJob implements AutoCloseable {

    private final Process process;
    private final Path log;

    private SparkSubmitJob(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static SparkSubmitJob start(Path log, List<String> jobArgs) throws IOException {
        Path sparkHome = Path.of(System.getProperty("spark.home", "../spark-home/target/spark-home")).toAbsolutePath();
        Path jobJar = Path.of(System.getProperty("job.jar")).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(sparkHome.resolve("bin/spark-submit").toString(),
                "--master", "local[4]",
                "--driver-memory", "768m",
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--class", "io.streamcontrol.job.StreamingJob",
                jobJar.toString()));
        command.addAll(jobArgs);
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("SPARK_HOME", sparkHome.toString());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return new SparkSubmitJob(builder.start(), log);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the driver dies with whatever it had in memory. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("job did not exit within " + timeout + "; log: " + log);
        }
        return process.exitValue();
    }

    String logTail() {
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
