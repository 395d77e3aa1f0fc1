package io.streamcontrol.control.it;

import static io.streamcontrol.control.it.ConsoleIT.signIn;
import static io.streamcontrol.control.it.ConsoleIT.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamcontrol.cassandra.LocalCassandra;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console when the service cannot reach its Cassandra: a real Cassandra of this test's own is stopped while an
 * operator looks at the jobs, then started again on the same data and ports. The console says that the service cannot
 * reach Cassandra (the jobs page and a job's page, neither blank nor a raw error), keeps trying, and shows the job
 * again once Cassandra is back. Screenshots in {@code target/console/}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleWithoutCassandraIT {

    static final Path WORK = Path.of("target", "it-work", "console-without-cassandra").toAbsolutePath();
    static final String JOB = "offline";
    /** The driver's reconnection backs off up to a minute, and the console polls every few seconds. */
    static final Duration RECOVERY = Duration.ofSeconds(150);

    static LocalCassandra cassandra;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startCassandra() throws Exception {
        ItService.deleteRecursively(WORK);
        cassandra = new LocalCassandra(LocalCassandra.Settings.builder(WORK.resolve("cassandra")).build()).start();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.cassandra.contact-points", () -> cassandra.contactPoint());
        registry.add("spring.cassandra.local-datacenter", () -> LocalCassandra.DATACENTER);
        registry.add("streamcontrol.cassandra.job-replication", () -> LocalCassandra.DATACENTER + ":1");
        ItService.launchingJobs(registry, "it_control_offline", WORK);
    }

    @AfterAll
    static void stopCassandra() {
        if (cassandra != null) {
            cassandra.stop();
        }
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    @Test
    void theConsoleSaysThatTheServiceCannotReachCassandraAndShowsTheJobAgainOnceItIsBack() throws Exception {
        ControlApi api = new ControlApi(base());
        assertThat(api.post("/api/jobs", new JobScenario(JOB, 1, 1).definition(9, Map.of(), Map.of())).status())
                .isEqualTo(201);
        try (HeadlessChromium chromium = HeadlessChromium.start(1280, 800)) {
            ChromeDriver driver = chromium.driver();
            driver.get(base() + "/console/");
            signIn(driver, ControlApi.OPERATOR, ControlApi.OPERATOR_PASSWORD);
            waitFor(driver, "the job's row", d -> d.findElement(By.cssSelector("tr[data-job='" + JOB + "']")));

            LocalCassandra.Settings ran = cassandra.settings();
            cassandra.stop();
            WebElement banner = waitFor(driver, "the banner saying Cassandra cannot be reached", Duration.ofSeconds(60),
                    d -> {
                        WebElement problem = d.findElement(By.id("problem"));
                        return problem.isDisplayed() && "cassandra".equals(problem.getDomAttribute("data-problem"))
                                ? problem : null;
                    });
            assertThat(banner.getText()).startsWith("The control service cannot reach Cassandra.");
            assertThat(driver.findElement(By.cssSelector("#page .unavailable")).getText())
                    .startsWith("The jobs cannot be read now");
            assertThat(driver.findElements(By.cssSelector("tr[data-job]"))).as("no stale rows").isEmpty();
            chromium.screenshot(ConsoleIT.SCREENSHOTS.resolve("jobs-cassandra-unreachable.png"));

            driver.get(base() + "/console/#/jobs/" + JOB);
            waitFor(driver, "the job page saying its state cannot be read", d -> d.findElement(By.cssSelector(
                    ".job-head .unavailable")).getText().startsWith("Its state cannot be read now"));
            waitFor(driver, "the banner on the job page", d -> "cassandra".equals(d.findElement(By.id("problem"))
                    .getDomAttribute("data-problem")));
            chromium.screenshot(ConsoleIT.SCREENSHOTS.resolve("job-cassandra-unreachable.png"));
            chromium.resize(390, 844);
            chromium.screenshotWholePage(ConsoleIT.SCREENSHOTS.resolve("job-cassandra-unreachable-phone.png"));
            chromium.resize(1280, 800);

            cassandra = new LocalCassandra(ran).start();
            waitFor(driver, "the job's state again, and no banner", RECOVERY, d -> "STOPPED".equals(d.findElement(
                    By.cssSelector(".job-head .state")).getDomAttribute("data-state"))
                    && !d.findElement(By.id("problem")).isDisplayed());
        }
    }
}
