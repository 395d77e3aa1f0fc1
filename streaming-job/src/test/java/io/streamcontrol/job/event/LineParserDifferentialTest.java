package io.streamcontrol.job.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcontrol.contract.events.SalesEvent;
import io.streamcontrol.contract.settings.LineFormat;
import io.streamcontrol.generator.GeneratorSettings;
import io.streamcontrol.generator.SalesEventSource;
import io.streamcontrol.testkit.ReferenceLineParser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link LineParser} against {@link ReferenceLineParser} (the parser before its rewrite): for every line both accept
 * with equal events (same instant, BigDecimals of the same scale, same strings) or both reject with the same reason.
 * Lines: the generator's (with many malformed, late and too-late ones), hand-written edge cases, and random mutations
 * of valid lines.
 */
class LineParserDifferentialTest {

    private static final int MAX_LINE = 10_000;
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final String[] BASE = {
        "42", "2026-03-01T10:15:30.250Z", "3", "12.50", "19.99", "52.47", "Customer 7", "CA", "R2", "P0007", "0.2100"
    };
    /** Columns whose JSON value is a number in the base line (the others are strings). */
    private static final boolean[] NUMERIC = {true, false, true, true, true, true, false, false, false, false, true};

    private static final List<String> LONGS = List.of(
            "42", "0", "-0", "+0", "+42", "-42", " 42 ", "\t42\t", "42\r", "0042", "", " ", "-", "+", "--1", "+-1",
            "4 2", "1e3", "42.0", "0x2A", "\u0664\u0662", "\uff14\uff12", "999999999999999999", "-999999999999999999",
            "1000000000000000000", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
            "-9223372036854775809", "99999999999999999999", "2147483647", "2147483648", "-2147483648", "4294967295",
            "4294967296", "4294967297", "8589934595", "+000000000000000000000000001");

    private static final List<String> DECIMALS = List.of(
            "12.50", "0", "0.0", "-0", "-0.00", "+0", "100", "100.00", "100.0000000000000001", "100.01", "99.999999",
            "-12.50", "-0.01", "+12.50", "1e3", "1E3", "1e-2", "1E+2", "-1e2", "1.5e1", "0e5", ".5", "-.5", "5.", "-5.",
            ".", "-", "+", "", " ", " 12.50 ", "\t1\t", "12.50\r", "00012.50", "12.5.1", "12..5", "1_000", "1,5",
            "NaN", "Infinity", "-Infinity", "0x10", "\u0661\u0662.\u0665", "\uff11\uff12", "1\u00a0",
            "123456789012345678", "12345678901234567.8", "-123456789012345678", "1234567890123456789",
            "1234567890123456789.123", "0.12345678901234567890123", "-0.000000000000000000001", "999999999999999999",
            "9999999999999999999999999999999999999.5", "1e2147483647", "1e-2147483648", "1e99999999999");

    private static final List<String> INSTANTS = List.of(
            "2026-01-02T03:04:05Z", "2026-01-02T03:04:05.1Z", "2026-01-02T03:04:05.12Z", "2026-01-02T03:04:05.123Z",
            "2026-01-02T03:04:05.1234Z", "2026-01-02T03:04:05.123456Z", "2026-01-02T03:04:05.123456789Z",
            "2026-01-02T03:04:05.000000000Z", "2026-01-02T03:04:05.000Z", "2026-01-02T03:04:05.1234567890Z",
            "2026-01-02T03:04:05.Z", "2026-01-02T03:04:05.12a4Z", "2026-01-02T03:04:05.-1Z", "2026-01-02T03:04:05",
            "2026-01-02T03:04Z", "2026-01-02T03:04:05+01:00", "2026-01-02T03:04:05-05:30", "2026-01-02T03:04:05+00:00",
            "2026-01-02T03:04:05.5+01:00", "2026-01-02T03:04:05+0100", "2026-01-02T03:04:05+01", "2026-01-02t03:04:05z",
            "2026-01-02t03:04:05Z", "2026-01-02T03:04:05z", "2026-01-02 03:04:05Z", " 2026-01-02T03:04:05Z ",
            "\t2026-01-02T03:04:05.5Z\r", "2026-01-02T03:04:05ZZ", "2026-01-02T03:04:05Z[UTC]", "2026-1-02T03:04:05Z",
            "2026-01-2T03:04:05Z", "2026-01-02T3:04:05Z", "2026/01/02T03:04:05Z", "2026-01-02T03-04-05Z",
            "2026-02-28T23:59:59.999999999Z", "2026-02-29T00:00:00Z", "2026-02-30T00:00:00Z", "2024-02-29T12:00:00Z",
            "2000-02-29T12:00:00Z", "1900-02-29T12:00:00Z", "2100-02-29T12:00:00Z", "2400-02-29T12:00:00Z",
            "2026-04-30T00:00:00Z", "2026-04-31T00:00:00Z", "2026-06-31T00:00:00Z", "2026-12-31T23:59:59Z",
            "2026-01-31T00:00:00Z", "2026-03-31T00:00:00Z", "2026-00-10T00:00:00Z", "2026-13-01T00:00:00Z",
            "2026-01-00T00:00:00Z", "2026-01-32T00:00:00Z", "2026-01-01T24:00:00Z", "2026-12-31T24:00:00Z",
            "2026-01-01T24:00:01Z", "2026-01-01T25:00:00Z", "2026-01-01T00:60:00Z", "2026-01-01T00:00:60Z",
            "2026-12-31T23:59:60Z", "2026-12-31T23:59:60.5Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z",
            "0000-01-01T00:00:00Z", "0000-02-29T00:00:00Z", "0001-01-01T00:00:00Z", "0999-12-31T23:59:59Z",
            "0100-03-01T00:00:00Z", "1582-10-10T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "10000-01-01T00:00:00Z",
            "+10000-01-01T00:00:00Z", "+2026-01-02T03:04:05Z", "-0001-01-01T00:00:00Z", "-2026-01-02T03:04:05Z",
            "+1000000000-12-31T23:59:59Z", "+1000000001-01-01T00:00:00Z", "\u0662\u0660\u0662\u0666-01-02T03:04:05Z",
            "2026-01-02T03:04:05.\u0661Z", "", " ", "yesterday", "2026-01-02", "1735689600", "T:Z");

    private static final List<String> TEXTS = List.of(
            "Customer 7", "", " ", "\t", " x ", "\tx\t", "x\r", "\u00a0", "\u2003x\u2003", "a\u0000", "\u0000",
            "\u00e9t\u00e9 M\u00fcller", "\u4e2d\u6587", "\ud83d\ude00", "a\"b", "a\\b", "{}", "[1]", "null",
            "x".repeat(199), "x".repeat(200), "x".repeat(201), " " + "x".repeat(200) + " ", "\t" + "x".repeat(201),
            "\u00e9".repeat(200), "\u00e9".repeat(201), "\ud83d\ude00".repeat(100), "\ud83d\ude00".repeat(101),
            "x".repeat(5_000));

    @ParameterizedTest
    @EnumSource(LineFormat.class)
    void generatorLinesWithManyMalformedLateAndTooLateOnes(LineFormat format) {
        Comparison comparison = new Comparison(format, MAX_LINE);
        GeneratorSettings.Builder settings = GeneratorSettings.builder().port(0).seed(11).rate(1000).format(format)
                .startTime(START).malformedShare(0.2).lateShare(0.05).veryLateShare(0.05);
        SalesEventSource millis = new SalesEventSource(settings.build());
        for (long n = 0; n < 200_000; n++) {
            comparison.check(millis.line(n).payload());
        }
        // order_time with 3, 6 and 9 fraction digits
        SalesEventSource nanos = new SalesEventSource(settings.seed(12).eventSpacing(Duration.ofNanos(1_234_567))
                .build());
        for (long n = 0; n < 20_000; n++) {
            comparison.check(nanos.line(n).payload());
        }
        comparison.assertNoDifference();
        assertThat(comparison.accepted).isGreaterThan(150_000);
        assertThat(comparison.rejected).isGreaterThan(35_000);
    }

    @ParameterizedTest
    @EnumSource(LineFormat.class)
    void handWrittenEdgeCasesInEveryColumn(LineFormat format) {
        Comparison comparison = new Comparison(format, MAX_LINE);
        for (int column = 0; column < BASE.length; column++) {
            for (String value : columnCases(column)) {
                String[] columns = BASE.clone();
                columns[column] = value;
                if (format == LineFormat.CSV) {
                    comparison.checkAtLengthLimits(String.join(",", columns));
                } else {
                    comparison.checkAtLengthLimits(json(columns, column, true));
                    comparison.checkAtLengthLimits(json(columns, column, false));
                }
            }
        }
        comparison.assertNoDifference();
        assertThat(comparison.accepted).isGreaterThan(100);
        assertThat(comparison.rejected).isGreaterThan(300);
    }

    @Test
    void handWrittenCsvLines() {
        String valid = String.join(",", BASE);
        List<String> lines = new ArrayList<>(List.of(
                valid, valid + "\r", valid + "\n", " " + valid + " ", "\t" + valid.replace(",", "\t,\t") + "\t",
                valid.replace(",", " , "), valid + ",", "," + valid, valid.replace(",", ",,"), valid + ",extra",
                valid.substring(0, valid.lastIndexOf(',')), "", " ", "\t", "\r", "\r\n", "\u2003", "\u0000",
                ",,,,,,,,,,", ",,,,,,,,,", ",,,,,,,,,,,", " , , , , , , , , , , ", "x", "{\"order_id\":1}",
                "42,2026-03-01T10:15:30.250Z,3,12.50,19.99,52.47,Customer 7,CA,R2,P0007",
                "42,2026-03-01T10:15:30.250Z,3,12.50,19.99,52.47,Customer 7,CA,R2,P0007,0.2100,",
                "-1,bad,-1,200,-1,-1,,,,,x", "x,bad,-1,200,-1,-1,,,,,x", "1,2026-03-01T10:15:30Z,0,0,0,0,a,b,c,d,0",
                "1,2026-03-01T10:15:30Z,1,100,0,0,a,b,c,d,-1", "1,2026-03-01T10:15:30Z,1,-0,-0,-0,a,b,c,d,-0",
                "1,2026-03-01T10:15:30Z,1,0,0,0,a,b,c,d,", "1,2026-03-01T10:15:30Z,1,0,0,0,a,b,c,,1"));
        String padded = valid.replace("Customer 7", " ".repeat(MAX_LINE - valid.length()) + "Customer 7");
        assertThat(padded).hasSize(MAX_LINE);
        lines.add(padded);
        lines.add(" " + padded);
        lines.add(padded.replace(" Customer 7", "\tCustomer 7"));
        Comparison comparison = new Comparison(LineFormat.CSV, MAX_LINE);
        lines.forEach(comparison::checkAtLengthLimits);
        comparison.assertNoDifference();
    }

    @Test
    void handWrittenJsonLines() {
        String valid = json(BASE, -1, false);
        String body = valid.substring(1, valid.length() - 1);
        Comparison comparison = new Comparison(LineFormat.JSON, MAX_LINE);
        List.of(valid, " " + valid + " ", valid + "\r", "\t" + valid + "\n", valid + " x", valid + valid,
                "{" + body + ",\"order_id\":43}", "{" + body + ",\"order_id\":null}", "{" + body + ",\"order_id\":\"x\"}",
                "{\"order_id\":\"x\"," + body + "}", "{" + body + ",\"extra\":{\"a\":1}}", "{" + body + ",\"extra\":[1]}",
                "{" + body + ",\"extra\":null}", "{" + body + ",\"extra\":true}", "{" + body + ",}", "{," + body + "}",
                "{" + body, body, "[" + body + "]", "[]", "{}", "null", "42", "\"x\"", "{\"order_id\":1", "{\"order_id\"",
                "{\"order_id\":}", "{'order_id':1}", "{order_id:1}", "{\"order_id\":01}", "{\"order_id\":1.}",
                "{\"order_id\":NaN}", "{\"order_id\":\"\\u0034\\u0032\"}", "{\"customer_name\":\"\\x\"}",
                "{\"customer_name\":\"a\tb\"}", "{\"order_id\":1}{\"order_id\":2}", "{\"order_id\":1}\n{}",
                valid.replace("\"quantity\":3,", ""), valid.replace("\"quantity\":3,", "\"quantity\":null,"),
                valid.replace("\"state\":\"CA\"", "\"state\":\"\\u00e9\\n\""),
                valid.replace("\"state\":\"CA\"", "\"state\":\"\\ud83d\\ude00\""),
                valid.replace("\"state\":\"CA\"", "\"state\":\"\\ud83d\""),
                valid.replace("\"state\":\"CA\"", "\"state\":true"), valid.replace("\"state\":\"CA\"", "\"state\":1.50"),
                valid.replace("\"quantity\":3", "\"quantity\":true"), valid.replace("\"quantity\":3", "\"quantity\":[3]"),
                valid.replace("\"quantity\":3", "\"quantity\":{}"), valid.replace(":", " : "),
                valid.replace(",", " ,\n "), "", " ", "\u2003").forEach(comparison::checkAtLengthLimits);
        comparison.assertNoDifference();
    }

    @ParameterizedTest
    @EnumSource(LineFormat.class)
    void randomMutationsOfValidLines(LineFormat format) {
        Comparison comparison = new Comparison(format, MAX_LINE);
        SalesEventSource source = new SalesEventSource(GeneratorSettings.builder().port(0).seed(13).rate(997)
                .format(format).startTime(START).malformedShare(0).build());
        Random random = new Random(20_260_101L);
        String alphabet = "0123456789-+.,:eETtZz \t\r\"{}[]x\u00e9\u0663\u00a0";
        for (int i = 0; i < 25_000; i++) {
            StringBuilder line = new StringBuilder(source.line(random.nextInt(1_000_000)).payload());
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations && !line.isEmpty(); m++) {
                int at = random.nextInt(line.length());
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(5)) {
                    case 0 -> line.deleteCharAt(at);
                    case 1 -> line.insert(at, c);
                    case 2 -> line.setCharAt(at, c);
                    case 3 -> {
                        int comma = line.indexOf(",", at);
                        if (comma >= 0) {
                            line.insert(comma, ',');
                        }
                    }
                    default -> line.insert(at, Character.isDigit(c) ? "" + c + c + c : "" + c);
                }
            }
            comparison.check(line.toString());
        }
        comparison.assertNoDifference();
        assertThat(comparison.accepted).isGreaterThan(1_000);
        assertThat(comparison.rejected).isGreaterThan(10_000);
    }

    /** The comparison must be able to fail: a different parser setting gives different answers. */
    @Test
    void aDifferenceIsReported() {
        Comparison comparison = new Comparison(LineFormat.CSV, MAX_LINE);
        comparison.compare(new LineParser(LineFormat.CSV, 20).parse(String.join(",", BASE)),
                new ReferenceLineParser(LineFormat.CSV, MAX_LINE).parse(String.join(",", BASE)), "base line");
        assertThat(comparison.differences).hasSize(1);
    }

    private static List<String> columnCases(int column) {
        return switch (column) {
            case 0, 2 -> LONGS;
            case 1 -> INSTANTS;
            case 3, 4, 5, 10 -> DECIMALS;
            default -> TEXTS;
        };
    }

    /** A JSON object of the columns; {@code column}'s value raw (as written) or quoted, the others as usual. */
    private static String json(String[] columns, int column, boolean raw) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < columns.length; i++) {
            out.append(i == 0 ? "" : ",").append('"').append(SalesEvent.FIELDS[i]).append("\":");
            boolean number = i == column ? raw : NUMERIC[i];
            out.append(number ? columns[i] : quoted(columns[i]));
        }
        return out.append('}').toString();
    }

    private static String quoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** Both parsers over many lines; keeps the first differences. */
    private static final class Comparison {
        final LineFormat format;
        final LineParser parser;
        final ReferenceLineParser reference;
        final List<String> differences = new ArrayList<>();
        int accepted;
        int rejected;

        Comparison(LineFormat format, int maxLineLength) {
            this.format = format;
            this.parser = new LineParser(format, maxLineLength);
            this.reference = new ReferenceLineParser(format, maxLineLength);
        }

        void check(String line) {
            compare(parser.parse(line), reference.parse(line), line);
        }

        /** The line with the usual limit, and with limits of exactly its length and one less. */
        void checkAtLengthLimits(String line) {
            check(line);
            for (int limit = line.length(); limit >= Math.max(0, line.length() - 1); limit--) {
                compare(new LineParser(format, limit).parse(line), new ReferenceLineParser(format, limit).parse(line),
                        "(limit " + limit + ") " + line);
            }
        }

        void compare(LineParser.Result result, ReferenceLineParser.Result expected, String line) {
            if (expected.event() != null) {
                accepted++;
            } else {
                rejected++;
            }
            if (!Objects.equals(result.event(), expected.event())
                    || !Objects.equals(result.rejectReason(), expected.rejectReason())) {
                if (differences.size() < 20) {
                    differences.add(format + " " + escaped(line) + "\n    reference: " + expected.event() + " / "
                            + expected.rejectReason() + "\n    new:       " + result.event() + " / "
                            + result.rejectReason());
                } else if (differences.size() == 20) {
                    differences.add("...");
                }
            }
        }

        void assertNoDifference() {
            assertThat(differences).as("lines parsed differently").isEmpty();
        }

        private static String escaped(String line) {
            String shown = line.length() > 300 ? line.substring(0, 300) + "...(" + line.length() + " chars)" : line;
            StringBuilder out = new StringBuilder();
            for (char c : shown.toCharArray()) {
                out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
            return out.toString();
        }
    }
}
