package io.streamcontrol.testkit;

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

/**
 * Parses and validates one wire line into a {@link SalesEvent}. Never throws for bad input: every problem becomes a
 * {@link Result} with a reason, so one bad line never affects its neighbours.
 *
 * <p>The job's {@code io.streamcontrol.job.event.LineParser} as it was before its allocation-free rewrite, kept
 * verbatim (only renamed) as the reference that {@code LineParserDifferentialTest} and the benchmarks'
 * {@code ParserBenchmark} compare it with.
 */
public final class ReferenceLineParser implements Serializable {

    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_TEXT = 200;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final LineFormat format;
    private final int maxLineLength;

    public ReferenceLineParser(LineFormat format, int maxLineLength) {
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
            String[] fields = format == LineFormat.CSV ? csvFields(line) : jsonFields(line);
            return validate(fields);
        } catch (BadLine e) {
            return Result.reject(e.getMessage());
        }
    }

    private static String[] csvFields(String line) {
        String[] fields = line.split(",", -1);
        if (fields.length != SalesEvent.FIELDS.length) {
            throw new BadLine("expected " + SalesEvent.FIELDS.length + " CSV fields, found " + fields.length);
        }
        for (int i = 0; i < fields.length; i++) {
            fields[i] = fields[i].trim();
        }
        return fields;
    }

    private static String[] jsonFields(String line) {
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
        return fields;
    }

    private static int fieldIndex(String name) {
        for (int i = 0; i < SalesEvent.FIELDS.length; i++) {
            if (SalesEvent.FIELDS[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static Result validate(String[] f) {
        long orderId = parseLong(f[0], "order_id");
        if (orderId < 0) {
            throw new BadLine("negative order_id");
        }
        Instant orderTime;
        try {
            orderTime = Instant.parse(f[1]);
        } catch (DateTimeParseException e) {
            throw new BadLine("bad order_time: not an ISO-8601 instant");
        }
        int quantity = (int) parseLong(f[2], "quantity");
        if (quantity < 0) {
            throw new BadLine("negative quantity");
        }
        if (quantity == 0) {
            throw new BadLine("quantity must be positive");
        }
        BigDecimal discount = decimal(f[3], "discount_pct");
        if (discount.signum() < 0 || discount.compareTo(HUNDRED) > 0) {
            throw new BadLine("discount_pct out of range 0..100");
        }
        BigDecimal rate = nonNegative(decimal(f[4], "rate"), "rate");
        BigDecimal saleAmount = nonNegative(decimal(f[5], "sale_amount"), "sale_amount");
        return Result.ok(new SalesEvent(orderId, orderTime, quantity, discount, rate, saleAmount,
                text(f[6], "customer_name"), text(f[7], "state"), text(f[8], "region"), text(f[9], "product_key"),
                decimal(f[10], "profit_margin")));
    }

    private static long parseLong(String value, String field) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new BadLine("bad number in " + field);
        }
    }

    private static BigDecimal decimal(String value, String field) {
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            throw new BadLine("bad number in " + field);
        }
    }

    private static BigDecimal nonNegative(BigDecimal value, String field) {
        if (value.signum() < 0) {
            throw new BadLine("negative " + field);
        }
        return value;
    }

    private static String text(String value, String field) {
        if (value.isEmpty()) {
            throw new BadLine("missing field " + field);
        }
        if (value.length() > MAX_TEXT) {
            throw new BadLine(field + " longer than " + MAX_TEXT + " characters");
        }
        return value;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static final class BadLine extends RuntimeException {
        BadLine(String reason) {
            super(reason, null, false, false);
        }
    }
}
