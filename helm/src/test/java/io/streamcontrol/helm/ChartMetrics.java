package io.streamcontrol.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The metric names the chart's alerts ({@code files/alerts.yaml}) and dashboard ({@code files/dashboard.json}) query,
 * so that a test with a real service can check each of them against its {@code /actuator/prometheus} output.
 *
 * <p>Names are returned as written in the queries: sample names of the text exposition format, with their suffixes
 * ({@code _total}, {@code _sum}, {@code _count}, {@code _max}, {@code _bucket}), e.g.
 * {@code http_server_requests_seconds_count}. {@link #exposedSampleNames(String)} reads the same kind of names from
 * an exposition, so {@code exposedSampleNames(scrape).containsAll(metricNames(chartDir))} is the check.
 *
 * <p>PromQL is parsed crudely, but enough for the chart's own queries: string literals, label matchers
 * ({@code {...}}), range and subquery brackets ({@code [...]}), grouping clauses ({@code by (...)}, {@code on (...)}
 * ...) and Grafana variables ({@code $job}) are removed; every remaining identifier that is not followed by an
 * opening parenthesis (a function call) and is not a PromQL keyword is a metric name. Grafana's
 * {@code label_values(metric, label)} variable queries count their metric.
 *
 * <p>Self-contained: JDK and SnakeYAML (for the rules file) only; the dashboard is read by a small strict JSON reader.
 */
public final class ChartMetrics {

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "offset", "inf", "nan");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\s*\\(\\s*([^,()]*?)\\s*,\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\)");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern BRACKETS = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![A-Za-z0-9_:.$])([A-Za-z_:][A-Za-z0-9_:]*)(\\s*\\()?");
    private static final Pattern SAMPLE = Pattern.compile("^([A-Za-z_:][A-Za-z0-9_:]*)(?:\\{|\\s)");

    private ChartMetrics() {
    }

    /**
     * Every metric name queried by {@code <chartDir>/files/alerts.yaml} (each rule's {@code expr}) and
     * {@code <chartDir>/files/dashboard.json} (each panel target's {@code expr}, nested panels included, and the
     * template variables' queries); sorted, unmodifiable.
     *
     * @param chartDir the chart's directory, e.g. {@code helm/stream-control}
     */
    public static Set<String> metricNames(Path chartDir) {
        SortedSet<String> names = new TreeSet<>();
        for (String expression : alertExpressions(chartDir.resolve("files/alerts.yaml"))) {
            names.addAll(metricNamesIn(expression));
        }
        for (String expression : dashboardExpressions(chartDir.resolve("files/dashboard.json"))) {
            names.addAll(metricNamesIn(expression));
        }
        return Collections.unmodifiableSortedSet(names);
    }

    /** The {@code expr} of every rule of a Prometheus rules file ({@code groups: [{rules: [{expr: ...}]}]}). */
    public static List<String> alertExpressions(Path rulesFile) {
        List<String> expressions = new ArrayList<>();
        Map<?, ?> document = (Map<?, ?>) load(rulesFile);
        for (Object group : list(document.get("groups"))) {
            for (Object rule : list(((Map<?, ?>) group).get("rules"))) {
                Object expr = ((Map<?, ?>) rule).get("expr");
                if (expr != null) {
                    expressions.add(expr.toString());
                }
            }
        }
        return expressions;
    }

    /**
     * The PromQL of a Grafana dashboard: every target's {@code expr} (rows' nested panels included) and every query
     * template variable's query.
     */
    public static List<String> dashboardExpressions(Path dashboardFile) {
        List<String> expressions = new ArrayList<>();
        Object parsed = Json.parse(read(dashboardFile));
        if (!(parsed instanceof Map<?, ?> dashboard)) {
            throw new IllegalArgumentException(dashboardFile + " is not a JSON object");
        }
        collectPanels(list(dashboard.get("panels")), expressions);
        Object templating = dashboard.get("templating");
        if (templating instanceof Map<?, ?> t) {
            for (Object variable : list(t.get("list"))) {
                Map<?, ?> v = (Map<?, ?>) variable;
                if ("query".equals(v.get("type"))) {
                    Object query = v.get("query");
                    if (query instanceof Map<?, ?> q) {
                        query = q.get("query");
                    }
                    if (query != null && !query.toString().isBlank()) {
                        expressions.add(query.toString());
                    }
                }
            }
        }
        return expressions;
    }

    /** The metric names one PromQL expression (or Grafana variable query) reads. */
    public static Set<String> metricNamesIn(String promql) {
        String s = STRING.matcher(promql).replaceAll(" ");
        s = LABEL_VALUES.matcher(s).replaceAll(" $1 ");
        s = MATCHERS.matcher(s).replaceAll(" ");
        s = BRACKETS.matcher(s).replaceAll(" ");
        s = GROUPING.matcher(s).replaceAll(" ");
        s = VARIABLE.matcher(s).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String identifier = m.group(1);
            boolean call = m.group(2) != null;
            if (!call && !KEYWORDS.contains(identifier.toLowerCase())) {
                names.add(identifier);
            }
        }
        return names;
    }

    /**
     * The sample names of a Prometheus text exposition (format 0.0.4, what {@code /actuator/prometheus} answers with
     * the default Accept header): the name of every sample line, comments ({@code # HELP}, {@code # TYPE}) skipped.
     */
    public static SortedSet<String> exposedSampleNames(String exposition) {
        SortedSet<String> names = new TreeSet<>();
        for (String line : exposition.split("\\R")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static void collectPanels(List<?> panels, List<String> expressions) {
        for (Object p : panels) {
            Map<?, ?> panel = (Map<?, ?>) p;
            for (Object t : list(panel.get("targets"))) {
                Object expr = ((Map<?, ?>) t).get("expr");
                if (expr != null && !expr.toString().isBlank()) {
                    expressions.add(expr.toString());
                }
            }
            collectPanels(list(panel.get("panels")), expressions);
        }
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }

    private static Object load(Path file) {
        Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(read(file));
        if (!(document instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(file + " is not a YAML object");
        }
        return document;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A strict JSON (RFC 8259) reader into Map, List, String, Double, Boolean and null. Not SnakeYAML: YAML 1.1
     * refuses valid JSON such as tab indentation or the escape {@code \/}.
     */
    static final class Json {

        private final String text;
        private int pos;

        private Json(String text) {
            this.text = text;
        }

        static Object parse(String text) {
            Json json = new Json(text);
            Object value = json.value();
            json.skipWhitespace();
            if (json.pos != text.length()) {
                throw json.error("end of input expected");
            }
            return value;
        }

        private Object value() {
            skipWhitespace();
            if (pos >= text.length()) {
                throw error("value expected");
            }
            char c = text.charAt(pos);
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    return number();
            }
        }

        private Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            pos++;
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw error("member name expected");
                }
                String key = string();
                skipWhitespace();
                expect(':');
                map.put(key, value());
                skipWhitespace();
                char c = next();
                if (c == '}') {
                    return map;
                }
                if (c != ',') {
                    throw error("',' or '}' expected");
                }
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            pos++;
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                list.add(value());
                skipWhitespace();
                char c = next();
                if (c == ']') {
                    return list;
                }
                if (c != ',') {
                    throw error("',' or ']' expected");
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return sb.toString();
                }
                if (c < 0x20) {
                    throw error("control character in string");
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw error("bad unicode escape");
                        }
                        try {
                            sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad unicode escape");
                        }
                        pos += 4;
                    }
                    default -> throw error("bad escape");
                }
            }
        }

        private Double number() {
            Matcher m = NUMBER.matcher(text).region(pos, text.length());
            if (!m.lookingAt()) {
                throw error("value expected");
            }
            pos = m.end();
            return Double.valueOf(m.group());
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, pos)) {
                throw error(word + " expected");
            }
            pos += word.length();
            return value;
        }

        private void skipWhitespace() {
            while (pos < text.length() && " \t\n\r".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private char next() {
            if (pos >= text.length()) {
                throw error("unexpected end of input");
            }
            return text.charAt(pos++);
        }

        private void expect(char c) {
            if (next() != c) {
                pos--;
                throw error("'" + c + "' expected");
            }
        }

        private IllegalArgumentException error(String message) {
            return new IllegalArgumentException("invalid JSON at offset " + pos + ": " + message);
        }

        private static final Pattern NUMBER = Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");
    }
}
