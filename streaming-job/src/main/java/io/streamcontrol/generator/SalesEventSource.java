package io.streamcontrol.generator;

import io.streamcontrol.generator.GeneratedLine.Kind;
import io.streamcontrol.job.event.LineFormat;
import io.streamcontrol.job.event.SalesEvent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The events of one generator run, without any IO: {@link #line(long)} depends only on the seed, the sequence and the
 * settings, never on other events, so tests can recompute what a run emitted. Thread-safe.
 */
public final class SalesEventSource {

    /** Sequences below this are always {@link Kind#VALID}, so every stream starts with some history. */
    public static final long ALWAYS_VALID_BELOW = 100;

    /** Malformed lines of the too-long kind are longer than this. */
    public static final int LONG_LINE_THRESHOLD = 10_000;

    /** The 50 US state codes, roughly by population, so that with skew the populous states come first. */
    static final List<String> US_STATES = List.of(
            "CA", "TX", "FL", "NY", "PA", "IL", "OH", "GA", "NC", "MI",
            "NJ", "VA", "WA", "AZ", "MA", "TN", "IN", "MD", "MO", "WI",
            "CO", "MN", "SC", "AL", "LA", "KY", "OR", "OK", "CT", "UT",
            "IA", "NV", "AR", "MS", "KS", "NM", "NE", "ID", "WV", "HI",
            "NH", "ME", "RI", "MT", "DE", "SD", "ND", "AK", "VT", "WY");

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final int GARBAGE_MAX_LENGTH = 120;

    private enum Malformation { MISSING_FIELD, BAD_NUMBER, NEGATIVE_QUANTITY, GARBAGE, TOO_LONG }

    private final GeneratorSettings settings;
    private final ZipfSampler products;
    private final ZipfSampler states;
    private final ZipfSampler customers;
    private final int productKeyDigits;

    public SalesEventSource(GeneratorSettings settings) {
        this.settings = settings;
        this.products = new ZipfSampler(settings.products(), settings.skew());
        this.states = new ZipfSampler(settings.states(), settings.skew());
        this.customers = new ZipfSampler(settings.customers(), settings.skew());
        this.productKeyDigits = Math.max(4, Integer.toString(settings.products() - 1).length());
    }

    public GeneratorSettings settings() {
        return settings;
    }

    /** The order_time of event {@code n} before any lateness shift. */
    public Instant normalOrderTime(long n) {
        return settings.startTime().plus(settings.eventSpacing().multipliedBy(n));
    }

    /** The product key of product index {@code index}, e.g. P0007. */
    public String productKey(int index) {
        String digits = Integer.toString(index);
        return "P" + "0".repeat(Math.max(0, productKeyDigits - digits.length())) + digits;
    }

    public GeneratedLine line(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("sequence must be >= 0, was " + n);
        }
        SplittableRandom random = new SplittableRandom(mix(settings.seed(), n));
        Kind kind = chooseKind(random.nextDouble());
        if (n < ALWAYS_VALID_BELOW) {
            kind = Kind.VALID;
        }
        Instant orderTime = switch (kind) {
            case LATE -> normalOrderTime(n).minus(settings.lateBy());
            case VERY_LATE -> normalOrderTime(n).minus(settings.veryLateBy());
            default -> normalOrderTime(n);
        };
        SalesEvent event = randomEvent(n, orderTime, random);
        if (kind == Kind.MALFORMED) {
            return new GeneratedLine(n, kind, malformedPayload(event, random), null);
        }
        return new GeneratedLine(n, kind, event.format(settings.format()), event);
    }

    private Kind chooseKind(double u) {
        if (u < settings.malformedShare()) {
            return Kind.MALFORMED;
        }
        if (u < settings.malformedShare() + settings.lateShare()) {
            return Kind.LATE;
        }
        if (u < settings.malformedShare() + settings.lateShare() + settings.veryLateShare()) {
            return Kind.VERY_LATE;
        }
        return Kind.VALID;
    }

    private SalesEvent randomEvent(long n, Instant orderTime, SplittableRandom random) {
        int quantity = random.nextInt(1, 21);
        BigDecimal rate = BigDecimal.valueOf(random.nextLong(500, 50_001), 2);
        BigDecimal discountPct = BigDecimal.valueOf(random.nextLong(0, 3_001), 2);
        BigDecimal profitMargin = BigDecimal.valueOf(random.nextLong(500, 4_001), 4);
        int stateIndex = states.sample(random);
        String region = "R" + (stateIndex % settings.regions() + 1);
        return new SalesEvent(n, orderTime, quantity, discountPct, rate, saleAmount(quantity, rate, discountPct),
                "Customer " + customers.sample(random), US_STATES.get(stateIndex), region,
                productKey(products.sample(random)), profitMargin);
    }

    /** quantity * rate * (1 - discountPct / 100), rounded half-up to cents. */
    public static BigDecimal saleAmount(int quantity, BigDecimal rate, BigDecimal discountPct) {
        BigDecimal keptShare = BigDecimal.ONE.subtract(discountPct.divide(HUNDRED));
        return rate.multiply(BigDecimal.valueOf(quantity)).multiply(keptShare).setScale(2, RoundingMode.HALF_UP);
    }

    private String malformedPayload(SalesEvent event, SplittableRandom random) {
        boolean csv = settings.format() == LineFormat.CSV;
        Malformation malformation = Malformation.values()[random.nextInt(Malformation.values().length)];
        return switch (malformation) {
            case MISSING_FIELD -> csv
                    ? withoutCsvColumn(event.toCsv(), 2)
                    : event.toJson().replace(",\"quantity\":" + event.quantity(), "");
            case BAD_NUMBER -> random.nextBoolean()
                    ? withBadNumber(event, csv, "quantity", 2, Integer.toString(event.quantity()))
                    : withBadNumber(event, csv, "sale_amount", 5, event.saleAmount().toPlainString());
            case NEGATIVE_QUANTITY -> withQuantity(event, -event.quantity()).format(settings.format());
            case GARBAGE -> garbage(random);
            case TOO_LONG -> "x".repeat(LONG_LINE_THRESHOLD + 1 + random.nextInt(1_000));
        };
    }

    private static String withoutCsvColumn(String csvLine, int column) {
        String[] columns = csvLine.split(",", -1);
        String[] kept = new String[columns.length - 1];
        System.arraycopy(columns, 0, kept, 0, column);
        System.arraycopy(columns, column + 1, kept, column, columns.length - column - 1);
        return String.join(",", kept);
    }

    /** The event's line with "abc" for one number; in JSON as a string where the number belongs. */
    private static String withBadNumber(SalesEvent event, boolean csv, String field, int column, String value) {
        if (csv) {
            String[] columns = event.toCsv().split(",", -1);
            columns[column] = "abc";
            return String.join(",", columns);
        }
        return event.toJson().replace("\"" + field + "\":" + value + ",", "\"" + field + "\":\"abc\",");
    }

    private static SalesEvent withQuantity(SalesEvent e, int quantity) {
        return new SalesEvent(e.orderId(), e.orderTime(), quantity, e.discountPct(), e.rate(), e.saleAmount(),
                e.customerName(), e.state(), e.region(), e.productKey(), e.profitMargin());
    }

    private static String garbage(SplittableRandom random) {
        char[] text = new char[1 + random.nextInt(GARBAGE_MAX_LENGTH)];
        for (int i = 0; i < text.length; i++) {
            text[i] = (char) random.nextInt(0x21, 0x7f); // printable ASCII, no spaces or line breaks
        }
        return new String(text);
    }

    /** SplitMix64's finalizer, so neighbouring sequences and seeds get unrelated random streams. */
    static long mix(long seed, long n) {
        long z = seed * 0x9E3779B97F4A7C15L + n;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
