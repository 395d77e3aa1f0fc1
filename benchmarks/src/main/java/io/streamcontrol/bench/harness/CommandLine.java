package io.streamcontrol.bench.harness;

import io.streamcontrol.contract.settings.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** The benchmarks' command lines: {@code --option value} pairs and value-less flags, checked before anything runs. */
public final class CommandLine {

    private CommandLine() {
    }

    /** One option as given; a flag has no value. */
    public record Option(String name, String value) {

        /** The value read by {@code parse}; a value it cannot read is an IllegalArgumentException naming the option. */
        public <T> T as(Function<String, T> parse) {
            try {
                return parse.apply(value);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(name + ": cannot read '" + value + "'");
            }
        }

        public int asInt() {
            return as(Integer::parseInt);
        }

        public long asLong() {
            return as(Long::parseLong);
        }

        public Duration asDuration() {
            return as(Durations::parse);
        }

        public Path asPath() {
            return as(Path::of);
        }

        public boolean asBoolean() {
            return as(v -> switch (v) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException();
            });
        }

        public IllegalArgumentException unknown() {
            return new IllegalArgumentException("unknown option " + name);
        }
    }

    /** The options in order; every argument not in {@code flags} takes the next one as its value. */
    public static List<Option> options(String[] args, Set<String> flags) {
        List<Option> options = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (flags.contains(name)) {
                options.add(new Option(name, null));
            } else if (i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown option or missing value: " + name);
            } else {
                options.add(new Option(name, args[++i]));
            }
        }
        return options;
    }

    public static void check(boolean valid, String message) {
        if (!valid) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * For a benchmark's main: the parsed options; null after printing the usage for --help; a usage error prints the
     * message and the usage and exits with 2.
     */
    public static <T> T parseOrExit(String[] args, String benchmark, String usage, Function<String[], T> parse) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(usage);
            return null;
        }
        try {
            return parse.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println(benchmark + ": " + e.getMessage());
            System.err.println(usage);
            System.exit(2);
            return null;
        }
    }
}
