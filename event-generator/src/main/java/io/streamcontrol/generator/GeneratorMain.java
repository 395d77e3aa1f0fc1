package io.streamcontrol.generator;

import io.streamcontrol.contract.settings.Durations;
import io.streamcontrol.contract.settings.LineFormat;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Command line entry point: runs a {@link GeneratorServer} until SIGINT/SIGTERM. */
public final class GeneratorMain {

    static final String USAGE = """
            usage: java -cp streaming-job.jar io.streamcontrol.generator.GeneratorMain [option value]...
              --port 9999              TCP port on 127.0.0.1 (0 = any free port)
              --seed 42                event N is a pure function of seed, N and these options
              --rate 1000              total events/s over all connections (0 = as fast as possible)
              --count -1               total events (-1 = unlimited)
              --duration 0             emitting time per connection, e.g. 10m (0 = unlimited)
              --format csv             csv or json
              --products 100           --regions 5   --states 50   --customers 10000
              --skew 1.0               Zipf exponent over products, states, customers (0 = uniform)
              --malformed-share 0.01   --late-share 0.02   --late-by 20s
              --very-late-share 0.005  --very-late-by 10m
              --start-time <now>       ISO instant, e.g. 2026-01-01T00:00:00Z (default: now, whole seconds)
              --event-spacing <1s/rate> order_time step between events (1ms when rate is 0)
            durations: 500ms, 20s, 10m, 2h (or 0)""";

    static final Duration SUMMARY_INTERVAL = Duration.ofSeconds(10);

    private GeneratorMain() {
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(USAGE);
            return;
        }
        GeneratorSettings settings;
        try {
            settings = parseArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println("generator: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        GeneratorServer server = new GeneratorServer(settings);
        try {
            server.start();
        } catch (IOException e) {
            System.err.println("generator: cannot listen on 127.0.0.1:" + settings.port() + ": " + e.getMessage());
            System.exit(1);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            System.err.println("generator: stopped after " + server.emitted() + " lines");
        }, "generator-shutdown"));
        System.err.println("generator: " + settings);
        System.out.println("GENERATOR_READY port=" + server.port());
        System.out.flush();
        logSummariesWhileOpen(server);
    }

    private static void logSummariesWhileOpen(GeneratorServer server) {
        long previous = 0;
        while (server.isOpen()) {
            try {
                Thread.sleep(SUMMARY_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            long emitted = server.emitted();
            System.err.printf(Locale.ROOT, "generator: emitted=%d connections=%d rate=%.0f/s%n", emitted,
                    server.connections(), (emitted - previous) / (double) SUMMARY_INTERVAL.toSeconds());
            previous = emitted;
        }
    }

    /** The settings for these options; an {@link IllegalArgumentException} naming the option when one is bad. */
    static GeneratorSettings parseArgs(String... args) {
        GeneratorSettings.Builder builder = GeneratorSettings.builder();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option.startsWith("--")
                        ? "option " + option + " needs a value" : "unexpected argument " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--port" -> builder.port(parse(option, value, Integer::parseInt));
                case "--seed" -> builder.seed(parse(option, value, Long::parseLong));
                case "--rate" -> builder.rate(parse(option, value, Double::parseDouble));
                case "--count" -> builder.count(parse(option, value, Long::parseLong));
                case "--duration" -> builder.duration(parse(option, value, GeneratorMain::parseDuration));
                case "--format" -> builder.format(parse(option, value, GeneratorMain::parseFormat));
                case "--products" -> builder.products(parse(option, value, Integer::parseInt));
                case "--regions" -> builder.regions(parse(option, value, Integer::parseInt));
                case "--states" -> builder.states(parse(option, value, Integer::parseInt));
                case "--customers" -> builder.customers(parse(option, value, Integer::parseInt));
                case "--skew" -> builder.skew(parse(option, value, Double::parseDouble));
                case "--malformed-share" -> builder.malformedShare(parse(option, value, Double::parseDouble));
                case "--late-share" -> builder.lateShare(parse(option, value, Double::parseDouble));
                case "--late-by" -> builder.lateBy(parse(option, value, GeneratorMain::parseDuration));
                case "--very-late-share" -> builder.veryLateShare(parse(option, value, Double::parseDouble));
                case "--very-late-by" -> builder.veryLateBy(parse(option, value, GeneratorMain::parseDuration));
                case "--start-time" -> builder.startTime(parse(option, value, Instant::parse));
                case "--event-spacing" -> builder.eventSpacing(parse(option, value, GeneratorMain::parseDuration));
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        try {
            return builder.build();
        } catch (GeneratorSettings.InvalidSetting e) {
            throw new IllegalArgumentException(
                    String.join(" + ", e.settings.stream().map(GeneratorMain::optionName).toList()) + " " + e.reason);
        }
    }

    private static <T> T parse(String option, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("option " + option + ": cannot read '" + value + "'"
                    + (e.getMessage() == null || e instanceof NumberFormatException ? "" : ": " + e.getMessage()));
        }
    }

    /** 500ms, 20s, 10m, 2h, or 0; the job's duration form without days. */
    static Duration parseDuration(String text) {
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        if (text.endsWith("d")) {
            throw new IllegalArgumentException("expected a duration like 500ms, 20s, 10m or 2h");
        }
        return Durations.parse(text);
    }

    private static LineFormat parseFormat(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "csv" -> LineFormat.CSV;
            case "json" -> LineFormat.JSON;
            default -> throw new IllegalArgumentException("expected csv or json");
        };
    }

    /** lateBy -> --late-by */
    static String optionName(String setting) {
        return "--" + setting.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }
}
