package io.streamcontrol.contract.settings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One setting of the streaming job, declared once (in {@link JobSettings}): its name ({@code --name} on the job's
 * command line, the camel-case field of the service's REST body), its default, how its text is read and checked, what
 * it is for, and what changing it takes. The job's parser, its help, the service's validation, defaults and refusals,
 * and the arguments of a launch are derived from the declarations; the README's table and the OpenAPI schema are
 * tested against them.
 *
 * @param <T> the type of its value
 */
public final class Setting<T> {

    /** Reads a setting's trimmed text into its value; a value it refuses throws {@link InvalidSettingException}. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(String name, String text);
    }

    /** What a running job needs to take a new value of a setting. */
    public enum Change {
        /** The running driver restarts its streaming context with it: it is read when a streaming context is built. */
        CONTEXT,
        /** A new driver: the value is part of the driver's Spark configuration, its connection or its identity. */
        DRIVER
    }

    private final String name;
    private final String defaultText;
    private final String description;
    private final Reader<T> reader;
    private final Writer<T> writer;
    private final List<String> choices;
    private final boolean list;
    private final Change change;
    private final boolean computation;
    private final String fixedBecause;
    private final boolean setByService;

    @FunctionalInterface
    private interface Writer<T> {
        String write(T value);
    }

    private Setting(String name, String defaultText, String description, Reader<T> reader, Writer<T> writer,
            List<String> choices, boolean list, Change change, boolean computation, String fixedBecause,
            boolean setByService) {
        this.name = name;
        this.defaultText = defaultText;
        this.description = description;
        this.reader = reader;
        this.writer = writer;
        this.choices = List.copyOf(choices);
        this.list = list;
        this.change = change;
        this.computation = computation;
        this.fixedBecause = fixedBecause;
        this.setByService = setByService;
    }

    private static <T> Setting<T> of(String name, String defaultText, Reader<T> reader, Writer<T> writer,
            List<String> choices) {
        return new Setting<>(name, defaultText, "", reader, writer, choices, false, Change.DRIVER, false, null, false);
    }

    // ---- the kinds of settings

    /** Free text that must match {@code pattern} (whole). */
    public static Setting<String> text(String name, String defaultText, Pattern pattern) {
        return of(name, defaultText, (n, value) -> {
            if (!pattern.matcher(value).matches()) {
                throw new InvalidSettingException(n, "'" + value + "' must match " + pattern.pattern());
            }
            return value;
        }, value -> value, List.of());
    }

    public static Setting<Integer> integer(String name, String defaultText, int min, int max) {
        return of(name, defaultText, (n, value) -> (int) longIn(n, value, min, max), String::valueOf, List.of());
    }

    public static Setting<Long> longInteger(String name, String defaultText, long min, long max) {
        return of(name, defaultText, (n, value) -> longIn(n, value, min, max), String::valueOf, List.of());
    }

    public static Setting<Boolean> bool(String name, String defaultText) {
        return of(name, defaultText, (n, text) -> {
            String value = text.toLowerCase(Locale.ROOT);
            if (!value.equals("true") && !value.equals("false")) {
                throw new InvalidSettingException(n, "'" + value + "' must be true or false");
            }
            return Boolean.parseBoolean(value);
        }, String::valueOf, List.of("true", "false"));
    }

    /** A duration ({@link Durations}: {@code 500ms}, {@code 5s}, {@code 1m}, ...) within [min, max]. */
    public static Setting<Duration> duration(String name, String defaultText, Duration min, Duration max) {
        return of(name, defaultText, (n, text) -> {
            Duration value = parsed(n, text, Durations::parse);
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new InvalidSettingException(n, Durations.format(value) + " is outside "
                        + Durations.format(min) + ".." + Durations.format(max));
            }
            return value;
        }, Durations::format, List.of());
    }

    /** One constant of {@code type}, written in lower case. */
    public static <E extends Enum<E>> Setting<E> choice(String name, String defaultText, Class<E> type) {
        return of(name, defaultText, (n, value) -> constant(n, value, type),
                value -> value.name().toLowerCase(Locale.ROOT), lowerCaseNames(type));
    }

    /** Distinct constants of {@code type}, comma separated, in the order given. */
    public static <E extends Enum<E>> Setting<List<E>> choices(String name, String defaultText, Class<E> type) {
        return of(name, defaultText, (n, text) -> {
            List<E> values = new ArrayList<>();
            for (String part : text.split(",")) {
                E value = constant(n, part.trim(), type);
                if (values.contains(value)) {
                    throw new InvalidSettingException(n, "lists " + part.trim() + " twice");
                }
                values.add(value);
            }
            return List.copyOf(values);
        }, values -> String.join(",", values.stream().map(v -> v.name().toLowerCase(Locale.ROOT)).toList()),
                lowerCaseNames(type)).asList();
    }

    /** Its text is a comma-separated list (an array in the service's REST body). */
    private Setting<T> asList() {
        return new Setting<>(name, defaultText, description, reader, writer, choices, true, change, computation,
                fixedBecause, setByService);
    }

    /** One of {@code allowed} (upper case; given in any case). */
    public static Setting<String> oneOf(String name, String defaultText, List<String> allowed) {
        return of(name, defaultText, (n, text) -> {
            String value = text.toUpperCase(Locale.ROOT);
            if (!allowed.contains(value)) {
                throw new InvalidSettingException(n, "'" + value + "' must be one of " + String.join(", ", allowed));
            }
            return value;
        }, value -> value, allowed);
    }

    /** A setting read by {@code reader} and written back as text by {@code writer}. */
    public static <T> Setting<T> custom(String name, String defaultText, Reader<T> reader,
            Function<T, String> writer) {
        return of(name, defaultText, reader, writer::apply, List.of());
    }

    // ---- what a declaration adds to its kind

    /** What the setting is for: the job's help, the README's table. */
    public Setting<T> doc(String text) {
        return new Setting<>(name, defaultText, text, reader, writer, choices, list, change, computation,
                fixedBecause, setByService);
    }

    /** A running driver takes a new value by restarting its streaming context ({@link Change#CONTEXT}). */
    public Setting<T> takenInPlace() {
        return new Setting<>(name, defaultText, description, reader, writer, choices, list, Change.CONTEXT,
                computation, fixedBecause, setByService);
    }

    /** Batches processed with another value make other rows from the same lines: the rollup state is rebuilt. */
    public Setting<T> computation() {
        return new Setting<>(name, defaultText, description, reader, writer, choices, list, change, true,
                fixedBecause, setByService);
    }

    /** An existing job keeps its value for good, {@code because}: the service refuses to change it. */
    public Setting<T> fixed(String because) {
        return new Setting<>(name, defaultText, description, reader, writer, choices, list, change, computation,
                because, setByService);
    }

    /** The service sets it at each launch (its own connection, the job's name, the launch): callers cannot. */
    public Setting<T> setByService() {
        return new Setting<>(name, defaultText, description, reader, writer, choices, list, change, computation,
                fixedBecause, true);
    }

    // ---- reading and writing values

    /**
     * The value of this setting given as {@code text} (null: not given, so its default).
     *
     * @throws InvalidSettingException naming the setting when the text is refused, or when a required setting is
     *                                 missing
     */
    public T read(String text) {
        String value = text != null ? text : defaultText;
        if (value == null) {
            throw new InvalidSettingException(name, "is required");
        }
        return reader.read(name, value.trim());
    }

    /** The value as its argument text: reading it gives the value back. */
    public String write(T value) {
        return writer.write(value);
    }

    /** {@link #write} of a value known to be of this setting's type. */
    @SuppressWarnings("unchecked")
    String writeAny(Object value) {
        return writer.write((T) value);
    }

    public String name() {
        return name;
    }

    /** The default as text; null when the setting is required. */
    public String defaultText() {
        return defaultText;
    }

    public boolean required() {
        return defaultText == null;
    }

    public String description() {
        return description;
    }

    /** The values it accepts, when they are a fixed list (lower case for constants); empty otherwise. */
    public List<String> choices() {
        return choices;
    }

    /** Whether its text is a comma-separated list (an array in the service's REST body). */
    public boolean isList() {
        return list;
    }

    public Change change() {
        return change;
    }

    /** Whether a change makes other rows from the same lines (the rollup state is rebuilt from the tables). */
    public boolean isComputation() {
        return computation;
    }

    /** Why an existing job can never change it; null when it can. */
    public String fixedBecause() {
        return fixedBecause;
    }

    public boolean isSetByService() {
        return setByService;
    }

    /** The name of the setting's field in the service's REST body: {@code top-n-window} is {@code topNWindow}. */
    public String fieldName() {
        return fieldName(name);
    }

    /** The REST field of the setting named {@code name}: {@code top-n-window} is {@code topNWindow}. */
    public static String fieldName(String name) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : name.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "--" + name;
    }

    // ---- shared by the kinds

    /** {@code parser}'s value of {@code value}; what it throws becomes an {@link InvalidSettingException}. */
    static <T> T parsed(String name, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (InvalidSettingException e) {
            throw e;
        } catch (RuntimeException e) {
            String why = e instanceof NumberFormatException ? "is not a number"
                    : e.getMessage() == null ? "is not valid" : e.getMessage();
            throw new InvalidSettingException(name, "'" + value + "' " + why);
        }
    }

    static long longIn(String name, String text, long min, long max) {
        long value = parsed(name, text, Long::parseLong);
        if (value < min || value > max) {
            throw new InvalidSettingException(name, value + " is outside " + min + ".." + max);
        }
        return value;
    }

    private static <E extends Enum<E>> E constant(String name, String value, Class<E> type) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(name, "'" + value + "' must be one of "
                    + String.join(", ", lowerCaseNames(type)));
        }
    }

    private static <E extends Enum<E>> List<String> lowerCaseNames(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
    }
}
