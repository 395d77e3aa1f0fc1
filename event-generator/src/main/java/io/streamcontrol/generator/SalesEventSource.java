package io.streamcontrol.generator;

import io.streamcontrol.contract.events.SalesEvent;
import io.streamcontrol.contract.settings.LineFormat;
import io.streamcontrol.generator.GeneratedLine.Kind;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

    private static final byte[][] STATE_BYTES =
            US_STATES.stream().map(state -> state.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
    private static final byte[] CUSTOMER = "Customer ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] QUOTE = {'"'};
    private static final byte[] NOTHING = {};
    private static final int GARBAGE_MAX_LENGTH = 120;
    private static final Duration LONGEST_NANOS = Duration.ofNanos(Long.MAX_VALUE);

    private enum Malformation { MISSING_FIELD, BAD_NUMBER, NEGATIVE_QUANTITY, GARBAGE, TOO_LONG }

    private final GeneratorSettings settings;
    private final ZipfSampler products;
    private final ZipfSampler states;
    private final ZipfSampler customers;
    private final int productKeyDigits;
    private final long eventSpacingNanos;
    /** What {@link SalesEvent#format} puts before each field and after the last, and around strings. */
    private final byte[][] separators = new byte[SalesEvent.FIELDS.length][];
    private final byte[] end;
    private final byte[] quote;

    public SalesEventSource(GeneratorSettings settings) {
        this.settings = settings;
        this.products = new ZipfSampler(settings.products(), settings.skew());
        this.states = new ZipfSampler(settings.states(), settings.skew());
        this.customers = new ZipfSampler(settings.customers(), settings.skew());
        this.productKeyDigits = Math.max(4, Integer.toString(settings.products() - 1).length());
        this.eventSpacingNanos = settings.eventSpacing().compareTo(LONGEST_NANOS) <= 0
                ? settings.eventSpacing().toNanos() : 0;
        boolean json = settings.format() == LineFormat.JSON;
        for (int i = 0; i < separators.length; i++) {
            String separator = json ? (i == 0 ? "{" : ",") + "\"" + SalesEvent.FIELDS[i] + "\":" : i == 0 ? "" : ",";
            separators[i] = separator.getBytes(StandardCharsets.US_ASCII);
        }
        this.end = json ? "}".getBytes(StandardCharsets.US_ASCII) : NOTHING;
        this.quote = json ? QUOTE : NOTHING;
    }

    public GeneratorSettings settings() {
        return settings;
    }

    /** The order_time of event {@code n} before any lateness shift. */
    public Instant normalOrderTime(long n) {
        if (eventSpacingNanos > 0 && n <= Long.MAX_VALUE / eventSpacingNanos) {
            return settings.startTime().plusNanos(eventSpacingNanos * n); // exact, as below, without BigDecimal
        }
        return settings.startTime().plus(settings.eventSpacing().multipliedBy(n));
    }

    /** The product key of product index {@code index}, e.g. P0007. */
    public String productKey(int index) {
        String digits = Integer.toString(index);
        return "P" + "0".repeat(Math.max(0, productKeyDigits - digits.length())) + digits;
    }

    public GeneratedLine line(long n) {
        Draw draw = draw(n);
        SalesEvent event = event(draw);
        if (draw.kind() == Kind.MALFORMED) {
            return new GeneratedLine(n, draw.kind(), malformedPayload(event, draw.random()), null);
        }
        return new GeneratedLine(n, draw.kind(), event.format(settings.format()), event);
    }

    /**
     * Appends {@code line(n).payload()} in UTF-8, byte for byte, without building the event's objects and strings
     * (except for malformed lines).
     */
    void appendPayload(long n, LineBuffer out) {
        Draw draw = draw(n);
        if (draw.kind() == Kind.MALFORMED) {
            out.append(malformedPayload(event(draw), draw.random()));
            return;
        }
        out.append(separators[0]).append(n);
        out.append(separators[1]).append(quote).appendInstant(draw.orderTime()).append(quote);
        out.append(separators[2]).append(draw.quantity());
        out.append(separators[3]).appendDecimal(draw.discountPctHundredths(), 2);
        out.append(separators[4]).appendDecimal(draw.rateCents(), 2);
        out.append(separators[5]).appendDecimal(draw.saleAmountCents(), 2);
        out.append(separators[6]).append(quote).append(CUSTOMER).append(draw.customer()).append(quote);
        out.append(separators[7]).append(quote).append(STATE_BYTES[draw.stateIndex()]).append(quote);
        out.append(separators[8]).append(quote).append('R').append(region(draw.stateIndex())).append(quote);
        out.append(separators[9]).append(quote).append('P').appendPadded(draw.product(), productKeyDigits)
                .append(quote);
        out.append(separators[10]).appendDecimal(draw.profitMarginUnits(), 4);
        out.append(end);
    }

    /** What event {@code n} is, as primitives; the random stream is left where the malformed variants go on. */
    private Draw draw(long n) {
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
        int quantity = random.nextInt(1, 21);
        long rateCents = random.nextLong(500, 50_001);
        long discountPctHundredths = random.nextLong(0, 3_001);
        long profitMarginUnits = random.nextLong(500, 4_001);
        int stateIndex = states.sample(random);
        int customer = customers.sample(random);
        int product = products.sample(random);
        return new Draw(n, kind, orderTime, quantity, rateCents, discountPctHundredths, profitMarginUnits,
                stateIndex, customer, product, random);
    }

    /**
     * Event n in primitive form: rate and discount_pct in hundredths, profit_margin in ten-thousandths.
     *
     * @param random positioned after the event's draws
     */
    private record Draw(long n, Kind kind, Instant orderTime, int quantity, long rateCents,
            long discountPctHundredths, long profitMarginUnits, int stateIndex, int customer, int product,
            SplittableRandom random) {

        long saleAmountCents() {
            return SalesEventSource.saleAmountCents(quantity, rateCents, discountPctHundredths);
        }
    }

    private SalesEvent event(Draw d) {
        return new SalesEvent(d.n(), d.orderTime(), d.quantity(), BigDecimal.valueOf(d.discountPctHundredths(), 2),
                BigDecimal.valueOf(d.rateCents(), 2), BigDecimal.valueOf(d.saleAmountCents(), 2),
                "Customer " + d.customer(), US_STATES.get(d.stateIndex()), "R" + region(d.stateIndex()),
                productKey(d.product()), BigDecimal.valueOf(d.profitMarginUnits(), 4));
    }

    private int region(int stateIndex) {
        return stateIndex % settings.regions() + 1;
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

    /** quantity * rate * (1 - discountPct / 100) in cents, rounded half-up; rate in cents, discountPct in hundredths. */
    static long saleAmountCents(int quantity, long rateCents, long discountPctHundredths) {
        // exact in millionths: rate (1/100) * quantity * kept share (1/10000); never negative
        long millionths = rateCents * quantity * (10_000 - discountPctHundredths);
        return (millionths + 5_000) / 10_000;
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
