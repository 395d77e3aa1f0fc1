package io.streamcontrol.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LineBufferTest {

    private final LineBuffer buffer = new LineBuffer(4);
    private final SplittableRandom random = new SplittableRandom(3);

    private String text() {
        String text = buffer.toString();
        buffer.clear();
        return text;
    }

    @Test
    void printsLongsAsLongToString() {
        long[] edges = {0, 1, 9, 10, 99, 100, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L, Long.MAX_VALUE,
            -1, -10, Long.MIN_VALUE};
        for (long value : edges) {
            assertThat(buffer.append(value).toString()).isEqualTo(Long.toString(value));
            buffer.clear();
        }
        for (int i = 0; i < 100_000; i++) {
            long value = random.nextLong() >> random.nextInt(64);
            buffer.append(value);
            assertThat(text()).isEqualTo(Long.toString(value));
        }
    }

    @Test
    void printsDecimalsAsBigDecimalToPlainString() {
        for (int i = 0; i < 100_000; i++) {
            long unscaled = random.nextLong(0, Long.MAX_VALUE) >> random.nextInt(63);
            int scale = random.nextInt(1, 7);
            buffer.appendDecimal(unscaled, scale);
            assertThat(text()).isEqualTo(BigDecimal.valueOf(unscaled, scale).toPlainString());
        }
        assertThat(buffer.appendDecimal(0, 2).toString()).isEqualTo("0.00");
    }

    @Test
    void printsInstantsAsInstantToString() {
        long year0 = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long year10000 = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            long second = i % 10 == 0
                    ? random.nextLong(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond())
                    : random.nextLong(year0 - 10, year10000 + 10);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(second, nano);
            buffer.appendInstant(instant);
            assertThat(text()).isEqualTo(instant.toString());
        }
        for (Instant edge : new Instant[] {Instant.MIN, Instant.MAX, Instant.EPOCH,
            Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("0000-01-01T00:00:00Z")}) {
            buffer.appendInstant(edge);
            assertThat(text()).isEqualTo(edge.toString());
        }
    }

    @Test
    void encodesTextInUtf8AndGrowsAsNeeded() throws IOException {
        buffer.append("plain ").append("näive ✓ 𝄞").append('!').appendPadded(7, 4);

        ByteArrayOutputStream written = new ByteArrayOutputStream();
        buffer.writeTo(written);
        assertThat(written.toByteArray()).isEqualTo("plain näive ✓ 𝄞!0007".getBytes(StandardCharsets.UTF_8));
        assertThat(buffer.length()).isEqualTo(written.size());
    }
}
