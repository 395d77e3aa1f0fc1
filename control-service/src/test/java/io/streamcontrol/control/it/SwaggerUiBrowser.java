package io.streamcontrol.control.it;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.bidi.module.Network;
import org.openqa.selenium.bidi.network.AddInterceptParameters;
import org.openqa.selenium.bidi.network.InterceptPhase;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Swagger UI of the control service in the machine's headless Chromium, driven the way a person uses it: open the
 * page, Authorize, expand an operation, "Try it out", fill the parameters, Execute, read the live response.
 *
 * <p>The browser is the machine's headless Chromium ({@link HeadlessChromium}): nothing is downloaded, and it talks to
 * nothing but the service under test.
 *
 * <pre>{@code
 * try (SwaggerUiBrowser ui = SwaggerUiBrowser.open("http://127.0.0.1:" + port)) {
 *     ui.authorizeBasic("test-viewer", "viewer-secret");
 *     SwaggerUiBrowser.TryItOutResult result = ui.tryItOut("getRunningTotals", Map.of("name", "sales", "dimension", "product"));
 *     ui.screenshot(Path.of("target", "swagger-ui", "try-it-out.png"));
 * }
 * }</pre>
 *
 * <p>The service answers 401 with {@code WWW-Authenticate: Basic}: a browser then asks for a user and password in
 * its own login dialog; {@link HeadlessChromium} dismisses it, as a person pressing Cancel, so Swagger UI shows the 401.
 *
 * <p>Close it (try-with-resources) to end the browser, the driver and the temporary profile.
 */
final class SwaggerUiBrowser implements AutoCloseable {

    /** The document's title, shown once Swagger UI has loaded and rendered {@code /openapi.yaml}. */
    static final String TITLE = "stream-control API";

    private static final Duration PAGE_LOAD = HeadlessChromium.PAGE_LOAD;
    private static final Duration UI_STEP = Duration.ofSeconds(15);
    private static final Duration RESPONSE = Duration.ofSeconds(60);
    private static final Pattern STATUS = Pattern.compile("\\b([1-5][0-9]{2})\\b");

    /** What Swagger UI shows after Execute: the status code, the response body as displayed, the request URL. */
    record TryItOutResult(int status, String body, String requestUrl) {
    }

    private final HeadlessChromium chromium;
    private final ChromeDriver driver;
    private final String baseUrl;

    private SwaggerUiBrowser(HeadlessChromium chromium, String baseUrl) {
        this.chromium = chromium;
        this.driver = chromium.driver();
        this.baseUrl = baseUrl;
    }

    /** How many times the browser would have shown its own login dialog (for a 401 with a Basic challenge). */
    int dismissedLoginPrompts() {
        return chromium.dismissedLoginPrompts();
    }

    /**
     * Starts the browser, loads {@code <baseUrl>/swagger-ui/index.html} and waits until the contract is rendered (its
     * title {@value #TITLE} visible).
     *
     * @param baseUrl the service, e.g. {@code http://127.0.0.1:8080} (no trailing slash needed)
     */
    static SwaggerUiBrowser open(String baseUrl) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        HeadlessChromium chromium = HeadlessChromium.start(1400, 2000);
        try {
            return new SwaggerUiBrowser(chromium, base).load();
        } catch (RuntimeException e) {
            chromium.close();
            throw e;
        }
    }

    /** (Re)loads Swagger UI; authorizations and entered values are gone afterwards, as after a reload by hand. */
    SwaggerUiBrowser load() {
        driver.get(baseUrl + "/swagger-ui/index.html");
        try {
            new WebDriverWait(driver, PAGE_LOAD).until(d -> {
                List<WebElement> failed = d.findElements(By.xpath(
                        "//*[contains(@class,'info')]//*[contains(normalize-space(.),'Failed to load API definition')]"));
                if (!failed.isEmpty()) {
                    throw new IllegalStateException("Swagger UI could not load the API definition: "
                            + d.findElement(By.cssSelector("#swagger-ui")).getText());
                }
                return d.findElements(By.cssSelector(".information-container .info .title")).stream()
                        .anyMatch(t -> t.isDisplayed() && t.getText().contains(TITLE))
                        && !d.findElements(By.cssSelector(".opblock")).isEmpty();
            });
        } catch (TimeoutException e) {
            throw new IllegalStateException("Swagger UI at " + driver.getCurrentUrl() + " did not show " + TITLE
                    + " within " + PAGE_LOAD.toSeconds() + " s; page text: " + pageText(), e);
        }
        return this;
    }

    /**
     * Authorize, then the {@code basicAuth} scheme's user and password, Authorize and Close, as by hand. Afterwards the
     * calls made with "Try it out" carry HTTP basic credentials.
     */
    SwaggerUiBrowser authorizeBasic(String user, String password) {
        WebElement dialog = openAuthorizeDialog();
        WebElement basic = basicScheme(dialog);
        if (basic.findElements(By.cssSelector("input[name='username']")).isEmpty()) {
            // already authorized (Swagger UI then shows the user, and offers Logout only when every scheme is
            // authorized): start from a fresh page, as a person would reload it
            load();
            dialog = openAuthorizeDialog();
            basic = basicScheme(dialog);
        }
        WebElement scheme = basic;
        type(wait(UI_STEP, "the basicAuth username input",
                d -> displayed(scheme.findElements(By.cssSelector("input[name='username']")))), user);
        type(scheme.findElement(By.cssSelector("input[name='password']")), password);
        scheme.findElement(By.xpath("./ancestor::form[1]//button[contains(@class,'authorize')"
                + " and normalize-space()='Authorize']")).click();
        WebElement modal = dialog;
        wait(UI_STEP, "basicAuth shown as Authorized", d -> !modal.findElements(By.xpath(BASIC_SCHEME
                + "//h6[normalize-space()='Authorized']")).isEmpty());
        modal.findElement(By.cssSelector("button.btn-done")).click();
        wait(UI_STEP, "the Authorize dialog closed",
                ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".dialog-ux .modal-ux")));
        return this;
    }

    /** The block of the basicAuth scheme in the Authorize dialog: its heading's parent. */
    private static final String BASIC_SCHEME = ".//div[contains(@class,'auth-container')]"
            + "//h4[code[normalize-space()='basicAuth']]/..";

    private WebElement openAuthorizeDialog() {
        visible(By.cssSelector(".auth-wrapper .authorize")).click();
        return visible(By.cssSelector(".dialog-ux .modal-ux"));
    }

    private WebElement basicScheme(WebElement dialog) {
        return wait(UI_STEP, "the basicAuth scheme in the Authorize dialog", d -> {
            List<WebElement> found = dialog.findElements(By.xpath(BASIC_SCHEME));
            return found.isEmpty() ? null : found.get(0);
        });
    }

    /**
     * Expands the operation, "Try it out", fills its parameters (inputs, or the select of an enum), Execute, and waits
     * for the live response.
     *
     * @param operationId e.g. {@code getRunningTotals}
     * @param parameters values by parameter name (path, query and header parameters); parameters not given are left
     *     as they are (empty in a fresh page)
     * @return the HTTP status and the response body Swagger UI shows
     */
    TryItOutResult tryItOut(String operationId, Map<String, String> parameters) {
        WebElement operation = operation(operationId);
        if (operation.findElements(By.cssSelector(".opblock-body")).isEmpty()) {
            operation.findElement(By.cssSelector(".opblock-summary-control, .opblock-summary")).click();
            wait(UI_STEP, operationId + " expanded", d -> !operation.findElements(By.cssSelector(".opblock-body"))
                    .isEmpty());
        }
        scrollTo(operation);
        WebElement tryOut = wait(UI_STEP, "the Try it out button of " + operationId,
                d -> displayed(operation.findElements(By.cssSelector(".try-out__btn"))));
        if (!tryOut.getDomAttribute("class").contains("cancel")) {
            tryOut.click();
            wait(UI_STEP, operationId + " in Try it out mode", d -> !operation.findElements(
                    By.cssSelector(".try-out__btn.cancel")).isEmpty());
        }
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            fill(operation, operationId, parameter.getKey(), parameter.getValue());
        }
        List<WebElement> clear = operation.findElements(By.cssSelector(".btn-clear"));
        if (!clear.isEmpty()) {
            clear.get(0).click();
            wait(UI_STEP, "the previous response of " + operationId + " cleared", d -> operation.findElements(
                    By.cssSelector(".live-responses-table")).isEmpty());
        }
        WebElement execute = wait(UI_STEP, "the Execute button of " + operationId,
                ExpectedConditions.elementToBeClickable(operation.findElement(By.cssSelector(".execute"))));
        execute.click();
        By statusCell = By.cssSelector(".live-responses-table tr.response .response-col_status");
        wait(RESPONSE, "the live response of " + operationId, d -> {
            List<WebElement> invalid = operation.findElements(By.cssSelector(".parameters .invalid"));
            if (!invalid.isEmpty() && operation.findElements(statusCell).isEmpty()) {
                throw new IllegalStateException("Swagger UI refused to execute " + operationId
                        + ": invalid parameters " + invalidParameters(operation));
            }
            return operation.findElements(statusCell).stream().anyMatch(c -> STATUS.matcher(c.getText()).find());
        });
        WebElement cell = operation.findElement(statusCell);
        Matcher status = STATUS.matcher(cell.getText());
        if (!status.find()) {
            throw new IllegalStateException("No status in " + cell.getText());
        }
        WebElement response = operation.findElement(By.cssSelector(".live-responses-table tr.response"));
        List<WebElement> bodies = response.findElements(By.cssSelector(".response-col_description .highlight-code"));
        String body = bodies.isEmpty() ? "" : Objects.requireNonNullElse(bodies.get(0).getDomProperty("textContent"), "");
        List<WebElement> urls = operation.findElements(By.cssSelector(".request-url pre"));
        String url = urls.isEmpty() ? "" : urls.get(0).getText();
        scrollTo(response);
        return new TryItOutResult(Integer.parseInt(status.group(1)), body.strip(), url.strip());
    }

    /** A PNG of the browser window as it is now; the parent directories are created. */
    Path screenshot(Path file) {
        return chromium.screenshot(file);
    }

    /** Ends the browser, the driver and the temporary profile. */
    @Override
    public void close() {
        chromium.close();
    }

    private WebElement operation(String operationId) {
        By block = By.cssSelector("div.opblock[id^='operations-'][id$='-" + operationId + "']");
        // operations of a collapsed tag are not rendered: open the collapsed tags first
        if (driver.findElements(block).isEmpty()) {
            for (WebElement tag : driver.findElements(By.cssSelector(".opblock-tag-section:not(.is-open) .opblock-tag"))) {
                tag.click();
            }
        }
        return wait(UI_STEP, "operation " + operationId + " on the page", d -> displayed(d.findElements(block)));
    }

    private void fill(WebElement operation, String operationId, String name, String value) {
        By row = By.cssSelector("tr[data-param-name='" + name.replace("'", "\\'") + "']");
        List<WebElement> rows = operation.findElements(row);
        if (rows.isEmpty()) {
            List<String> known = new ArrayList<>();
            operation.findElements(By.cssSelector("tr[data-param-name]"))
                    .forEach(r -> known.add(r.getDomAttribute("data-param-name")));
            throw new IllegalArgumentException(operationId + " has no parameter " + name + "; it has " + known);
        }
        WebElement cell = rows.get(0).findElement(By.cssSelector(".parameters-col_description"));
        List<WebElement> selects = cell.findElements(By.tagName("select"));
        if (!selects.isEmpty()) {
            Select select = new Select(selects.get(0));
            if (value.isEmpty()) {
                select.selectByIndex(0);
            } else {
                select.selectByValue(value);
            }
            return;
        }
        WebElement input = wait(UI_STEP, "the input of parameter " + name,
                d -> displayed(cell.findElements(By.cssSelector("input, textarea"))));
        type(input, value);
    }

    /** Replaces an input's value by typing, so React sees every change (clear() alone does not reach its state). */
    private static void type(WebElement input, String value) {
        input.click();
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        if (!value.isEmpty()) {
            input.sendKeys(value);
        }
    }

    private String invalidParameters(WebElement operation) {
        List<String> names = new ArrayList<>();
        for (WebElement row : operation.findElements(By.cssSelector("tr[data-param-name]"))) {
            if (!row.findElements(By.cssSelector(".invalid")).isEmpty()) {
                names.add(row.getDomAttribute("data-param-name"));
            }
        }
        return names.toString();
    }

    private void scrollTo(WebElement element) {
        driver.executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
    }

    private WebElement visible(By locator) {
        return wait(UI_STEP, locator.toString(), ExpectedConditions.visibilityOfElementLocated(locator));
    }

    private <T> T wait(Duration timeout, String what, java.util.function.Function<? super org.openqa.selenium.WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, timeout, Duration.ofMillis(100))
                    .ignoring(StaleElementReferenceException.class)
                    .ignoring(NoSuchElementException.class)
                    .withMessage(() -> "waiting for " + what)
                    .until(condition);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Swagger UI: no " + what + " within " + timeout.toSeconds() + " s", e);
        }
    }

    private static WebElement displayed(List<WebElement> elements) {
        return elements.stream().filter(WebElement::isDisplayed).findFirst().orElse(null);
    }

    private String pageText() {
        try {
            String text = driver.findElement(By.tagName("body")).getText();
            return text.length() > 500 ? text.substring(0, 500) + "..." : text;
        } catch (WebDriverException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** The parameters of {@link #tryItOut} in order, for callers that build them step by step. */
    static Map<String, String> parameters(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }
}
