package io.streamcontrol.control.it;

import static io.streamcontrol.control.it.ControlApi.inState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamcontrol.cassandra.LocalCassandraExtension;
import io.streamcontrol.generator.GeneratorServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The web console in the machine's headless Chromium, against the service running a real job (SparkLauncher, the
 * suite's Cassandra, the generator's lines): a caller signs in with an API key (an unknown key is refused); a viewer
 * signs in, sees the job's live charts with real batches and no action anywhere; an operator stops the job from the console, sees it STOPPED, starts it again and signs out; a
 * wrong password is refused. Every request the pages make stays on the service's origin. Screenshots of every page
 * (at 1280 × 800 and on a phone-sized window) are kept in {@code target/console/}.
 */
@ExtendWith(LocalCassandraExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    @RegisterExtension
    static final ItService IT = ItService.workingIn("console");

    static final Path SCREENSHOTS = Path.of("target", "console");
    /** Lines at 400 a second for longer than the test runs: the job keeps receiving while the browser looks. */
    static final JobScenario SCENARIO = new JobScenario("console", 2_000_000, 400);
    static final Duration STEP = Duration.ofSeconds(20);
    /** The day after the known lines' event times: the top-N as of then holds their last windows. */
    static final String AS_OF = "2026-01-02T00:00:00Z";
    static final String[] CHARTS = {"input-rate", "records", "processing-time", "delays", "receivers", "failed"};

    @LocalServerPort
    int port;

    static GeneratorServer generator;
    /** The service's API while the suite's job exists. */
    static ControlApi jobApi;
    ControlApi api;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        IT.serviceLaunchingJobs(registry, "it_control_console");
    }

    /** Creates and starts the job once, before the first test, and waits for batches with input. */
    @BeforeEach
    void jobRunsWithInput() throws Exception {
        api = new ControlApi(base());
        IT.setUpOnce("the console's job did not start", () -> {
            generator = new GeneratorServer(SCENARIO.generatorSettings()).start();
            jobApi = api;
            assertThat(api.post("/api/jobs", SCENARIO.definition(generator.port(), Map.of("driverMemory", "640m"),
                    Map.of())).status()).isEqualTo(201);
            assertThat(api.post(jobPath() + "/start", null).status()).isEqualTo(202);
            api.awaitJob(SCENARIO.name(), Duration.ofSeconds(120), inState("RUNNING"));
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> batchesWithInput() >= 3);
        });
    }

    @AfterAll
    static void stopEverything() {
        if (jobApi != null) {
            // desired STOPPED first: a driver killed under a job that should run would be restarted by its policy
            HeadlessChromium.quietly(() -> jobApi.post(jobPath() + "/kill", null));
        }
        ServiceProcess.killDrivers("--keyspace " + SCENARIO.keyspace());
        if (generator != null) {
            generator.close();
        }
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    static String jobPath() {
        return "/api/jobs/" + SCENARIO.name();
    }

    long batchesWithInput() {
        JsonNode batches = api.get(jobPath() + "/metrics").body().path("batches");
        long count = 0;
        for (JsonNode batch : batches) {
            if (batch.path("inputSize").asLong() > 0) {
                count++;
            }
        }
        return count;
    }

    @Test
    @Order(1)
    void aWrongPasswordIsRefused() {
        try (HeadlessChromium chromium = HeadlessChromium.start(1280, 800)) {
            ChromeDriver driver = chromium.driver();
            driver.get(base() + "/console/");
            assertThat(driver.getCurrentUrl()).as("an anonymous visitor is sent to sign in")
                    .isEqualTo(base() + "/console/login.html");
            signIn(driver, ControlApi.OPERATOR, "not-the-password");
            waitFor(driver, "the refusal", d -> d.getCurrentUrl().endsWith("/console/login.html?error")
                    && d.findElement(By.id("login-message")).isDisplayed());
            assertThat(driver.findElement(By.id("login-message")).getText()).isEqualTo("Wrong user or password.");
            chromium.screenshot(SCREENSHOTS.resolve("sign-in-refused.png"));
            driver.get(base() + "/console/");
            assertThat(driver.getCurrentUrl()).as("still signed out").isEqualTo(base() + "/console/login.html");
            assertSameOriginAndNoLoginDialog(chromium);
        }
    }

    @Test
    @Order(1)
    void aCallerWithAnApiKeySignsInWithItAndAnUnknownKeyIsRefused() {
        try (HeadlessChromium chromium = HeadlessChromium.start(1280, 800)) {
            ChromeDriver driver = chromium.driver();
            driver.get(base() + "/console/login.html");
            waitFor(driver, "both sign-in forms", d -> d.findElement(By.id("login")).isDisplayed()
                    && d.findElement(By.id("login-credential")).isDisplayed());
            chromium.screenshot(SCREENSHOTS.resolve("sign-in.png"));
            chromium.resize(390, 844);
            chromium.screenshot(SCREENSHOTS.resolve("sign-in-phone.png"));
            chromium.resize(1280, 800);
            signInWithCredential(driver, "an-unknown-key-0123456789");
            waitFor(driver, "the refusal", d -> d.getCurrentUrl().endsWith("/console/login.html?error=credential")
                    && d.findElement(By.id("login-message")).isDisplayed());
            assertThat(driver.findElement(By.id("login-message")).getText()).startsWith("Unknown API key");

            signInWithCredential(driver, ControlApi.VIEWER_API_KEY);
            waitFor(driver, "the job's row", d -> d.findElement(By.cssSelector(
                    "tr[data-job='" + SCENARIO.name() + "'] .state")));
            assertThat(driver.findElement(By.id("who")).getText()).as("the key's name and role")
                    .isEqualTo("test-dashboard (viewer)");
            assertNoActions(driver);
            assertSameOriginAndNoLoginDialog(chromium);
        }
    }

    @Test
    @Order(2)
    void aViewerSeesTheJobsLiveChartsWithRealBatchesAndNoActions() {
        try (HeadlessChromium chromium = HeadlessChromium.start(1280, 800)) {
            ChromeDriver driver = chromium.driver();
            driver.get(base() + "/console/");
            signIn(driver, ControlApi.VIEWER, ControlApi.VIEWER_PASSWORD);
            waitFor(driver, "the job's row, RUNNING", d -> "RUNNING".equals(d.findElement(
                    By.cssSelector("tr[data-job='" + SCENARIO.name() + "'] .state")).getDomAttribute("data-state")));
            assertThat(driver.findElement(By.id("who")).getText()).isEqualTo(ControlApi.VIEWER + " (viewer)");
            waitFor(driver, "the job's sparkline", d -> !d.findElements(By.cssSelector(
                    "tr[data-job='" + SCENARIO.name() + "'] td.spark canvas")).isEmpty());
            assertNoActions(driver);
            chromium.screenshot(SCREENSHOTS.resolve("jobs-viewer.png"));
            chromium.resize(390, 844);
            chromium.screenshotWholePage(SCREENSHOTS.resolve("jobs-viewer-phone.png"));
            chromium.resize(1280, 800);

            click(driver, "the job's link", By.cssSelector("tr[data-job='" + SCENARIO.name() + "'] a"));
            for (String chart : CHARTS) {
                waitFor(driver, "chart " + chart, d -> d.findElement(By.cssSelector(
                        ".chart[data-chart='" + chart + "']")));
            }
            // the live charts hold the driver's batches, points of real input (the charts are redrawn every 3 s:
            // each look reads one drawing)
            String latest = waitFor(driver, "records with at least 3 batches", d -> {
                WebElement chart = d.findElement(By.cssSelector(".chart[data-chart='records']"));
                return Integer.parseInt(chart.getDomAttribute("data-points")) >= 3
                        && !chart.findElements(By.tagName("canvas")).isEmpty()
                        ? chart.findElement(By.cssSelector(".latest")).getText() : null;
            });
            assertThat(Long.parseLong(latest.replaceAll("[^0-9]", ""))).as("records of the latest batch: " + latest)
                    .isPositive();
            for (String chart : List.of("input-rate", "processing-time", "delays", "failed")) {
                waitFor(driver, chart + " with at least 3 batches", d -> Integer.parseInt(d.findElement(
                        By.cssSelector(".chart[data-chart='" + chart + "']")).getDomAttribute("data-points")) >= 3);
            }
            waitFor(driver, "the receivers chart's second poll", d -> Integer.parseInt(d.findElement(By.cssSelector(
                    ".chart[data-chart='receivers']")).getDomAttribute("data-points")) >= 2);
            waitFor(driver, "the history", d -> d.findElement(By.xpath("//h2[text()='History']")));
            assertNoActions(driver);
            chromium.screenshotWholePage(SCREENSHOTS.resolve("job-viewer.png"));
            chromium.resize(390, 844);
            waitFor(driver, "the charts redrawn on a phone", d -> d.findElement(By.cssSelector(
                    ".chart[data-chart='records'] canvas")));
            chromium.screenshotWholePage(SCREENSHOTS.resolve("job-viewer-phone.png"));

            // what it computed, as of the day after the known lines' event times (the first minutes of 2026-01-01)
            chromium.resize(1280, 800);
            driver.get(base() + "/console/#/jobs/" + SCENARIO.name() + "/computed?at=" + AS_OF);
            JsonNode top = api.get(jobPath() + "/top/product?at=" + AS_OF).body().path("items").path(0);
            assertThat(top.path("entries").size()).as("the API's top-N as of " + AS_OF).isPositive();
            waitFor(driver, "the top-N's first rank", d -> top.path("entries").path(0).path("key").asString()
                    .equals(d.findElement(By.cssSelector("table.topn tr[data-rank='1']")).getDomAttribute("data-key")));
            assertThat(driver.findElements(By.cssSelector("table.topn tbody tr"))).as("top-N rows")
                    .hasSize(top.path("entries").size());
            waitFor(driver, "running totals", d -> !d.findElements(By.cssSelector("table.totals tbody tr")).isEmpty());
            waitFor(driver, "the rollup series of the top key", d -> Integer.parseInt(d.findElement(By.cssSelector(
                    ".chart[data-chart='rollup']")).getDomAttribute("data-points")) >= 1);
            waitFor(driver, "today's rejects (the known lines have malformed ones)",
                    d -> !d.findElements(By.cssSelector("table.rejects tbody tr")).isEmpty());
            assertNoActions(driver);
            chromium.screenshotWholePage(SCREENSHOTS.resolve("computed-viewer.png"));
            chromium.resize(390, 844);
            chromium.screenshotWholePage(SCREENSHOTS.resolve("computed-viewer-phone.png"));

            assertSameOriginAndNoLoginDialog(chromium);
        }
    }

    @Test
    @Order(3)
    void anOperatorStopsTheJobFromTheConsoleStartsItAgainAndSignsOut() {
        try (HeadlessChromium chromium = HeadlessChromium.start(1280, 800)) {
            ChromeDriver driver = chromium.driver();
            driver.get(base() + "/console/");
            signIn(driver, ControlApi.OPERATOR, ControlApi.OPERATOR_PASSWORD);
            waitFor(driver, "the create form with the job's defaults", d -> d.findElement(
                    By.cssSelector("form#create input[name='settings.batchInterval'][placeholder]")));
            waitFor(driver, "the job's row with its actions", d -> d.findElement(
                    By.cssSelector("tr[data-job='" + SCENARIO.name() + "'] button[data-action='stop']")).isEnabled());
            chromium.screenshotWholePage(SCREENSHOTS.resolve("jobs-operator.png"));
            chromium.resize(390, 844);
            chromium.screenshotWholePage(SCREENSHOTS.resolve("jobs-operator-phone.png"));
            chromium.resize(1280, 800);
            click(driver, "the job's link", By.cssSelector("tr[data-job='" + SCENARIO.name() + "'] a"));
            waitFor(driver, "the job page", d -> d.findElement(By.cssSelector(".chart[data-chart='records']")));

            act(driver, "stop");
            chromium.screenshot(SCREENSHOTS.resolve("job-operator-confirm-stop.png"));
            confirm(driver);
            waitForState(driver, "STOPPED", Duration.ofSeconds(150));
            waitFor(driver, "the 'not running' note", d -> d.findElement(By.xpath(
                    "//*[contains(@class,'empty') and contains(.,'not running')]")));
            chromium.screenshot(SCREENSHOTS.resolve("job-operator-stopped.png"));
            assertThat(api.get(jobPath()).body().path("status").path("state").asString()).isEqualTo("STOPPED");

            act(driver, "start");
            confirm(driver);
            waitForState(driver, "RUNNING", Duration.ofSeconds(120));
            chromium.screenshot(SCREENSHOTS.resolve("job-operator-started.png"));

            List<String> calls = new ArrayList<>();
            api.get("/api/audit").body().path("items").forEach(e -> calls.add(e.path("caller").asString() + " "
                    + e.path("action").asString() + " " + e.path("outcome").asInt()));
            assertThat(calls).as("the console's calls are audited with the signed-in user")
                    .contains(ControlApi.OPERATOR + " POST " + jobPath() + "/stop 202",
                            ControlApi.OPERATOR + " POST " + jobPath() + "/start 202");

            driver.findElement(By.cssSelector("#logout button")).click();
            waitFor(driver, "the signed-out page", d -> d.getCurrentUrl().endsWith("/console/login.html?signed-out"));
            driver.get(base() + "/console/");
            assertThat(driver.getCurrentUrl()).as("signed out").isEqualTo(base() + "/console/login.html");

            assertSameOriginAndNoLoginDialog(chromium);
        }
    }

    static void signIn(WebDriver driver, String user, String password) {
        waitFor(driver, "the sign-in form", d -> d.findElement(By.cssSelector("#login button[type=submit]"))
                .isEnabled());
        driver.findElement(By.name("username")).sendKeys(user);
        driver.findElement(By.name("password")).sendKeys(password);
        driver.findElement(By.cssSelector("#login button[type=submit]")).click();
    }

    private static void signInWithCredential(WebDriver driver, String credential) {
        waitFor(driver, "the API key form", d -> d.findElement(By.cssSelector("#login-credential button[type=submit]"))
                .isEnabled());
        WebElement field = driver.findElement(By.name("credential"));
        field.clear();
        field.sendKeys(credential);
        driver.findElement(By.cssSelector("#login-credential button[type=submit]")).click();
    }

    /** Clicks the element once it is there and enabled (the pages redraw as they refresh: a redrawn one is looked up again). */
    private static void click(WebDriver driver, String what, By locator) {
        waitFor(driver, what, d -> {
            WebElement element = d.findElement(locator);
            if (!element.isEnabled()) {
                return false;
            }
            element.click();
            return true;
        });
    }

    private static void act(WebDriver driver, String action) {
        click(driver, "the " + action + " button", By.cssSelector(".job-head button[data-action='" + action + "']"));
        waitFor(driver, "the confirmation", d -> d.findElement(By.id("confirm")).isDisplayed());
    }

    private static void confirm(WebDriver driver) {
        driver.findElement(By.cssSelector("#confirm .confirm-yes")).click();
    }

    private static void waitForState(WebDriver driver, String state, Duration atMost) {
        try {
            new WebDriverWait(driver, atMost, Duration.ofMillis(250))
                    .ignoring(StaleElementReferenceException.class).ignoring(NoSuchElementException.class)
                    .until(d -> state.equals(d.findElement(By.cssSelector(".job-head .state"))
                            .getDomAttribute("data-state")));
        } catch (TimeoutException e) {
            throw new AssertionError("the job page did not show " + state + "; problem banner: "
                    + driver.findElement(By.id("problem")).getText(), e);
        }
    }

    private static void assertNoActions(WebDriver driver) {
        assertThat(driver.findElements(By.cssSelector("button[data-action]"))).as("action buttons").isEmpty();
        assertThat(driver.findElements(By.cssSelector("form#create, form.reconfigure"))).as("forms").isEmpty();
    }

    private void assertSameOriginAndNoLoginDialog(HeadlessChromium chromium) {
        assertThat(chromium.dismissedLoginPrompts()).as("no browser login dialog").isZero();
        List<HeadlessChromium.Request> requests = chromium.requests();
        assertThat(requests).as("requests recorded").isNotEmpty();
        assertThat(requests).as("every request of the console stays on " + base())
                .allSatisfy(r -> assertThat(r.url()).matches("^(" + java.util.regex.Pattern.quote(base())
                        + "/.*|data:.*|about:blank)$"));
        System.out.println("Console requests (" + requests.size() + "), distinct paths: " + requests.stream()
                .map(r -> r.method() + " " + r.url().replace(base(), "").replaceAll("\\?.*", "")).distinct().toList());
    }

    static <T> T waitFor(WebDriver driver, String what, Function<WebDriver, T> condition) {
        return waitFor(driver, what, STEP, condition);
    }

    static <T> T waitFor(WebDriver driver, String what, Duration atMost, Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, atMost, Duration.ofMillis(200))
                    .ignoring(StaleElementReferenceException.class).ignoring(NoSuchElementException.class)
                    .ignoring(NumberFormatException.class)
                    .withMessage(() -> "waiting for " + what)
                    .until(d -> {
                        T value = condition.apply(d);
                        return value instanceof Boolean b && !b ? null : value;
                    });
        } catch (TimeoutException e) {
            String page;
            try {
                page = driver.findElement(By.tagName("body")).getText();
            } catch (RuntimeException gone) {
                page = "(unreadable)";
            }
            throw new AssertionError("console: no " + what + " within " + atMost.toSeconds() + " s at "
                    + driver.getCurrentUrl() + "; page: " + (page.length() > 800 ? page.substring(0, 800) : page), e);
        }
    }
}
