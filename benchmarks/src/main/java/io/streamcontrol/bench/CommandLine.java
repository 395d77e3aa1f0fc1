package io.streamcontrol.bench;

import io.streamcontrol.contract.settings.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** The benchmarks' command lines: {@code --option value} pairs and value-less flags, checked before anything runs. */
final class CommandLine {

    private CommandLine() {
    }

    /** One option as given; a flag has no value. */
    record Option(String name, String value) {

        /** The value read by {@code parse}; a value it cannot read is an IllegalArgumentException naming the option. */
        <T> T as(Function<String, T> parse) {
            try {
                return parse.apply(value);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(name + ": cannot read '" + value + "'");
            }
        }

        int asInt() {
            return as(Integer::parseInt);
        }

        long asLong() {
            return as(Long::parseLong);
        }

        Duration asDuration() {
            return as(Durations::parse);
        }

        Path asPath() {
            return as(Path::of);
        }

        boolean asBoolean() {
            return as(v -> switch (v) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException();
            });
        }

        IllegalArgumentException unknown() {
            return new IllegalArgumentException("unknown option " + name);
        }
    }

    /** The options in order; every argument not in {@code flags} takes the next one as its value. */
    static List<Option> options(String[] args, Set<String> flags) {
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

    static void check(boolean valid, String message) {
        if (!valid) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * For a benchmark's main: the parsed options; null after printing the usage for --help; a usage error prints the
     * message and the usage and exits with 2.
     */
    static <T> T parseOrExit(String[] args, String benchmark, String usage, Function<String[], T> parse) {
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
