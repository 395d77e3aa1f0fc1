package io.streamcontrol.job.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.streamcontrol.contract.events.SalesEvent;
import io.streamcontrol.contract.settings.LineFormat;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * Parses and validates one wire line into a {@link SalesEvent}. Never throws for bad input: every problem becomes a
 * {@link Result} with a reason, so one bad line never affects its neighbours.
 *
 * <p>Runs once per received line, so it does only the work it must: CSV columns are read in place (scanned by index
 * and trimmed as {@link String#trim()} does, without splitting the line), and numbers and instants in their usual
 * shapes ({@code 42}, {@code -12.50}, {@code 2026-01-02T03:04:05.123Z}) are computed from the characters. Anything else
 * goes to {@link Long#parseLong(String)}, {@link BigDecimal#BigDecimal(String)} and {@link Instant#parse}, so every
 * line gets exactly the value or the reason those give.
 */
public final class LineParser implements Serializable {

    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_TEXT = 200;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    /** Wire name to column, instead of a linear search of {@link SalesEvent#FIELDS} for each JSON name. */
    private static final Map<String, Integer> FIELD_INDEX = fieldIndexes();
    /** Digits that always fit a long. */
    private static final int MAX_FAST_DIGITS = 18;
    private static final int[] NANOS_PER_FRACTION_UNIT = {
        1_000_000_000, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1
    };
    /** Days from 0000-01-01 to 1970-01-01 (as in {@code LocalDate}). */
    private static final long DAYS_0000_TO_1970 = 719_528;

    private final LineFormat format;
    private final int maxLineLength;

    public LineParser(LineFormat format, int maxLineLength) {
        this.format = format;
        this.maxLineLength = maxLineLength;
    }

    /** The event, or the reason the line was refused. */
    public record Result(SalesEvent event, String rejectReason) {
        static Result ok(SalesEvent event) {
            return new Result(event, null);
        }

        static Result reject(String reason) {
            return new Result(null, reason);
        }
    }

    public Result parse(String line) {
        if (line.length() > maxLineLength) {
            return Result.reject("line longer than " + maxLineLength + " characters");
        }
        if (line.isBlank()) {
            return Result.reject("empty line");
        }
        try {
            Fields fields = format == LineFormat.CSV ? csvFields(line) : jsonFields(line);
            return validate(fields);
        } catch (BadLine e) {
            return Result.reject(e.getMessage());
        }
    }

    private static Fields csvFields(String line) {
        int found = 1;
        for (int comma = line.indexOf(','); comma >= 0; comma = line.indexOf(',', comma + 1)) {
            found++;
        }
        if (found != SalesEvent.FIELDS.length) {
            throw new BadLine("expected " + SalesEvent.FIELDS.length + " CSV fields, found " + found);
        }
        return new Fields(line, null);
    }

    private static Fields jsonFields(String line) {
        String[] fields = new String[SalesEvent.FIELDS.length];
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new BadLine("not a JSON object");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                int index = fieldIndex(name);
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    throw new BadLine("field " + name + " must be a scalar");
                }
                if (index >= 0 && value != JsonToken.VALUE_NULL) {
                    fields[index] = parser.getText();
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new BadLine("malformed JSON object");
            }
        } catch (IOException e) {
            throw new BadLine("malformed JSON: " + firstLine(e.getMessage()));
        }
        for (int i = 0; i < fields.length; i++) {
            if (fields[i] == null) {
                throw new BadLine("missing field " + SalesEvent.FIELDS[i]);
            }
        }
        return new Fields(null, fields);
    }

    /** The position of a wire name in {@link SalesEvent#FIELDS}, -1 for names the event does not have. */
    private static int fieldIndex(String name) {
        Integer index = FIELD_INDEX.get(name);
        return index == null ? -1 : index;
    }

    private static Map<String, Integer> fieldIndexes() {
        Map<String, Integer> indexes = new HashMap<>();
        for (int i = 0; i < SalesEvent.FIELDS.length; i++) {
            indexes.put(SalesEvent.FIELDS[i], i);
        }
        return Map.copyOf(indexes);
    }

    /** Checks the fields in column order, so the first bad column gives the reason. */
    private static Result validate(Fields f) {
        long orderId = parseLong(f.column(0), "order_id");
        if (orderId < 0) {
            throw new BadLine("negative order_id");
        }
        Instant orderTime = instant(f.column(1));
        int quantity = (int) parseLong(f.column(2), "quantity");
        if (quantity < 0) {
            throw new BadLine("negative quantity");
        }
        if (quantity == 0) {
            throw new BadLine("quantity must be positive");
        }
        BigDecimal discount = decimal(f.column(3), "discount_pct");
        if (discount.signum() < 0 || discount.compareTo(HUNDRED) > 0) {
            throw new BadLine("discount_pct out of range 0..100");
        }
        BigDecimal rate = nonNegative(decimal(f.column(4), "rate"), "rate");
        BigDecimal saleAmount = nonNegative(decimal(f.column(5), "sale_amount"), "sale_amount");
        String customerName = text(f.column(6), "customer_name");
        String state = text(f.column(7), "state");
        String region = text(f.column(8), "region");
        String productKey = text(f.column(9), "product_key");
        BigDecimal profitMargin = decimal(f.column(10), "profit_margin");
        return Result.ok(new SalesEvent(orderId, orderTime, quantity, discount, rate, saleAmount,
                customerName, state, region, productKey, profitMargin));
    }

    /** Up to 18 ASCII digits with an optional sign directly; the rest as {@link Long#parseLong(String)} reads it. */
    private static long parseLong(Fields f, String field) {
        String s = f.text;
        int i = f.from;
        int to = f.to;
        boolean negative = false;
        if (i < to && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        if (i < to && to - i <= MAX_FAST_DIGITS) {
            long value = 0;
            for (; i < to; i++) {
                int digit = s.charAt(i) - '0';
                if (digit < 0 || digit > 9) {
                    break;
                }
                value = value * 10 + digit;
            }
            if (i == to) {
                return negative ? -value : value;
            }
        }
        try {
            return Long.parseLong(f.value());
        } catch (NumberFormatException e) {
            throw new BadLine("bad number in " + field);
        }
    }

    /**
     * Plain decimals ({@code -?digits(.digits)?}, at most 18 digits) directly, with the scale
     * {@link BigDecimal#BigDecimal(String)} gives them; the rest (exponents, '+', more digits...) through that
     * constructor.
     */
    private static BigDecimal decimal(Fields f, String field) {
        String s = f.text;
        int i = f.from;
        int to = f.to;
        boolean negative = i < to && s.charAt(i) == '-';
        if (negative) {
            i++;
        }
        int start = i;
        int point = -1;
        long unscaled = 0;
        for (; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                unscaled = unscaled * 10 + (c - '0');
            } else if (c == '.' && point < 0) {
                point = i;
            } else {
                break;
            }
        }
        int digits = point < 0 ? to - start : to - start - 1;
        if (i == to && digits <= MAX_FAST_DIGITS && point != start && point != to - 1 && to > start) {
            return BigDecimal.valueOf(negative ? -unscaled : unscaled, point < 0 ? 0 : to - point - 1);
        }
        try {
            return new BigDecimal(f.value());
        } catch (NumberFormatException e) {
            throw new BadLine("bad number in " + field);
        }
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f]Z} with 1 to 9 fraction digits and a valid date and time directly; every other
     * form, valid or not, through {@link Instant#parse}.
     */
    private static Instant instant(Fields f) {
        Instant canonical = canonicalInstant(f.text, f.from, f.to);
        if (canonical != null) {
            return canonical;
        }
        try {
            return Instant.parse(f.value());
        } catch (DateTimeParseException e) {
            throw new BadLine("bad order_time: not an ISO-8601 instant");
        }
    }

    /** The instant, or null unless {@code s[from, to)} has exactly the canonical UTC shape and a valid value. */
    private static Instant canonicalInstant(String s, int from, int to) {
        int length = to - from;
        if (length != 20 && (length < 22 || length > 30)) {
            return null;
        }
        if (s.charAt(from + 4) != '-' || s.charAt(from + 7) != '-' || s.charAt(from + 10) != 'T'
                || s.charAt(from + 13) != ':' || s.charAt(from + 16) != ':' || s.charAt(to - 1) != 'Z') {
            return null;
        }
        int year = digits(s, from, 4);
        int month = digits(s, from + 5, 2);
        int day = digits(s, from + 8, 2);
        int hour = digits(s, from + 11, 2);
        int minute = digits(s, from + 14, 2);
        int second = digits(s, from + 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || month < 1 || month > 12 || day < 1
                || day > monthLength(year, month) || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            int fractionDigits = length - 21;
            int fraction = digits(s, from + 20, fractionDigits);
            if (s.charAt(from + 19) != '.' || fraction < 0) {
                return null;
            }
            nanos = fraction * NANOS_PER_FRACTION_UNIT[fractionDigits];
        }
        long epochSecond = epochDay(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second;
        return Instant.ofEpochSecond(epochSecond, nanos);
    }

    /** The value of {@code count} (at most 9) ASCII digits at {@code s[from]}, -1 if one is not a digit. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int digit = s.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static int monthLength(int year, int month) {
        return switch (month) {
            case 2 -> isLeapYear(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static boolean isLeapYear(int year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    /** Days since 1970-01-01 of a valid date of a year 0..9999, computed as {@code LocalDate.toEpochDay()} does. */
    private static long epochDay(int year, int month, int day) {
        long days = 365L * year + (year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400
                + (367 * month - 362) / 12 + day - 1;
        if (month > 2) {
            days -= isLeapYear(year) ? 1 : 2;
        }
        return days - DAYS_0000_TO_1970;
    }

    private static BigDecimal nonNegative(BigDecimal value, String field) {
        if (value.signum() < 0) {
            throw new BadLine("negative " + field);
        }
        return value;
    }

    private static String text(Fields f, String field) {
        if (f.to == f.from) {
            throw new BadLine("missing field " + field);
        }
        if (f.to - f.from > MAX_TEXT) {
            throw new BadLine(field + " longer than " + MAX_TEXT + " characters");
        }
        return f.value();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /**
     * The values of one line in column order, read one after the other: {@link #column} points {@link #text},
     * {@link #from} and {@link #to} at a value, either a trimmed range of a CSV line or a whole JSON value.
     */
    private static final class Fields {
        private final String csvLine;
        private final String[] jsonValues;
        /** CSV: where the column after the current one starts. */
        private int next;
        String text;
        int from;
        int to;

        Fields(String csvLine, String[] jsonValues) {
            this.csvLine = csvLine;
            this.jsonValues = jsonValues;
        }

        /** Moves to column {@code index}; CSV columns must be asked for in order, each once. */
        Fields column(int index) {
            if (jsonValues != null) {
                text = jsonValues[index];
                from = 0;
                to = text.length();
                return this;
            }
            String line = csvLine;
            int start = next;
            int end = line.indexOf(',', start);
            if (end < 0) {
                end = line.length();
            }
            next = end + 1;
            while (start < end && line.charAt(start) <= ' ') {
                start++;
            }
            while (end > start && line.charAt(end - 1) <= ' ') {
                end--;
            }
            text = line;
            from = start;
            to = end;
            return this;
        }

        /** The current value as a String (the JSON value itself, no copy). */
        String value() {
            return text.substring(from, to);
        }
    }

    private static final class BadLine extends RuntimeException {
        BadLine(String reason) {
            super(reason, null, false, false);
        }
    }
}
