package io.streamcontrol.localserver;

/** Command-line options of the local servers' main methods ({@code --option value}). */
public final class Arguments {

    private Arguments() {
    }

    /** The value after {@code option} at {@code args[i]}; fails if it is missing or is the next option. */
    public static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** A port number 0-65535 (0: a free one). */
    public static int port(String value, String option) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a port number 0-65535, not '" + value + "'");
    }
}
