package io.streamcontrol.control.it;

import static io.streamcontrol.control.it.ControlApi.inState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamcontrol.cassandra.LocalCassandraExtension;
import io.streamcontrol.contract.events.SalesEvent;
import io.streamcontrol.generator.GeneratorServer;
import io.streamcontrol.testkit.ExpectedResults;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The rollup query API over what a real job computed from the generator's known lines: every answer equals the
 * independent recomputation, pages join up to the whole, and the API is closed to callers without credentials.
 * Swagger UI in headless Chromium runs a query with "Try it out", and a sweep generated from the contract sends bad
 * input to every parameter of every operation.
 */
@ExtendWith(LocalCassandraExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AnalyticsIT {

    static final JobScenario SCENARIO = new JobScenario("analytics", 12_000, 1_500);
    @RegisterExtension
    static final ItService IT = ItService.workingIn("analytics").withSession()
            .killingDrivers("--keyspace " + SCENARIO.keyspace());

    /** The known lines' event times lie in the first minutes of 2026-01-01; these ranges cover them. */
    static final String FROM = "2025-12-31T00:00:00Z";
    static final String TO = "2026-01-01T02:00:00Z";

    static final java.nio.file.Path SCREENSHOT = java.nio.file.Path.of("target", "swagger-ui", "try-it-out.png");
    static final java.nio.file.Path CONTRACT = java.nio.file.Path.of("..", "openapi", "openapi.yaml");

    @LocalServerPort
    int port;

    static ExpectedResults expected;
    ControlApi api;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        IT.serviceLaunchingJobs(registry, "it_control_analytics");
    }

    /** Runs the job over all known lines once, before the first test, and stops it gracefully; the tests only read. */
    @BeforeEach
    void jobComputedAllLines() throws Exception {
        api = ControlApi.onPort(port);
        IT.setUpOnce("the job's run over the known lines failed", () -> {
            runJobOverAllLines();
            expected = SCENARIO.expected();
        });
    }

    private void runJobOverAllLines() throws Exception {
        try (GeneratorServer generator = new GeneratorServer(SCENARIO.generatorSettings()).start()) {
            assertThat(api.post("/api/jobs", SCENARIO.definition(generator.port(), Map.of("driverMemory", "640m"),
                    Map.of())).status()).isEqualTo(201);
            assertThat(api.post("/api/jobs/" + SCENARIO.name() + "/start", null).status()).isEqualTo(202);
            api.awaitJob(SCENARIO.name(), Duration.ofSeconds(90), inState("RUNNING"));
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> SCENARIO.processedAll(IT.session()));
            assertThat(api.post("/api/jobs/" + SCENARIO.name() + "/stop?timeout=60s", null).status()).isEqualTo(202);
            api.awaitJob(SCENARIO.name(), Duration.ofSeconds(150), inState("STOPPED"));
        }
    }

    String jobPath() {
        return "/api/jobs/" + SCENARIO.name();
    }

    static String encoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Every item of a paged list, following nextCursor. */
    List<JsonNode> allPages(ControlApi caller, String path, int limit, Consumer<JsonNode> eachPage) {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String uri = path + (path.contains("?") ? "&" : "?") + "limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + cursor);
            ControlApi.Response page = caller.get(uri);
            assertThat(page.status()).as("%s: %s", uri, page.body()).isEqualTo(200);
            eachPage.accept(page.body());
            page.body().path("items").forEach(items::add);
            cursor = page.body().path("nextCursor").isMissingNode() ? null : page.body().path("nextCursor").asString();
            assertThat(++pages).as("pages of " + path).isLessThan(10_000);
        } while (cursor != null);
        return items;
    }

    static String aggregate(JsonNode n) {
        return ExpectedResults.aggregate(n.path("event_count").asLong(), n.path("quantity_sum").asLong(),
                n.path("sale_amount_sum").decimalValue(), n.path("sale_amount_min").decimalValue(),
                n.path("sale_amount_max").decimalValue());
    }

    @Test
    void rollupSeriesOfEveryKeyAndGranularityEqualTheRecomputation() {
        Map<String, String> answered = new TreeMap<>();
        Set<String> keys = new TreeSet<>();
        expected.rollups().keySet().forEach(k -> keys.add(k.substring(0, k.indexOf('|', k.indexOf('|') + 1))
                + k.substring(k.indexOf('|', k.indexOf('|') + 1), k.lastIndexOf('|'))));
        for (String dimGranKey : keys) {
            String[] parts = dimGranKey.split("\\|", 3);
            String path = jobPath() + "/rollups/" + parts[0] + "/" + encoded(parts[2]) + "?granularity=" + parts[1]
                    + "&from=" + FROM + "&to=" + TO;
            Instant[] previous = {Instant.MIN};
            for (JsonNode bucket : allPages(api, path, parts[1].equals("minute") ? 4 : 100, page -> { })) {
                Instant start = Instant.parse(bucket.path("bucket_start").asString());
                assertThat(start).as("oldest first").isAfter(previous[0]);
                previous[0] = start;
                answered.put(dimGranKey + "|" + start.toEpochMilli(), aggregate(bucket));
            }
        }
        assertThat(answered).isEqualTo(expected.rollups());
    }

    @Test
    void aRangeOutsideTheDataAndAnUnknownKeyAreEmpty() {
        ControlApi.Response none = api.get(jobPath() + "/rollups/product/no-such-product?granularity=hour&from="
                + FROM + "&to=" + TO);
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.body().path("items").isEmpty()).isTrue();
        ControlApi.Response later = api.get(jobPath() + "/rollups/region/West?granularity=minute"
                + "&from=2026-02-01T00:00:00Z&to=2026-02-01T06:00:00Z");
        assertThat(later.body().path("items").isEmpty()).isTrue();
        assertThat(api.get(jobPath() + "/totals/product?key=no-such-product").body().path("items").isEmpty()).isTrue();
    }

    @Test
    void runningTotalsPagedOrOneByOneEqualTheRecomputation() {
        Map<String, String> answered = new TreeMap<>();
        for (String dimension : ExpectedResults.DIMENSIONS) {
            for (JsonNode total : allPages(api, jobPath() + "/totals/" + dimension, 7, page -> { })) {
                answered.put(dimension + "|" + total.path("key").asString(), aggregate(total));
            }
        }
        assertThat(answered).isEqualTo(expected.totals());

        String someKey = expected.totals().keySet().iterator().next();
        String[] parts = someKey.split("\\|", 2);
        JsonNode one = api.get(jobPath() + "/totals/" + parts[0] + "?key=" + encoded(parts[1])).body();
        assertThat(one.path("items").size()).isEqualTo(1);
        assertThat(aggregate(one.path("items").get(0))).isEqualTo(expected.totals().get(someKey));
    }

    @Test
    void topNWindowsNewestFirstEqualTheRecomputation() {
        long newestEnd = Math.floorDiv(expected.newestEventTime(), JobScenario.SLIDE_MS) * JobScenario.SLIDE_MS
                + JobScenario.SLIDE_MS;
        for (String dimension : ExpectedResults.DIMENSIONS) {
            JsonNode current = api.get(jobPath() + "/top/" + dimension + "?at=" + TO).body();
            assertThat(current.path("items").size()).isEqualTo(1);
            assertThat(Instant.parse(current.path("items").get(0).path("window_end").asString()).toEpochMilli())
                    .as("the current window of " + dimension).isEqualTo(newestEnd);

            JsonNode recent = api.get(jobPath() + "/top/" + dimension + "?windows=60&at=" + TO).body();
            List<Instant> ends = new ArrayList<>();
            for (JsonNode window : recent.path("items")) {
                Instant end = Instant.parse(window.path("window_end").asString());
                ends.add(end);
                assertThat(Duration.between(Instant.parse(window.path("window_start").asString()), end))
                        .isEqualTo(Duration.ofMillis(JobScenario.WINDOW_MS));
                List<String> ranking = new ArrayList<>();
                window.path("entries").forEach(e -> ranking.add(e.path("key").asString() + "="
                        + ExpectedResults.plain(e.path("sale_amount_sum").decimalValue())));
                assertThat(ranking).as("top-N of %s ending %s", dimension, end)
                        .isEqualTo(expected.topN(dimension, end, JobScenario.WINDOW_MS, JobScenario.TOP_N));
            }
            assertThat(ends).as("windows of " + dimension).hasSizeGreaterThan(3)
                    .isSortedAccordingTo(Comparator.reverseOrder());
            Instant earlier = ends.get(2);
            JsonNode asOf = api.get(jobPath() + "/top/" + dimension + "?windows=2&at=" + earlier).body();
            assertThat(asOf.path("items").get(0).path("window_end").asString()).isEqualTo(earlier.toString());
        }
    }

    @Test
    void rawEventsOfAProductNewestFirstEqualTheAcceptedEvents() {
        Map<String, List<SalesEvent>> byProduct = new TreeMap<>();
        expected.accepted().forEach(e -> byProduct.computeIfAbsent(e.productKey(), k -> new ArrayList<>()).add(e));
        int checked = 0;
        for (Map.Entry<String, List<SalesEvent>> product : byProduct.entrySet()) {
            if (checked++ >= 5) {
                break;
            }
            List<String> want = product.getValue().stream()
                    .sorted(Comparator.comparing(SalesEvent::orderTime).thenComparing(SalesEvent::orderId).reversed())
                    .map(AnalyticsIT::eventText).toList();
            List<String> got = allPages(api, jobPath() + "/events/" + encoded(product.getKey()) + "?from=" + FROM
                    + "&to=" + TO, 37, page -> { }).stream().map(AnalyticsIT::eventText).toList();
            assertThat(got).as("raw events of " + product.getKey()).isEqualTo(want);
        }
    }

    static String eventText(SalesEvent e) {
        return String.join(",", String.valueOf(e.orderId()), e.orderTime().toString(), String.valueOf(e.quantity()),
                ExpectedResults.plain(e.discountPct()), ExpectedResults.plain(e.rate()),
                ExpectedResults.plain(e.saleAmount()), e.customerName(), e.state(), e.region(), e.productKey(),
                ExpectedResults.plain(e.profitMargin()));
    }

    static String eventText(JsonNode e) {
        return String.join(",", e.path("order_id").asString(),
                Instant.parse(e.path("order_time").asString()).toString(), e.path("quantity").asString(),
                ExpectedResults.plain(e.path("discount_pct").decimalValue()),
                ExpectedResults.plain(e.path("rate").decimalValue()),
                ExpectedResults.plain(e.path("sale_amount").decimalValue()), e.path("customer_name").asString(),
                e.path("state").asString(), e.path("region").asString(), e.path("product_key").asString(),
                ExpectedResults.plain(e.path("profit_margin").decimalValue()));
    }

    @Test
    void rejectsOfTheDaysOfTheRunAreTheMalformedAndTooLateLines() {
        Set<Long> seqs = new TreeSet<>();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (LocalDate day : List.of(today.minusDays(1), today)) {
            allPages(api, jobPath() + "/rejects?day=" + day, 50, page -> assertThat(page.path("day").asString())
                    .isEqualTo(day.toString())).forEach(r -> {
                        assertThat(r.path("reason").asString()).isNotBlank();
                        assertThat(r.path("line").isString()).isTrue();
                        seqs.add(r.path("seq").asLong());
                    });
        }
        assertThat(seqs).isEqualTo(expected.rejectedSeqs()).isNotEmpty();
    }

    @Test
    void aCursorOfAnotherListOrATamperedOneIs400() {
        String path = jobPath() + "/events/" + encoded(expected.accepted().get(0).productKey()) + "?from=" + FROM
                + "&to=" + TO + "&limit=3";
        String cursor = api.get(path).body().path("nextCursor").asString();
        assertThat(cursor).isNotEmpty();
        assertThat(api.get(path + "&cursor=" + cursor).status()).isEqualTo(200);

        ControlApi.Response otherList = api.get(jobPath() + "/rollups/region/West?granularity=minute&from=" + FROM
                + "&to=" + TO + "&cursor=" + cursor);
        assertThat(otherList.status()).isEqualTo(400);
        assertThat(otherList.body().path("errors").get(0).path("field").asString()).isEqualTo("cursor");
        String tampered = (cursor.charAt(10) == 'A' ? "B" : "A");
        tampered = cursor.substring(0, 10) + tampered + cursor.substring(11);
        assertThat(api.get(path + "&cursor=" + tampered).status()).isEqualTo(400);
    }

    @Test
    void onlyAuthenticatedCallersReadAndOnlyOperatorsRunJobs() {
        String totals = jobPath() + "/totals/region";
        ControlApi.Response anonymous = api.anonymous().get(totals);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.body().path("status").asInt()).isEqualTo(401);
        assertThat(api.as(ControlApi.VIEWER, "wrong").get(totals).status()).isEqualTo(401);
        assertThat(api.as(ControlApi.VIEWER, ControlApi.VIEWER_PASSWORD).get(totals).status()).isEqualTo(200);
        assertThat(api.withApiKey(ControlApi.VIEWER_API_KEY).get(totals).status()).isEqualTo(200);

        ControlApi.Response refused = api.as(ControlApi.VIEWER, ControlApi.VIEWER_PASSWORD)
                .post(jobPath() + "/start", null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().path("detail").asString()).contains("operator");
        assertThat(api.get(jobPath()).body().path("status").path("state").asString()).isEqualTo("STOPPED");

        assertThat(api.anonymous().get("/actuator/health").status()).isEqualTo(200);
        assertThat(api.anonymous().text("/actuator/prometheus")).contains("streamcontrol_jobs");
        assertThat(api.anonymous().get("/actuator/env").status()).isIn(401, 404);
        assertThat(api.anonymous().get("/actuator/health").body().path("components").path("cassandra")
                .path("details").isMissingNode()).as("health details hidden from anonymous callers").isTrue();

        List<String> callers = new ArrayList<>();
        api.get("/api/audit").body().path("items").forEach(e -> callers.add(e.path("caller").asString() + " "
                + e.path("action").asString() + " " + e.path("outcome").asInt()));
        assertThat(callers).contains("test-viewer POST " + jobPath() + "/start 403");
    }

    @Test
    void swaggerUiShowsARunningTotalToAnAuthorizedViewerAnd401WithoutCredentials() {
        String product = expected.accepted().get(0).productKey();
        String total = expected.totals().get("product|" + product);
        Map<String, String> totals = SwaggerUiBrowser.parameters("name", SCENARIO.name(), "dimension", "product",
                "key", product);
        try (SwaggerUiBrowser ui = SwaggerUiBrowser.open("http://127.0.0.1:" + port)) {
            SwaggerUiBrowser.TryItOutResult anonymous = ui.tryItOut("getRunningTotals", totals);
            assertThat(anonymous.status()).as("Execute without Authorize: %s", anonymous).isEqualTo(401);

            ui.authorizeBasic(ControlApi.VIEWER, ControlApi.VIEWER_PASSWORD);
            SwaggerUiBrowser.TryItOutResult result = ui.tryItOut("getRunningTotals", totals);
            System.out.println("Swagger UI screenshot: " + ui.screenshot(SCREENSHOT).toAbsolutePath());
            assertThat(result.status()).as("Execute as viewer: %s", result).isEqualTo(200);
            assertThat(result.requestUrl()).contains("/api/jobs/" + SCENARIO.name() + "/totals/product");
            assertThat(result.body()).contains("\"key\": \"" + product + "\"")
                    .contains("\"event_count\": " + total.substring(0, total.indexOf('/')));
        }
    }

    @Test
    void badInputToEveryParameterOfEveryOperationGetsAProblemDetailAndChangesNothing() throws Exception {
        String product = expected.accepted().get(0).productKey();
        NegativeInputSweep.SweepReport report = NegativeInputSweep.run("http://127.0.0.1:" + port, CONTRACT,
                Map.of("name", SCENARIO.name(), "dimension", "product", "key", product, "product_key", product),
                new NegativeInputSweep.Credentials(ControlApi.OPERATOR, ControlApi.OPERATOR_PASSWORD));
        System.out.println("Sweep requests by kind: " + report.kinds());
        System.out.println("Sweep's slowest requests: " + String.join("; ", report.slowest(5)));
        assertThat(report.operations()).as("operations of the contract").isEqualTo(java.util.regex.Pattern
                .compile("(?m)^\\s+operationId:").matcher(java.nio.file.Files.readString(CONTRACT)).results().count());
        report.assertNoViolations();
        assertThat(api.get(jobPath()).body().path("status").path("state").asString()).isEqualTo("STOPPED");
    }
}
