package io.streamcontrol.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * promtool (Debian's prometheus package; CI installs it) on the chart's plain rules file: syntax and semantics
 * ({@code check rules}), and the alerts firing on synthetic series ({@code test rules}, alerts-test.yaml).
 * A missing promtool fails these tests: it is not optional.
 */
class AlertRulesTest {

    private static final Path ALERTS = RenderedChart.CHART_DIR.resolve("files/alerts.yaml");

    @Test
    void promtoolChecksTheRulesFile() throws Exception {
        Result result = promtool(ALERTS.getParent(), "check", "rules", ALERTS.toString());

        assertThat(result.exitCode).as(result.output).isZero();
        assertThat(result.output).contains("SUCCESS");
    }

    @Test
    void alertsFireOnSyntheticSeries(@TempDir Path dir) throws Exception {
        Files.copy(ALERTS, dir.resolve("alerts.yaml"));
        Files.copy(RenderedChart.testResource("alerts-test.yaml"), dir.resolve("alerts-test.yaml"));

        Result result = promtool(dir, "test", "rules", "alerts-test.yaml");

        assertThat(result.exitCode).as(result.output).isZero();
        assertThat(result.output).contains("SUCCESS").doesNotContain("FAILED");
    }

    @Test
    void everyAlertHasASeverityASummaryAndADescription() {
        List<Object> groups = RenderedChart.list(RenderedChart.at(read(ALERTS), "groups"));
        List<String> alerts = new ArrayList<>();
        for (Object group : groups) {
            for (Object rule : RenderedChart.list(RenderedChart.map(group).get("rules"))) {
                alerts.add((String) RenderedChart.map(rule).get("alert"));
                assertThat(RenderedChart.at(rule, "labels.severity")).as("severity of %s", rule)
                        .isIn("critical", "warning", "info");
                assertThat(RenderedChart.at(rule, "annotations.summary")).as("summary of %s", rule).isNotNull();
                assertThat(RenderedChart.at(rule, "annotations.description")).as("description of %s", rule).isNotNull();
            }
        }
        assertThat(alerts).doesNotHaveDuplicates().contains("StreamControlJobFailed", "StreamControlJobLost",
                "StreamingSchedulingDelayGrowing", "StreamingProcessingSlowerThanBatchInterval",
                "StreamingReceiverInactive", "StreamingNoInput");
    }

    private static Object read(Path file) {
        try {
            return RenderedChart.parse(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** promtool's own lint of the service's real exposition: exit 3 means style warnings only, 1 a real problem. */
    @Test
    void promtoolAcceptsTheServicesRealMetricsOutput() throws Exception {
        Path scrape = RenderedChart.serviceScrape();
        Process process = new ProcessBuilder(promtoolBinary(), "check", "metrics").redirectInput(scrape.toFile())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(process.exitValue()).as("promtool check metrics on %s:%n%s", scrape, output).isIn(0, 3);
        assertThat(Files.readString(scrape)).contains("streaming_input_rate{", "streamcontrol_jobs{");
    }

    private record Result(int exitCode, String output) {
    }

    private static Result promtool(Path workingDirectory, String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(promtoolBinary());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        return new Result(process.exitValue(), output);
    }

    /** promtool on the PATH (or PROMTOOL); fails the test when there is none. */
    private static String promtoolBinary() {
        String configured = System.getenv("PROMTOOL");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError("promtool is not installed (apt-get install prometheus; .ci/run does it)");
    }
}
