package io.streamcontrol.testkit;

import io.streamcontrol.contract.settings.LineFormat;
import io.streamcontrol.generator.GeneratorSettings;
import java.time.Duration;
import java.time.Instant;

/**
 * The generator's lines the integration tests check the tables against: 40 products, 2% malformed, 3% late within the
 * lateness, 1% too late, events 20 ms apart from a fixed start, so every run of a seed sends the same lines.
 */
public final class KnownLines {

    private KnownLines() {
    }

    public static GeneratorSettings settings(long seed, long count, int rate, LineFormat format) {
        return GeneratorSettings.builder()
                .port(0)
                .seed(seed)
                .rate(rate)
                .count(count)
                .format(format)
                .products(40)
                .malformedShare(0.02)
                .lateShare(0.03).lateBy(Duration.ofSeconds(5))
                .veryLateShare(0.01).veryLateBy(Duration.ofMinutes(2))
                .startTime(Instant.parse("2026-01-01T00:00:00Z"))
                .eventSpacing(Duration.ofMillis(20))
                .build();
    }
}
