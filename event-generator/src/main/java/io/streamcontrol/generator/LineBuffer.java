package io.streamcontrol.generator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * UTF-8 text built straight into a growable byte array, to be written in one piece: numbers and instants are
 * printed without intermediate strings, exactly as {@link Long#toString}, {@link java.math.BigDecimal#toPlainString}
 * and {@link Instant#toString} print them. Not thread-safe.
 */
final class LineBuffer {

    private static final Instant YEAR_0 = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z");

    private byte[] bytes;
    private int length;

    LineBuffer(int capacity) {
        bytes = new byte[capacity];
    }

    int length() {
        return length;
    }

    void clear() {
        length = 0;
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, length);
    }

    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    LineBuffer append(char ascii) {
        ensureRoom(1);
        bytes[length++] = (byte) ascii;
        return this;
    }

    LineBuffer append(byte[] text) {
        ensureRoom(text.length);
        System.arraycopy(text, 0, bytes, length, text.length);
        length += text.length;
        return this;
    }

    /** The text in UTF-8, as an {@link java.io.OutputStreamWriter} for UTF-8 would encode it. */
    LineBuffer append(String text) {
        ensureRoom(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                length -= i;
                return append(text.getBytes(StandardCharsets.UTF_8));
            }
            bytes[length++] = (byte) c;
        }
        return this;
    }

    /** As {@link Long#toString(long)}. */
    LineBuffer append(long value) {
        if (value < 0) {
            return append(Long.toString(value));
        }
        return appendDigits(value, digits(value));
    }

    /** A non-negative value with at least {@code width} digits, zero-padded on the left. */
    LineBuffer appendPadded(long value, int width) {
        return appendDigits(value, Math.max(width, digits(value)));
    }

    /** {@code unscaled / 10^scale} for a non-negative {@code unscaled}, as {@code BigDecimal.toPlainString} prints it. */
    LineBuffer appendDecimal(long unscaled, int scale) {
        // the digits with at least one before the point, then the last scale of them moved right for the point
        appendPadded(unscaled, scale + 1);
        ensureRoom(1);
        int point = length - scale;
        System.arraycopy(bytes, point, bytes, point + 1, scale);
        bytes[point] = '.';
        length++;
        return this;
    }

    /** As {@link Instant#toString()}: ISO-8601 in UTC, the fraction in groups of 3 digits and only when non-zero. */
    LineBuffer appendInstant(Instant instant) {
        if (instant.isBefore(YEAR_0) || !instant.isBefore(YEAR_10000)) {
            return append(instant.toString()); // signed or longer years: rare enough for the formatter
        }
        LocalDateTime time = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        appendPadded(time.getYear(), 4).append('-').appendPadded(time.getMonthValue(), 2).append('-')
                .appendPadded(time.getDayOfMonth(), 2).append('T').appendPadded(time.getHour(), 2).append(':')
                .appendPadded(time.getMinute(), 2).append(':').appendPadded(time.getSecond(), 2);
        int nano = instant.getNano();
        if (nano != 0) {
            append('.');
            if (nano % 1_000_000 == 0) {
                appendPadded(nano / 1_000_000, 3);
            } else if (nano % 1_000 == 0) {
                appendPadded(nano / 1_000, 6);
            } else {
                appendPadded(nano, 9);
            }
        }
        return append('Z');
    }

    private LineBuffer appendDigits(long value, int count) {
        ensureRoom(count);
        for (int i = length + count - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += count;
        return this;
    }

    private static int digits(long value) {
        int digits = 1;
        for (long bound = 10; digits < 19 && value >= bound; bound *= 10) {
            digits++;
        }
        return digits;
    }

    private void ensureRoom(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
