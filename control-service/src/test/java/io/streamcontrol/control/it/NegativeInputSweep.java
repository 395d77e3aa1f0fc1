package io.streamcontrol.control.it;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bad input for every operation and every parameter of the OpenAPI document, generated from the document itself and
 * sent to a running service with valid credentials and every other part of the request valid; then what must hold
 * of each answer:
 * <ul>
 *   <li>never a 5xx;</li>
 *   <li>every 4xx is {@code application/problem+json} with {@code status} equal to the HTTP status and a
 *       {@code detail};</li>
 *   <li>a parameter value the schema forbids gives 400 whose {@code errors[].field} names the parameter as the
 *       document does; a body property's violated constraint gives 400 naming the property's path
 *       ({@code settings.batchInterval});</li>
 *   <li>a lifecycle call (POST, PUT, DELETE) with bad input changes nothing: the job is the same before and after,
 *       and no job appears or disappears.</li>
 * </ul>
 * Each operation is also called without credentials, with a wrong password, with an unknown API key, with a
 * malformed {@code Authorization} header and with a bad value but no credentials (401 problem detail expected), and
 * each path once with a method the document does not declare for it (405 problem detail expected).
 *
 * <p>The sweep reports; it does not fail by itself: {@link SweepReport#assertNoViolations()} fails with every
 * violation listed at once. Should a bad body be accepted by {@code PUT .../configuration}, the
 * sweep reports the change and puts the job's previous configuration back.
 *
 * <p>Expectation rules (every relaxation is one of these; each finding names its {@code expect}):
 * <ul>
 *   <li>{@link Expect#PARAMETER}: 400 naming the parameter. The default for a value the schema forbids.</li>
 *   <li>{@link Expect#ANY_4XX} for an <em>empty path segment</em>: the request then addresses another resource
 *       ({@code /api/jobs//start}, {@code /api/jobs/}), so any 4xx problem detail will do (404, 405, 400).</li>
 *   <li>{@link Expect#STATUS} 400 without a field for a <em>path segment with ';' or '%'</em>: Spring Security's
 *       firewall refuses the URL before it is routed (a problem detail, but no parameter is known yet).</li>
 *   <li>{@link Expect#NO_5XX} for an <em>empty optional non-string parameter</em>: Spring MVC (like most servers)
 *       treats {@code ?limit=} as an absent parameter, so its default applies and 200 is correct.</li>
 *   <li>{@link Expect#NO_5XX} for <em>extreme but parseable dates</em> ({@code 0001-01-01}, {@code 9999-12-31},
 *       {@code +10000-01-01}, {@code -999999999-01-01}): Java's ISO parser reads them; the service may answer them
 *       or refuse them with a 4xx, never a 5xx.</li>
 *   <li>{@link Expect#NO_5XX} for a value that is <em>long but allowed</em> by its schema (no maxLength, no
 *       pattern).</li>
 *   <li>{@link Expect#STATUS} 400 without a field for <em>unreadable bodies</em> (malformed JSON, a JSON type or
 *       enum value the property cannot hold): the body cannot be read into its type, and the service's handler
 *       ({@code ApiExceptionHandler.handleHttpMessageNotReadable}) answers 400 without field errors.</li>
 * </ul>
 */
public final class NegativeInputSweep {

    /** HTTP basic credentials. */
    record Credentials(String user, String password) {
        String authorization() {
            return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return user + ":***";
        }
    }

    /** What a case requires of its answer beyond the rules every answer obeys. */
    enum Expect {
        /** 400 whose errors[].field names the parameter. */
        PARAMETER,
        /** 400 whose errors[].field names the body property's path (or a path inside it). */
        BODY_FIELD,
        /** One of the case's statuses. */
        STATUS,
        /** Any 4xx. */
        ANY_4XX,
        /** Anything but a 5xx (a 4xx still a problem detail). */
        NO_5XX
    }

    /** The rules an answer can break. */
    enum Rule {
        SERVER_ERROR("a 5xx"),
        NOT_PROBLEM_JSON("a 4xx whose Content-Type is not application/problem+json"),
        NOT_PROBLEM_BODY("a 4xx whose body is not a problem detail with the status and a detail"),
        WRONG_STATUS("bad input answered with another status than required"),
        FIELD_NOT_NAMED("a 400 whose errors[].field do not name the bad parameter or property"),
        JOB_CHANGED("a lifecycle call with bad input changed the job"),
        JOBS_CHANGED("jobs appeared or disappeared during the sweep"),
        NO_ANSWER("no answer");

        final String text;

        Rule(String text) {
            this.text = text;
        }
    }

    /** One broken rule of one answer. */
    record Violation(Rule rule, String detail) {
        @Override
        public String toString() {
            return rule + ": " + detail;
        }
    }

    /**
     * One request of the sweep and its answer.
     *
     * @param operationId the operation ({@code "<path> <method>"} for an undeclared method)
     * @param method HTTP method
     * @param path the document's path template
     * @param uri the path and query sent (long values abbreviated)
     * @param parameter the parameter, body property path ({@code settings.sourcePort}), {@code body}, or the
     *     credentials case in parentheses
     * @param kind what is bad about it ({@code pattern}, {@code wrong JSON type}...)
     * @param value the bad value (abbreviated)
     * @param valueLength the bad value's full length
     * @param expect what the case requires beyond the general rules
     * @param status the HTTP status answered (-1: no answer)
     * @param contentType the answer's Content-Type
     * @param body the answer's body (abbreviated)
     * @param fields the answer's errors[].field
     * @param millis how long the request took
     * @param violations what does not hold; empty when all does
     */
    record Finding(String operationId, String method, String path, String uri, String parameter, String kind,
            String value, int valueLength, Expect expect, int status, String contentType, String body,
            List<String> fields, long millis, List<Violation> violations) {

        boolean violated() {
            return !violations.isEmpty();
        }

        Set<Rule> rules() {
            return violations.stream().map(Violation::rule).collect(Collectors.toSet());
        }

        String describe() {
            return method + " " + uri + "  [" + parameter + " = " + value + "; " + kind + ", expect " + expect + "]"
                    + "\n      -> " + status + " " + contentType + " " + body
                    + violations.stream().map(v -> "\n      ! " + v).collect(Collectors.joining());
        }
    }

    /** All findings of one sweep. */
    record SweepReport(List<Finding> findings, int operations, Duration elapsed) {

        int requests() {
            return findings.size();
        }

        List<Finding> violations() {
            return findings.stream().filter(Finding::violated).toList();
        }

        /** Requests by kind of bad input, e.g. {@code pattern=42}. */
        Map<String, Long> kinds() {
            return findings.stream().collect(Collectors.groupingBy(Finding::kind, TreeMap::new,
                    Collectors.counting()));
        }

        /** Time spent waiting for answers, by operation (ms). */
        Map<String, Long> millisByOperation() {
            return findings.stream().collect(Collectors.groupingBy(Finding::operationId, TreeMap::new,
                    Collectors.summingLong(Finding::millis)));
        }

        /** The slowest requests, slowest first, as {@code millis ms METHOD uri [kind]}. */
        List<String> slowest(int n) {
            return findings.stream().sorted(java.util.Comparator.comparingLong(Finding::millis).reversed()).limit(n)
                    .map(f -> f.millis() + " ms " + f.method() + " " + NegativeInputSweep.abbreviate(f.uri(), 80)
                            + " [" + f.parameter() + ": " + f.kind() + "]")
                    .toList();
        }

        /** Requests by answered status. */
        Map<Integer, Long> statuses() {
            return findings.stream().collect(Collectors.groupingBy(Finding::status, TreeMap::new,
                    Collectors.counting()));
        }

        /** One line: requests, operations, time, statuses, violations. */
        String summary() {
            long problems = findings.stream().filter(f -> f.status() >= 400 && f.status() < 500
                    && !f.rules().contains(Rule.NOT_PROBLEM_JSON) && !f.rules().contains(Rule.NOT_PROBLEM_BODY))
                    .count();
            long clientErrors = findings.stream().filter(f -> f.status() >= 400 && f.status() < 500).count();
            List<Finding> violations = violations();
            return "Negative-input sweep: " + requests() + " requests over " + operations + " operations in "
                    + elapsed.toMillis() + " ms, answers " + statuses() + "; " + problems + " of " + clientErrors
                    + " 4xx answers ProblemDetail; " + (violations.isEmpty() ? "no violations"
                    : violations.size() + " requests with violations");
        }

        /** The violations, grouped by rule, each with its request and answer. */
        String report() {
            StringBuilder text = new StringBuilder(summary()).append('\n');
            Map<Rule, List<Finding>> byRule = new TreeMap<>();
            violations().forEach(f -> f.rules().forEach(r -> byRule.computeIfAbsent(r, x -> new ArrayList<>()).add(f)));
            byRule.forEach((rule, list) -> {
                text.append("\n== ").append(rule).append(": ").append(rule.text).append(" (").append(list.size())
                        .append(" requests)\n");
                list.forEach(f -> text.append("  - ").append(f.describe()).append('\n'));
            });
            return text.toString();
        }

        /** Fails with {@link #report()} unless no request broke a rule. */
        void assertNoViolations() {
            if (!violations().isEmpty()) {
                throw new AssertionError(report());
            }
        }
    }

    static final String PROBLEM_JSON = "application/problem+json";
    /** Characters of a path segment that Spring Security's StrictHttpFirewall refuses before routing. */
    private static final Pattern FIREWALL_REFUSED = Pattern.compile("[;%]");
    static final int TEN_THOUSAND = 10_000;
    static final int HUGE_BODY_BYTES = 4 * 1024 * 1024;
    static final int DEEP_NESTING = 100_000;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int SHOWN = 160;
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "DELETE", "PATCH");
    /** Pattern violations are taken from these, in order, where they break the pattern but not the length. */
    private static final List<String> PATTERN_CANDIDATES = List.of("has space", "-leading-dash", "semi;colon",
            "\u00fcml\u00e4ut", "<tag>", "50%", "dot.ted", "a".repeat(300), "x", "abc");

    /**
     * Sweeps every operation of the document.
     *
     * @param baseUrl the running service, e.g. {@code http://127.0.0.1:8080}
     * @param openapiYaml the contract ({@code ../openapi/openapi.yaml} from the module)
     * @param validPathValues a valid value of every path parameter by name ({@code name} an existing job, which the
     *     sweep leaves as it is, {@code dimension} one of its dimensions...); a required query parameter named here
     *     takes this value too, otherwise its schema's default, first enum value or example
     * @param operator credentials of a caller allowed every operation
     * @return every request with its answer and violations; prints {@link SweepReport#summary()}
     */
    static SweepReport run(String baseUrl, Path openapiYaml, Map<String, String> validPathValues,
            Credentials operator) {
        long started = System.nanoTime();
        OpenAPI document = parse(openapiYaml);
        NegativeInputSweep sweep = new NegativeInputSweep(baseUrl, validPathValues, operator);
        List<Op> operations = operations(document);
        String job = validPathValues.get("name");
        JsonNode jobsBefore = job == null ? null : sweep.jobNames();
        for (Op op : operations) {
            sweep.sweep(op);
        }
        operations.stream().collect(Collectors.groupingBy(Op::path, LinkedHashMap::new, Collectors.toList()))
                .forEach(sweep::sweepUndeclaredMethod);
        if (job != null) {
            JsonNode jobsAfter = sweep.jobNames();
            if (!jobsBefore.equals(jobsAfter)) {
                sweep.findings.add(new Finding("(all)", "GET", "/api/jobs", "/api/jobs", "(jobs)", "side effect", "",
                        0, Expect.NO_5XX, 200, "", abbreviate(jobsAfter.toString()), List.of(), 0,
                        List.of(new Violation(Rule.JOBS_CHANGED, "before " + jobsBefore + ", after " + jobsAfter))));
            }
        }
        SweepReport report = new SweepReport(List.copyOf(sweep.findings), operations.size(),
                Duration.ofNanos(System.nanoTime() - started));
        System.out.println(report.summary());
        return report;
    }

    /** The document with every $ref resolved. */
    public static OpenAPI parse(Path openapiYaml) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readLocation(openapiYaml.toAbsolutePath().toUri().toString(),
                null, options);
        if (result.getOpenAPI() == null) {
            throw new IllegalArgumentException("Cannot read " + openapiYaml + ": " + result.getMessages());
        }
        if (result.getMessages() != null && !result.getMessages().isEmpty()) {
            throw new IllegalArgumentException(openapiYaml + " is not valid: " + result.getMessages());
        }
        return result.getOpenAPI();
    }

    /** The Java name of a contract name, as the generated interfaces name their arguments (product_key -> productKey). */
    static String javaName(String name) {
        StringBuilder java = new StringBuilder();
        boolean upper = false;
        for (char c : name.toCharArray()) {
            if (c == '_' || c == '-') {
                upper = true;
            } else {
                java.append(upper ? Character.toUpperCase(c) : java.isEmpty() ? Character.toLowerCase(c) : c);
                upper = false;
            }
        }
        return java.toString();
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** An operation: its parameters (path-level ones merged in) and its JSON body's schema. */
    record Op(String id, String method, String path, List<Parameter> parameters, Schema<?> body,
            boolean bodyRequired) {
        boolean mutating() {
            return MUTATING.contains(method);
        }
    }

    /** A bad value and what its answer must be. */
    private record Bad(String kind, String value, Expect expect, Set<Integer> statuses) {
        static Bad parameter(String kind, String value) {
            return new Bad(kind, value, Expect.PARAMETER, Set.of(400));
        }

        static Bad tolerated(String kind, String value) {
            return new Bad(kind, value, Expect.NO_5XX, Set.of());
        }
    }

    /**
     * The bad values of a date or date-time parameter: invalid and non-ISO ones, a number, extreme ones it may accept,
     * and 10,000 of {@code digit}.
     */
    private record TemporalFormat(String format, List<String> invalid, List<String> nonIso, String number,
            List<String> extreme, char digit) {
        List<Bad> badValues() {
            List<Bad> bad = new ArrayList<>();
            invalid.forEach(value -> bad.add(Bad.parameter("invalid " + format, value)));
            nonIso.forEach(value -> bad.add(Bad.parameter("non-ISO " + format, value)));
            bad.add(Bad.parameter("wrong type", number));
            extreme.forEach(value -> bad.add(Bad.tolerated("extreme " + format, value)));
            bad.add(Bad.parameter("10,000 chars", String.valueOf(digit).repeat(TEN_THOUSAND)));
            return bad;
        }
    }

    private static final TemporalFormat DATE = new TemporalFormat("date",
            List.of("2026-13-45", "2026-02-30", "2026-00-10"),
            List.of("20260101", "2026/01/01", "01.01.2026", "2026-01-01T00:00:00Z", "yesterday"), "12345",
            List.of("0001-01-01", "9999-12-31", "+10000-01-01", "-999999999-01-01"), '9');
    private static final TemporalFormat DATE_TIME = new TemporalFormat("date-time",
            List.of("2026-13-45T00:00:00Z", "2026-02-30T12:00:00Z", "2026-01-01T25:61:00Z"),
            List.of("2026-01-01 12:00:00", "01/01/2026 12:00", "2026-01-01T12:00:00", "2026-01-01",
                    "Thu, 01 Jan 2026 12:00:00 GMT", "now"), "1767225600000",
            List.of("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "+10000-01-01T00:00:00Z",
                    "-999999999-01-01T00:00:00Z"), '2');

    private final String baseUrl;
    private final Map<String, String> validPathValues;
    private final Credentials operator;
    private final HttpClient http;
    private final List<Finding> findings = new ArrayList<>();
    /** The job as last read after a lifecycle call (null: read it again). */
    private JsonNode lastSeen;

    private NegativeInputSweep(String baseUrl, Map<String, String> validPathValues, Credentials operator) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.validPathValues = Map.copyOf(validPathValues);
        this.operator = operator;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    static List<Op> operations(OpenAPI document) {
        List<Op> operations = new ArrayList<>();
        document.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            Map<String, Parameter> merged = new LinkedHashMap<>();
            for (List<Parameter> level : java.util.Arrays.asList(item.getParameters(), operation.getParameters())) {
                if (level != null) {
                    level.forEach(p -> merged.put(p.getIn() + ":" + p.getName(), p));
                }
            }
            Schema<?> body = null;
            boolean required = false;
            if (operation.getRequestBody() != null) {
                Content content = operation.getRequestBody().getContent();
                MediaType json = content == null ? null : content.get("application/json");
                if (json == null) {
                    throw new IllegalArgumentException(method + " " + path + ": only JSON request bodies are swept");
                }
                body = json.getSchema();
                required = Boolean.TRUE.equals(operation.getRequestBody().getRequired());
            }
            operations.add(new Op(operation.getOperationId(), method.name(), path, List.copyOf(merged.values()), body,
                    required));
        }));
        return operations;
    }

    private void sweep(Op op) {
        for (Parameter parameter : op.parameters()) {
            for (Bad bad : badValues(parameter)) {
                Map<String, String> values = validValues(op);
                values.put(key(parameter), bad.value());
                send(op, parameter.getName(), bad, values, validBody(op), "application/json", operator.authorization());
            }
        }
        if (op.body() != null) {
            sweepBody(op);
        }
        // credentials: the operation with valid input, but not (properly) authenticated
        Map<String, String> valid = validValues(op);
        JsonNode body = validBody(op);
        Bad unauthorized = new Bad("credentials", "(none)", Expect.STATUS, Set.of(401));
        send(op, "(no credentials)", unauthorized, valid, body, "application/json", null);
        send(op, "(wrong password)", new Bad("credentials", operator.user() + ":<wrong>", Expect.STATUS, Set.of(401)),
                valid, body, "application/json",
                new Credentials(operator.user(), operator.password() + "-wrong").authorization());
        send(op, "(unknown API key)", new Bad("credentials", "X-API-Key: unknown-key-0123456789abcdef", Expect.STATUS,
                Set.of(401)), valid, body, "application/json", "X-API-Key unknown-key-0123456789abcdef");
        send(op, "(malformed Authorization)", new Bad("credentials", "Authorization: Basic %%%not-base64%%%",
                Expect.STATUS, Set.of(401)), valid, body, "application/json", "Basic %%%not-base64%%%");
        // a bad value without credentials: authentication comes first, nothing is said about the input
        op.parameters().stream().filter(p -> !"path".equals(p.getIn())).findFirst().ifPresent(p -> {
            Map<String, String> values = validValues(op);
            values.put(key(p), "%%bad%%");
            send(op, p.getName() + " (no credentials)", new Bad("credentials", "%%bad%%", Expect.STATUS, Set.of(401)),
                    values, body, "application/json", null);
        });
    }

    /** Once per path: a method the document does not declare for it (405 expected). */
    private void sweepUndeclaredMethod(String path, List<Op> declared) {
        Set<String> methods = declared.stream().map(Op::method).collect(Collectors.toSet());
        String method = List.of("PATCH", "PUT", "DELETE", "POST").stream().filter(m -> !methods.contains(m))
                .findFirst().orElseThrow();
        Op any = declared.get(0);
        Op undeclared = new Op(path + " " + method, method, path, any.parameters(), null, false);
        send(undeclared, "(method)", new Bad("undeclared method", method, Expect.STATUS, Set.of(405)),
                validValues(any), null, "application/json", operator.authorization());
    }

    // --- parameters ------------------------------------------------------------------------------------------------

    private static String key(Parameter parameter) {
        return parameter.getIn() + ":" + parameter.getName();
    }

    /** Valid values of the path parameters and the required query and header parameters; optional ones absent. */
    private Map<String, String> validValues(Op op) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Parameter parameter : op.parameters()) {
            String name = parameter.getName();
            if ("path".equals(parameter.getIn())) {
                String value = validPathValues.get(name);
                if (value == null) {
                    throw new IllegalArgumentException("No valid value of path parameter " + name + " of "
                            + op.id() + " (give it in validPathValues)");
                }
                values.put(key(parameter), value);
            } else if (Boolean.TRUE.equals(parameter.getRequired())) {
                String value = validPathValues.containsKey(name) ? validPathValues.get(name)
                        : sample(parameter.getSchema(), op.id() + " parameter " + name);
                values.put(key(parameter), value);
            }
        }
        return values;
    }

    /** A valid value of a schema without help: its default, first enum value or example. */
    private static String sample(Schema<?> schema, String what) {
        if (schema.getDefault() != null) {
            return String.valueOf(schema.getDefault());
        }
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
            return String.valueOf(schema.getEnum().get(0));
        }
        if (schema.getExample() != null) {
            return String.valueOf(schema.getExample());
        }
        if ("date".equals(schema.getFormat())) {
            return "2026-01-01";
        }
        if ("date-time".equals(schema.getFormat())) {
            return "2026-01-01T00:00:00Z";
        }
        if ("integer".equals(schema.getType()) || "number".equals(schema.getType())) {
            return schema.getMinimum() != null ? schema.getMinimum().toPlainString() : "1";
        }
        if ("boolean".equals(schema.getType())) {
            return "true";
        }
        String text = "a".repeat(Math.max(1, schema.getMinLength() == null ? 1 : schema.getMinLength()));
        if (allowed(schema, text)) {
            return text;
        }
        throw new IllegalArgumentException("No valid sample of " + what + ": give one");
    }

    /** Bad values of a parameter, by its schema. */
    private List<Bad> badValues(Parameter parameter) {
        Schema<?> schema = parameter.getSchema();
        boolean required = Boolean.TRUE.equals(parameter.getRequired());
        boolean path = "path".equals(parameter.getIn());
        boolean header = "header".equals(parameter.getIn());
        List<Bad> bad = new ArrayList<>();
        String type = schema.getType();
        if ("integer".equals(type) || "number".equals(type)) {
            bad.add(Bad.parameter("wrong type", "abc"));
            if ("integer".equals(type)) {
                bad.add(Bad.parameter("wrong type", "1.5"));
                bad.add(Bad.parameter("overflow", "int32".equals(schema.getFormat()) ? "2147483648"
                        : "9223372036854775808"));
            }
            if (schema.getMinimum() != null) {
                bad.add(Bad.parameter("below minimum", schema.getMinimum().subtract(BigDecimal.ONE).toPlainString()));
            }
            if (schema.getMaximum() != null) {
                bad.add(Bad.parameter("above maximum", schema.getMaximum().add(BigDecimal.ONE).toPlainString()));
            }
        } else if ("boolean".equals(type)) {
            bad.add(Bad.parameter("wrong type", "maybe"));
        } else if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
            List<String> values = schema.getEnum().stream().map(String::valueOf).toList();
            bad.add(Bad.parameter("unknown enum", "no-such-value"));
            bad.add(Bad.parameter("wrong type", "42"));
            String first = values.get(0);
            String otherCase = first.equals(first.toUpperCase(Locale.ROOT)) ? first.toLowerCase(Locale.ROOT)
                    : first.toUpperCase(Locale.ROOT);
            if (!values.contains(otherCase)) {
                bad.add(Bad.parameter("wrong-case enum", otherCase));
            }
            bad.add(Bad.parameter("10,000 chars", "x".repeat(TEN_THOUSAND)));
        } else if (DATE.format().equals(schema.getFormat())) {
            bad.addAll(DATE.badValues());
        } else if (DATE_TIME.format().equals(schema.getFormat())) {
            bad.addAll(DATE_TIME.badValues());
        } else {
            // a plain string
            Integer min = schema.getMinLength();
            Integer max = schema.getMaxLength();
            if (max != null) {
                String tooLong = filler(schema, max + 1);
                bad.add(Bad.parameter("too long", tooLong));
            }
            if (min != null && min > 1) {
                bad.add(Bad.parameter("too short", filler(schema, min - 1)));
            }
            if (schema.getPattern() != null) {
                int added = 0;
                for (String candidate : PATTERN_CANDIDATES) {
                    if (added < 6 && !matches(schema, candidate) && lengthAllowed(schema, candidate)
                            && (!header || candidate.chars().allMatch(c -> c >= 0x20 && c < 0x7f))) {
                        bad.add(path && FIREWALL_REFUSED.matcher(candidate).find()
                                ? new Bad("pattern", candidate, Expect.STATUS, Set.of(400))
                                : Bad.parameter("pattern", candidate));
                        added++;
                    }
                }
            }
            String huge = "x".repeat(TEN_THOUSAND);
            bad.add(allowed(schema, huge) ? Bad.tolerated("10,000 chars", huge) : Bad.parameter("10,000 chars", huge));
        }
        // empty
        boolean emptyAllowed = allowed(schema, "") && !"integer".equals(type) && !"number".equals(type)
                && !"boolean".equals(type) && schema.getEnum() == null && schema.getFormat() == null;
        if (path) {
            bad.add(new Bad("empty", "", Expect.ANY_4XX, Set.of()));
        } else if (required) {
            bad.add(Bad.parameter("empty", ""));
        } else if ("string".equals(type) && schema.getFormat() == null && schema.getEnum() == null) {
            if (!emptyAllowed) {
                bad.add(Bad.parameter("empty", ""));
            }
        } else {
            bad.add(Bad.tolerated("empty", ""));
        }
        return bad;
    }

    /** A string of the length made of characters the pattern accepts ('a', else '0'), as far as possible. */
    private static String filler(Schema<?> schema, int length) {
        for (String c : List.of("a", "0", "A", "_")) {
            String text = c.repeat(length);
            if (schema.getPattern() == null || Pattern.compile(schema.getPattern()).matcher(c).find()) {
                return text;
            }
        }
        return "a".repeat(length);
    }

    private static boolean matches(Schema<?> schema, String value) {
        return schema.getPattern() == null || Pattern.compile(schema.getPattern()).matcher(value).find();
    }

    private static boolean lengthAllowed(Schema<?> schema, String value) {
        int length = value.codePointCount(0, value.length());
        return (schema.getMinLength() == null || length >= schema.getMinLength())
                && (schema.getMaxLength() == null || length <= schema.getMaxLength());
    }

    private static boolean allowed(Schema<?> schema, String value) {
        return matches(schema, value) && lengthAllowed(schema, value);
    }

    // --- bodies ----------------------------------------------------------------------------------------------------

    /**
     * The smallest valid body: its required properties only. A required string property named like a path parameter
     * takes that parameter's valid value, so a create names the existing job: should a bad body ever be accepted, it
     * answers 409 instead of creating a job.
     */
    private ObjectNode validBody(Op op) {
        return op.body() == null ? null : validObject(op.body(), op.id() + " body");
    }

    private ObjectNode validObject(Schema<?> schema, String what) {
        ObjectNode node = NODES.objectNode();
        if (schema.getRequired() != null) {
            for (String property : schema.getRequired()) {
                Schema<?> propertySchema = schema.getProperties().get(property);
                if ("object".equals(propertySchema.getType()) || propertySchema.getProperties() != null) {
                    node.set(property, validObject(propertySchema, what + "." + property));
                } else if (validPathValues.containsKey(property)) {
                    node.put(property, validPathValues.get(property));
                } else {
                    node.set(property, typed(propertySchema, sample(propertySchema, what + "." + property)));
                }
            }
        }
        return node;
    }

    private static JsonNode typed(Schema<?> schema, String value) {
        return switch (Objects.requireNonNullElse(schema.getType(), "string")) {
            case "integer" -> NODES.numberNode(Long.parseLong(value));
            case "number" -> NODES.numberNode(new BigDecimal(value));
            case "boolean" -> NODES.booleanNode(Boolean.parseBoolean(value));
            default -> NODES.stringNode(value);
        };
    }

    private void sweepBody(Op op) {
        String valid = validBody(op).toString();
        for (String text : List.of("{", "{\"name\": }", "not json", "[1, 2", "{\"a\":1}}", "{'single': 'quotes'}",
                valid.substring(0, valid.length() - 1) + ",}")) {
            sendRaw(op, "body", new Bad("malformed JSON", text, Expect.STATUS, Set.of(400)), text, "application/json");
        }
        for (String text : List.of("[]", "\"text\"", "42", "null", "true")) {
            sendRaw(op, "body", new Bad("not an object", text, Expect.STATUS, Set.of(400)), text, "application/json");
        }
        if (op.bodyRequired()) {
            sendRaw(op, "body", new Bad("no body", "(empty)", Expect.STATUS, Set.of(400)), "", "application/json");
        }
        sendRaw(op, "body", new Bad("wrong content type", "text/plain", Expect.STATUS, Set.of(415)), valid,
                "text/plain");
        sendRaw(op, "body", new Bad("wrong content type", "application/xml", Expect.STATUS, Set.of(415)),
                "<job><name>x</name></job>", "application/xml");
        // unknown properties, at the top and in every nested object that forbids them
        sweepObject(op, List.of(), op.body());
        // a huge body: valid JSON, one unknown property holding megabytes
        ObjectNode huge = validBody(op).deepCopy();
        huge.put("padding", "x".repeat(HUGE_BODY_BYTES));
        sendRaw(op, "body", new Bad("huge body", HUGE_BODY_BYTES / 1024 / 1024 + " MiB", Expect.STATUS,
                Set.of(400, 413)), huge.toString(), "application/json");
        String deep = "{\"settings\":" + "[".repeat(DEEP_NESTING) + "]".repeat(DEEP_NESTING) + "}";
        sendRaw(op, "body", new Bad("deep nesting", DEEP_NESTING + " levels", Expect.STATUS, Set.of(400)), deep,
                "application/json");
    }

    /** Unknown property, wrong JSON types and violated constraints of each property of an object schema. */
    private void sweepObject(Op op, List<String> at, Schema<?> schema) {
        if (schema.getProperties() != null && !Boolean.TRUE.equals(schema.getAdditionalProperties())
                && !(schema.getAdditionalProperties() instanceof Schema)) {
            sendBody(op, at, "bogusProperty", NODES.numberNode(1), new Bad("unknown property", "1", Expect.STATUS,
                    Set.of(400)));
        }
        if (schema.getProperties() == null) {
            return;
        }
        schema.getProperties().forEach((name, property) -> {
            List<String> path = new ArrayList<>(at);
            path.add(name);
            boolean object = "object".equals(property.getType()) || property.getProperties() != null;
            for (JsonNode wrong : wrongTypes(property, object)) {
                sendBody(op, at, name, wrong, new Bad("wrong JSON type", wrong.toString(), Expect.STATUS,
                        Set.of(400)));
            }
            if (object && property.getProperties() != null) {
                sweepObject(op, path, property);
                return;
            }
            for (Map.Entry<String, JsonNode> violation : constraintViolations(property).entrySet()) {
                String kind = violation.getKey().substring(0, violation.getKey().indexOf('#'));
                boolean readable = !kind.equals("unknown enum");
                // an enum value the property's type cannot hold is unreadable: 400 without field errors
                Bad bad = new Bad("constraint: " + kind, violation.getValue().toString(),
                        readable ? Expect.BODY_FIELD : Expect.STATUS, Set.of(400));
                sendBody(op, at, name, violation.getValue(), bad);
            }
        });
    }

    /** JSON values of a type the property cannot hold (and that Jackson does not coerce into it). */
    private static List<JsonNode> wrongTypes(Schema<?> property, boolean object) {
        if (object) {
            return List.of(NODES.stringNode("text"), NODES.arrayNode().add(1));
        }
        String type = Objects.requireNonNullElse(property.getType(), "string");
        return switch (type) {
            case "integer" -> List.of(NODES.stringNode("not-a-number"), NODES.numberNode(new BigDecimal("1.5")),
                    NODES.booleanNode(true), NODES.objectNode());
            case "number" -> List.of(NODES.stringNode("not-a-number"), NODES.booleanNode(true), NODES.objectNode());
            case "boolean" -> List.of(NODES.stringNode("maybe"), NODES.numberNode(1), NODES.objectNode());
            case "array" -> List.of(NODES.stringNode("text"), NODES.objectNode(), NODES.arrayNode().add(NODES.objectNode()));
            // a number or boolean for a string is coerced to text by Jackson: objects and arrays are what it refuses
            default -> List.of(NODES.objectNode().put("a", 1), NODES.arrayNode().add("a"));
        };
    }

    /** Values violating the property's constraints, by "kind#n". */
    private static Map<String, JsonNode> constraintViolations(Schema<?> property) {
        Map<String, JsonNode> bad = new LinkedHashMap<>();
        String type = Objects.requireNonNullElse(property.getType(), "string");
        switch (type) {
            case "integer", "number" -> {
                if (property.getMinimum() != null) {
                    bad.put("below minimum#1", NODES.numberNode(property.getMinimum().subtract(BigDecimal.ONE)
                            .toBigInteger()));
                }
                if (property.getMaximum() != null) {
                    bad.put("above maximum#1", NODES.numberNode(property.getMaximum().add(BigDecimal.ONE)
                            .toBigInteger()));
                }
            }
            case "array" -> {
                Schema<?> items = property.getItems();
                if (property.getMinItems() != null && property.getMinItems() > 0) {
                    bad.put("too few items#1", NODES.arrayNode());
                }
                // more than maxItems distinct values of an enum of maxItems values cannot exist; duplicates would
                // test uniqueItems (a Set in the generated model), which is not swept
                if (property.getMaxItems() != null && items != null && (items.getEnum() == null
                        || items.getEnum().size() > property.getMaxItems())) {
                    ArrayNode many = NODES.arrayNode();
                    for (int i = 0; i <= property.getMaxItems(); i++) {
                        many.add(items.getEnum() == null ? "item" + i : String.valueOf(items.getEnum().get(i)));
                    }
                    bad.put("too many items#1", many);
                }
                if (items != null && items.getEnum() != null) {
                    bad.put("unknown enum#1", NODES.arrayNode().add("no-such-value"));
                }
            }
            case "object" -> {
                if (property.getMaxProperties() != null) {
                    ObjectNode many = NODES.objectNode();
                    for (int i = 0; i <= property.getMaxProperties(); i++) {
                        many.put("spark.sweep.p" + i, "v");
                    }
                    bad.put("too many properties#1", many);
                }
                if (property.getAdditionalProperties() instanceof Schema<?> values && values.getMaxLength() != null) {
                    bad.put("too long value#1", NODES.objectNode().put("spark.sweep.value",
                            "a".repeat(values.getMaxLength() + 1)));
                }
            }
            case "boolean" -> {
                // no constraints beyond the type
            }
            default -> {
                if (property.getEnum() != null && !property.getEnum().isEmpty()) {
                    bad.put("unknown enum#1", NODES.stringNode("no-such-value"));
                    break;
                }
                if (property.getMaxLength() != null) {
                    bad.put("too long#1", NODES.stringNode(filler(property, property.getMaxLength() + 1)));
                }
                if (property.getMinLength() != null && property.getMinLength() > 0) {
                    bad.put("too short#1", NODES.stringNode(""));
                }
                if (property.getPattern() != null) {
                    int n = 0;
                    for (String candidate : PATTERN_CANDIDATES) {
                        if (n < 2 && !matches(property, candidate) && lengthAllowed(property, candidate)) {
                            bad.put("pattern#" + ++n, NODES.stringNode(candidate));
                        }
                    }
                    if (!matches(property, "") && n < 3) {
                        bad.put("pattern#empty", NODES.stringNode(""));
                    }
                    String huge = "x".repeat(TEN_THOUSAND);
                    if (!allowed(property, huge)) {
                        bad.put("10,000 chars#1", NODES.stringNode(huge));
                    }
                }
            }
        }
        return bad;
    }

    /** The valid body with one property (at the path of objects {@code at}) set to a bad value. */
    private void sendBody(Op op, List<String> at, String property, JsonNode value, Bad bad) {
        ObjectNode body = validBody(op).deepCopy();
        ObjectNode parent = body;
        for (String step : at) {
            JsonNode child = parent.get(step);
            if (!(child instanceof ObjectNode)) {
                child = NODES.objectNode();
                parent.set(step, child);
            }
            parent = (ObjectNode) child;
        }
        parent.set(property, value);
        String field = at.isEmpty() ? property : String.join(".", at) + "." + property;
        sendRaw(op, field, bad, body.toString(), "application/json");
    }

    private void sendRaw(Op op, String parameter, Bad bad, String body, String contentType) {
        send(op, parameter, bad, validValues(op), body == null ? null : new RawBody(body), contentType,
                operator.authorization());
    }

    /** A body sent as it is (not necessarily JSON). */
    private record RawBody(String text) {
    }

    // --- requests --------------------------------------------------------------------------------------------------

    private void send(Op op, String parameter, Bad bad, Map<String, String> values, Object body, String contentType,
            String credentials) {
        StringBuilder uri = new StringBuilder();
        String path = op.path();
        List<String> query = new ArrayList<>();
        Map<String, String> headers = new LinkedHashMap<>();
        for (Parameter p : op.parameters()) {
            String value = values.get(key(p));
            if (value == null) {
                continue;
            }
            switch (p.getIn()) {
                case "path" -> path = path.replace("{" + p.getName() + "}", encode(value));
                case "query" -> query.add(encode(p.getName()) + "=" + encode(value));
                case "header" -> headers.put(p.getName(), value);
                default -> throw new IllegalArgumentException("Parameters in " + p.getIn() + " are not swept");
            }
        }
        uri.append(path);
        if (!query.isEmpty()) {
            uri.append('?').append(String.join("&", query));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + uri)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json, application/problem+json");
        headers.forEach(request::header);
        if (credentials != null && credentials.startsWith("X-API-Key ")) {
            request.header("X-API-Key", credentials.substring("X-API-Key ".length()));
        } else if (credentials != null) {
            request.header("Authorization", credentials);
        }
        String text = body instanceof RawBody raw ? raw.text() : body instanceof JsonNode json ? json.toString() : null;
        if (text != null) {
            request.header("Content-Type", contentType);
            request.method(op.method(), HttpRequest.BodyPublishers.ofString(text));
        } else {
            request.method(op.method(), HttpRequest.BodyPublishers.noBody());
        }
        String job = validPathValues.get("name");
        JsonNode before = null;
        if (op.mutating() && job != null) {
            // the job as the previous lifecycle call left it (nothing else changes a stopped job meanwhile)
            before = lastSeen != null ? lastSeen : job(job);
        }

        int status;
        String type;
        String answer;
        List<Violation> violations = new ArrayList<>();
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            type = response.headers().firstValue("Content-Type").orElse("");
            answer = response.body();
        } catch (IOException e) {
            status = -1;
            type = "";
            answer = e.toString();
            violations.add(new Violation(Rule.NO_ANSWER, e.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (IllegalArgumentException e) {
            // the client itself refuses the value (e.g. a header character): nothing was sent, nothing to judge
            throw new IllegalStateException(op.method() + " " + uri + ": the HTTP client cannot send " + parameter
                    + " = " + abbreviate(bad.value()), e);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        JsonNode problem = status >= 0 ? judge(status, type, answer, parameter, bad, violations) : null;
        if (before != null) {
            JsonNode after = job(job);
            lastSeen = after;
            List<String> changes = differences("", before, after);
            if (!changes.isEmpty()) {
                violations.add(new Violation(Rule.JOB_CHANGED, "job " + job + ": " + String.join(", ", changes)
                        + restoreConfiguration(job, before, after)));
                lastSeen = null;
            }
        }
        List<String> fields = new ArrayList<>();
        if (problem != null) {
            problem.path("errors").forEach(e -> fields.add(e.path("field").asString("")));
        }
        findings.add(new Finding(op.id(), op.method(), op.path(), abbreviate(uri.toString()), parameter, bad.kind(),
                abbreviate(bad.value()), bad.value().length(), bad.expect(), status, type, abbreviate(answer),
                List.copyOf(fields), millis, List.copyOf(violations)));
    }

    /**
     * Puts a configuration changed by a bad request back (the change is a violation either way), so that the next
     * cases, and whoever uses the job after the sweep, find it as it was.
     */
    private String restoreConfiguration(String job, JsonNode before, JsonNode after) {
        if (before.path("configuration").equals(after.path("configuration"))) {
            return "";
        }
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/jobs/"
                    + encode(job) + "/configuration")).timeout(Duration.ofSeconds(30))
                    .header("Authorization", operator.authorization()).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(before.path("configuration").toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            boolean restored = before.path("configuration").equals(job(job).path("configuration"));
            return restored ? " (configuration put back)" : " (putting the configuration back failed: "
                    + response.statusCode() + " " + abbreviate(response.body()) + ")";
        } catch (IOException e) {
            return " (putting the configuration back failed: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Leaf differences between two JSON values, as {@code path: before -> after}. */
    static List<String> differences(String at, JsonNode before, JsonNode after) {
        List<String> changes = new ArrayList<>();
        if (before.isObject() && after.isObject()) {
            Set<String> names = new java.util.TreeSet<>();
            before.propertyNames().forEach(names::add);
            after.propertyNames().forEach(names::add);
            for (String name : names) {
                changes.addAll(differences(at.isEmpty() ? name : at + "." + name, before.path(name), after.path(name)));
            }
        } else if (!before.equals(after)) {
            changes.add(at + ": " + (before.isMissingNode() ? "(absent)" : before) + " -> "
                    + (after.isMissingNode() ? "(absent)" : after));
        }
        return changes;
    }

    /** The rules every answer obeys, then the case's own expectation; the problem detail if the answer is one. */
    private static JsonNode judge(int status, String contentType, String body, String parameter, Bad bad,
            List<Violation> violations) {
        if (status >= 500) {
            violations.add(new Violation(Rule.SERVER_ERROR, "answered " + status));
        }
        JsonNode problem = null;
        if (status >= 400 && status < 500) {
            String media = contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
            if (!PROBLEM_JSON.equals(media)) {
                violations.add(new Violation(Rule.NOT_PROBLEM_JSON, "Content-Type '" + contentType + "'"));
            }
            try {
                problem = body == null || body.isBlank() ? null : JSON.readTree(body);
            } catch (RuntimeException e) {
                problem = null;
            }
            if (problem == null || !problem.isObject()) {
                violations.add(new Violation(Rule.NOT_PROBLEM_BODY, "not a JSON object"));
                problem = null;
            } else if (problem.path("status").asInt(-1) != status || problem.path("detail").asString("").isBlank()) {
                violations.add(new Violation(Rule.NOT_PROBLEM_BODY, "status " + problem.path("status") + ", detail "
                        + problem.path("detail")));
            }
        } else if (status >= 500) {
            try {
                problem = JSON.readTree(body);
            } catch (RuntimeException e) {
                problem = null;
            }
        }
        switch (bad.expect()) {
            case PARAMETER, BODY_FIELD -> {
                if (status != 400) {
                    violations.add(new Violation(Rule.WRONG_STATUS, "answered " + status + ", not 400"));
                } else if (!names(problem, parameter, bad.expect() == Expect.BODY_FIELD)) {
                    violations.add(new Violation(Rule.FIELD_NOT_NAMED, "errors[].field " + fields(problem)
                            + ", not " + parameter));
                }
            }
            case STATUS -> {
                if (!bad.statuses().contains(status)) {
                    violations.add(new Violation(Rule.WRONG_STATUS, "answered " + status + ", not " + bad.statuses()));
                }
            }
            case ANY_4XX -> {
                if (status < 400 || status >= 500) {
                    violations.add(new Violation(Rule.WRONG_STATUS, "answered " + status + ", not a 4xx"));
                }
            }
            case NO_5XX -> {
                // the general rules only
            }
        }
        return problem;
    }

    private static boolean names(JsonNode problem, String field, boolean orInside) {
        if (problem == null) {
            return false;
        }
        for (JsonNode error : problem.path("errors")) {
            String named = error.path("field").asString("");
            if (named.equals(field) || orInside && (named.startsWith(field + ".") || named.startsWith(field + "["))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> fields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        if (problem != null) {
            problem.path("errors").forEach(e -> fields.add(e.path("field").asString("")));
        }
        return fields;
    }

    private JsonNode job(String name) {
        return get("/api/jobs/" + encode(name));
    }

    private JsonNode jobNames() {
        ArrayNode names = NODES.arrayNode();
        JsonNode page = get("/api/jobs?limit=500");
        page.path("items").forEach(j -> names.add(j.path("name").asString()));
        return names;
    }

    private JsonNode get(String uri) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + uri))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", operator.authorization()).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + uri + " answered " + response.statusCode() + ": " + body);
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String abbreviate(String text) {
        return abbreviate(text, SHOWN);
    }

    static String abbreviate(String text, int shown) {
        if (text == null) {
            return "";
        }
        String flat = text.replace('\n', ' ').replace('\r', ' ');
        return flat.length() <= shown ? flat : flat.substring(0, shown) + "...(" + flat.length() + " chars)";
    }
}
