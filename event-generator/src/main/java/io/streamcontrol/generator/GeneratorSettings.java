package io.streamcontrol.generator;

import io.streamcontrol.contract.settings.LineFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Everything that determines what the generator emits and how fast. Event N is a pure function of
 * ({@code seed}, N, these settings), see {@link SalesEventSource}.
 *
 * @param port           TCP port on 127.0.0.1; 0 picks a free one
 * @param rate           total events per second across all connections; 0 = as fast as possible
 * @param count          total events (sequences 0..count-1); -1 = unlimited
 * @param duration       emitting time per connection after which it stops; zero = unlimited (null is read as zero)
 * @param skew           Zipf exponent over products, states and customers; 0 = uniform
 * @param lateShare      share of events whose order_time is shifted back by {@code lateBy}
 * @param veryLateShare  share of events whose order_time is shifted back by {@code veryLateBy}
 * @param startTime      event N's normal order_time is {@code startTime + N * eventSpacing}
 * @param eventSpacing   null means 1 s / rate when rate &gt; 0, else 1 ms
 */
public record GeneratorSettings(
        int port,
        long seed,
        double rate,
        long count,
        Duration duration,
        LineFormat format,
        int products,
        int regions,
        int states,
        int customers,
        double skew,
        double malformedShare,
        double lateShare,
        Duration lateBy,
        double veryLateShare,
        Duration veryLateBy,
        Instant startTime,
        Duration eventSpacing) {

    /** Bounds the precomputed Zipf tables (8 bytes per entry). */
    static final int MAX_CARDINALITY = 1_000_000;

    public GeneratorSettings {
        if (duration == null) {
            duration = Duration.ZERO;
        }
        if (eventSpacing == null) {
            eventSpacing = rate > 0 ? Duration.ofNanos(Math.max(1, Math.round(1e9 / rate))) : Duration.ofMillis(1);
        }
        check(port >= 0 && port <= 65_535, "port", "must be between 0 and 65535, was " + port);
        check(Double.isFinite(rate) && rate >= 0, "rate", "must be >= 0 (0 = as fast as possible), was " + rate);
        check(count >= -1, "count", "must be >= 0, or -1 for unlimited, was " + count);
        check(!duration.isNegative(), "duration", "must not be negative (0 = unlimited), was " + duration);
        check(format != null, "format", "is required");
        check(products >= 1 && products <= MAX_CARDINALITY, "products",
                "must be between 1 and " + MAX_CARDINALITY + ", was " + products);
        check(regions >= 1, "regions", "must be >= 1, was " + regions);
        check(states >= 1 && states <= SalesEventSource.US_STATES.size(), "states",
                "must be between 1 and " + SalesEventSource.US_STATES.size() + ", was " + states);
        check(customers >= 1 && customers <= MAX_CARDINALITY, "customers",
                "must be between 1 and " + MAX_CARDINALITY + ", was " + customers);
        check(Double.isFinite(skew) && skew >= 0, "skew", "must be >= 0 (0 = uniform), was " + skew);
        checkShare(malformedShare, "malformedShare");
        checkShare(lateShare, "lateShare");
        checkShare(veryLateShare, "veryLateShare");
        if (malformedShare + lateShare + veryLateShare > 1) {
            throw new InvalidSetting(List.of("malformedShare", "lateShare", "veryLateShare"),
                    "together must be at most 1, were " + malformedShare + " + " + lateShare + " + " + veryLateShare);
        }
        check(lateBy != null && !lateBy.isNegative(), "lateBy", "must be a non-negative duration, was " + lateBy);
        check(veryLateBy != null && !veryLateBy.isNegative(), "veryLateBy",
                "must be a non-negative duration, was " + veryLateBy);
        check(startTime != null, "startTime", "is required");
        check(eventSpacing.compareTo(Duration.ZERO) > 0, "eventSpacing", "must be positive, was " + eventSpacing);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults, a sensible demo: 1000 events/s forever on port 9999, starting now. */
    public static GeneratorSettings defaults() {
        return builder().build();
    }

    boolean unlimitedCount() {
        return count < 0;
    }

    boolean unlimitedDuration() {
        return duration.isZero();
    }

    private static void check(boolean valid, String setting, String reason) {
        if (!valid) {
            throw new InvalidSetting(List.of(setting), reason);
        }
    }

    private static void checkShare(double share, String setting) {
        check(share >= 0 && share <= 1, setting, "must be between 0 and 1, was " + share);
    }

    /** A rejected setting; keeps the setting names apart so the CLI can name its options instead. */
    static final class InvalidSetting extends IllegalArgumentException {
        final List<String> settings;
        final String reason;

        InvalidSetting(List<String> settings, String reason) {
            super(String.join(" + ", settings) + " " + reason);
            this.settings = settings;
            this.reason = reason;
        }
    }

    /** Starts from the defaults; {@code eventSpacing} stays derived from the rate unless set. */
    public static final class Builder {
        private int port = 9999;
        private long seed = 42;
        private double rate = 1000;
        private long count = -1;
        private Duration duration = Duration.ZERO;
        private LineFormat format = LineFormat.CSV;
        private int products = 100;
        private int regions = 5;
        private int states = 50;
        private int customers = 10_000;
        private double skew = 1.0;
        private double malformedShare = 0.01;
        private double lateShare = 0.02;
        private Duration lateBy = Duration.ofSeconds(20);
        private double veryLateShare = 0.005;
        private Duration veryLateBy = Duration.ofMinutes(10);
        private Instant startTime = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        private Duration eventSpacing;

        private Builder() {
        }

        public Builder port(int port) { this.port = port; return this; }
        public Builder seed(long seed) { this.seed = seed; return this; }
        public Builder rate(double rate) { this.rate = rate; return this; }
        public Builder count(long count) { this.count = count; return this; }
        public Builder duration(Duration duration) { this.duration = duration; return this; }
        public Builder format(LineFormat format) { this.format = format; return this; }
        public Builder products(int products) { this.products = products; return this; }
        public Builder regions(int regions) { this.regions = regions; return this; }
        public Builder states(int states) { this.states = states; return this; }
        public Builder customers(int customers) { this.customers = customers; return this; }
        public Builder skew(double skew) { this.skew = skew; return this; }
        public Builder malformedShare(double malformedShare) { this.malformedShare = malformedShare; return this; }
        public Builder lateShare(double lateShare) { this.lateShare = lateShare; return this; }
        public Builder lateBy(Duration lateBy) { this.lateBy = lateBy; return this; }
        public Builder veryLateShare(double veryLateShare) { this.veryLateShare = veryLateShare; return this; }
        public Builder veryLateBy(Duration veryLateBy) { this.veryLateBy = veryLateBy; return this; }
        public Builder startTime(Instant startTime) { this.startTime = startTime; return this; }
        public Builder eventSpacing(Duration eventSpacing) { this.eventSpacing = eventSpacing; return this; }

        public GeneratorSettings build() {
            return new GeneratorSettings(port, seed, rate, count, duration, format, products, regions, states,
                    customers, skew, malformedShare, lateShare, lateBy, veryLateShare, veryLateBy, startTime,
                    eventSpacing);
        }
    }
}
