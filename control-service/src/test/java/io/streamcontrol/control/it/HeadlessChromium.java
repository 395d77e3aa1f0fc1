package io.streamcontrol.control.it;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.bidi.module.Network;
import org.openqa.selenium.bidi.network.AddInterceptParameters;
import org.openqa.selenium.bidi.network.InterceptPhase;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The machine's headless Chromium for the browser tests (Swagger UI, the console). Nothing is downloaded: the driver
 * is {@value #CHROMEDRIVER} and the browser {@value #CHROMIUM} (Debian's {@code chromium} and {@code chromium-driver}),
 * both given explicitly so Selenium Manager never runs, and Chromium is started with its background services off, a
 * fresh profile and every host but the loopback unresolvable, so it talks to nothing but the service under test.
 *
 * <p>Over WebDriver BiDi it records every request the pages make ({@link #requests()}), and dismisses every login
 * dialog the browser would show for a 401 with a Basic challenge (headless Chromium keeps such a request pending
 * forever), as a person pressing Cancel; {@link #dismissedLoginPrompts()} counts them.
 *
 * <p>Close it (try-with-resources) to end the browser, the driver and the temporary profile.
 */
final class HeadlessChromium implements AutoCloseable {

    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final String CHROMIUM = "/usr/bin/chromium";

    static final Duration PAGE_LOAD = Duration.ofSeconds(60);

    /** One request a page made: method and URL. */
    record Request(String method, String url) {
    }

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Network network;
    private final Path profile;
    private final AtomicInteger dismissedLoginPrompts = new AtomicInteger();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private HeadlessChromium(ChromeDriverService service, ChromeDriver driver, Path profile) {
        this.service = service;
        this.driver = driver;
        this.profile = profile;
        this.network = new Network(driver);
        network.onBeforeRequestSent(sent -> requests.add(new Request(sent.getRequest().getMethod(),
                sent.getRequest().getUrl())));
        network.addIntercept(new AddInterceptParameters(InterceptPhase.AUTH_REQUIRED));
        network.onAuthRequired(challenge -> {
            dismissedLoginPrompts.incrementAndGet();
            network.cancelAuth(challenge.getRequest().getRequestId());
        });
    }

    /** Starts the browser with a window of {@code width} × {@code height} pixels. */
    static HeadlessChromium start(int width, int height) {
        for (String file : List.of(CHROMEDRIVER, CHROMIUM)) {
            if (!Files.isExecutable(Path.of(file))) {
                throw new IllegalStateException(file + " is missing: install Debian's chromium and chromium-driver"
                        + " (./verify.sh does)");
            }
        }
        Path profile;
        try {
            profile = Files.createTempDirectory("headless-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // WebDriver BiDi (a WebSocket to the driver) for the requests and the login prompts; no CDP/devtools module
        options.enableBiDi();
        options.addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--user-data-dir=" + profile,
                "--no-default-browser-check", "--disable-default-apps", "--disable-extensions",
                "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider",
                // no outside connections even by mistake: every host but the loopback is unresolvable
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
                "--window-size=" + width + "," + height, "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .withLogOutput(OutputStream.nullOutputStream())
                .build();
        ChromeDriver driver = null;
        try {
            service.start();
            driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(PAGE_LOAD);
            return new HeadlessChromium(service, driver, profile);
        } catch (RuntimeException | IOException e) {
            quietly(driver == null ? null : driver::quit);
            quietly(service::stop);
            deleteTree(profile);
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Every request the pages made so far, in order. */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** How many times the browser would have shown its own login dialog (for a 401 with a Basic challenge). */
    int dismissedLoginPrompts() {
        return dismissedLoginPrompts.get();
    }

    /** Resizes the window (e.g. to a phone's 390 × 844). */
    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** A PNG of the browser window as it is now; the parent directories are created. */
    Path screenshot(Path file) {
        try {
            Path target = file.toAbsolutePath();
            Files.createDirectories(target.getParent());
            Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
            Files.move(shot, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A PNG of the whole page, not only what the window shows: the window is made as tall as the page for the shot,
     * then given its size back.
     */
    Path screenshotWholePage(Path file) {
        Dimension window = driver.manage().window().getSize();
        Number height = (Number) driver.executeScript("return document.documentElement.scrollHeight");
        if (height.intValue() <= window.getHeight()) {
            return screenshot(file);
        }
        resize(window.getWidth(), height.intValue() + 100);
        try {
            return screenshot(file);
        } finally {
            resize(window.getWidth(), window.getHeight());
        }
    }

    /** Ends the browser, the driver and the temporary profile. */
    @Override
    public void close() {
        quietly(network::close);
        quietly(driver::quit);
        quietly(service::stop);
        deleteTree(profile);
    }

    static void quietly(Runnable action) {
        if (action == null) {
            return;
        }
        try {
            action.run();
        } catch (RuntimeException e) {
            // ending a browser that is already gone
        }
    }

    private static void deleteTree(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary profile left behind is harmless
        }
    }
}
