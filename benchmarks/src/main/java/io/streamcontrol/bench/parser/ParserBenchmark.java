package io.streamcontrol.bench.parser;

import io.streamcontrol.bench.harness.CommandLine;
import io.streamcontrol.bench.harness.Percentiles;
import io.streamcontrol.contract.events.SalesEvent;
import io.streamcontrol.contract.settings.LineFormat;
import io.streamcontrol.generator.GeneratorSettings;
import io.streamcontrol.generator.SalesEventSource;
import io.streamcontrol.job.event.LineParser;
import io.streamcontrol.testkit.ReferenceLineParser;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Set;
import java.util.function.Function;

/**
 * The job's {@link LineParser} against {@link ReferenceLineParser} (the parser before its rewrite, from the test
 * kit) on the generator's lines with its default shares (1% malformed, 2% late, 0.5% too late), CSV and JSON, in
 * this JVM and thread: both warmed up, then timed passes over all lines, the two parsers alternating (and taking turns
 * going first). Reports per parser the median time per line over the rounds and the bytes allocated per line (this
 * thread's allocation counter). Single-threaded and in-process: a figure of the parsing code only, not of the job.
 */
public final class ParserBenchmark {

    static final String USAGE = """
            Usage: run-parser-benchmark.sh [options]
              --lines N     generator lines per format (default 500000)
              --warmup N    untimed passes of each parser over the lines (default 5)
              --rounds N    timed passes of each parser, alternating (default 9)
              --seed N      generator seed (default 42)""";

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    record Options(int lines, int warmup, int rounds, long seed) {
        static Options parse(String[] args) {
            Options o = new Options(500_000, 5, 9, 42);
            for (CommandLine.Option option : CommandLine.options(args, Set.of())) {
                o = switch (option.name()) {
                    case "--lines" -> new Options(option.asInt(), o.warmup, o.rounds, o.seed);
                    case "--warmup" -> new Options(o.lines, option.asInt(), o.rounds, o.seed);
                    case "--rounds" -> new Options(o.lines, o.warmup, option.asInt(), o.seed);
                    case "--seed" -> new Options(o.lines, o.warmup, o.rounds, option.asLong());
                    default -> throw option.unknown();
                };
            }
            CommandLine.check(o.lines > 0, "--lines must be positive");
            CommandLine.check(o.warmup >= 0, "--warmup must not be negative");
            CommandLine.check(o.rounds > 0, "--rounds must be positive");
            return o;
        }
    }

    /** One timed pass: wall time and allocated bytes over all lines, and what the parser made of them. */
    record Pass(long nanos, long bytes, int accepted, long checksum) {
    }

    private ParserBenchmark() {
    }

    public static void main(String[] args) {
        Options options = CommandLine.parseOrExit(args, "parser benchmark", USAGE, Options::parse);
        if (options == null) {
            return;
        }
        System.out.printf("parser benchmark: %,d generator lines per format (seed %d, default shares), %d warmup passes,"
                + " %d timed rounds; %s, %d cpus, load average %.2f%n", options.lines, options.seed, options.warmup,
                options.rounds, Runtime.version(), Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        StringBuilder table = new StringBuilder(String.format("%n%-6s %-10s %12s %12s %12s %10s %10s%n",
                "format", "parser", "ns/line p50", "min", "max", "bytes/line", "accepted"));
        for (LineFormat format : LineFormat.values()) {
            table.append(measure(format, options));
        }
        System.out.print(table);
    }

    private static String measure(LineFormat format, Options options) {
        String[] lines = lines(format, options);
        ReferenceLineParser reference = new ReferenceLineParser(format, SalesEventSource.LONG_LINE_THRESHOLD);
        LineParser parser = new LineParser(format, SalesEventSource.LONG_LINE_THRESHOLD);
        Function<String, SalesEvent> referenceParse = line -> reference.parse(line).event();
        Function<String, SalesEvent> newParse = line -> parser.parse(line).event();
        for (int i = 0; i < options.warmup; i++) {
            pass(lines, referenceParse);
            pass(lines, newParse);
        }
        Pass[] referencePasses = new Pass[options.rounds];
        Pass[] newPasses = new Pass[options.rounds];
        for (int round = 0; round < options.rounds; round++) {
            if (round % 2 == 0) {
                referencePasses[round] = pass(lines, referenceParse);
                newPasses[round] = pass(lines, newParse);
            } else {
                newPasses[round] = pass(lines, newParse);
                referencePasses[round] = pass(lines, referenceParse);
            }
            if (referencePasses[round].accepted != newPasses[round].accepted
                    || referencePasses[round].checksum != newPasses[round].checksum) {
                throw new IllegalStateException(format + ": the parsers accepted different events");
            }
        }
        long referenceNanos = median(referencePasses, Pass::nanos);
        long newNanos = median(newPasses, Pass::nanos);
        double referenceBytes = (double) median(referencePasses, Pass::bytes) / lines.length;
        double newBytes = (double) median(newPasses, Pass::bytes) / lines.length;
        return row(format, "reference", referencePasses, lines.length)
                + row(format, "new", newPasses, lines.length)
                + String.format("%-6s %-10s %12s %12s %12s %10s%n", format, "ratio",
                        String.format("%.2fx faster", (double) referenceNanos / newNanos), "", "",
                        String.format("%.1fx less", referenceBytes / newBytes));
    }

    private static String[] lines(LineFormat format, Options options) {
        SalesEventSource source = new SalesEventSource(GeneratorSettings.builder().port(0).seed(options.seed)
                .format(format).startTime(Instant.parse("2026-01-01T00:00:00Z")).build());
        String[] lines = new String[options.lines];
        for (int n = 0; n < lines.length; n++) {
            lines[n] = source.line(n).payload();
        }
        return lines;
    }

    private static Pass pass(String[] lines, Function<String, SalesEvent> parse) {
        long thread = Thread.currentThread().getId();
        int accepted = 0;
        long checksum = 0;
        long bytesBefore = THREADS.getThreadAllocatedBytes(thread);
        long start = System.nanoTime();
        for (String line : lines) {
            SalesEvent event = parse.apply(line);
            if (event != null) {
                accepted++;
                checksum = checksum * 31 + event.orderId() + event.orderTime().getNano() + event.profitMargin().scale()
                        + event.productKey().length();
            }
        }
        long nanos = System.nanoTime() - start;
        long bytes = THREADS.getThreadAllocatedBytes(thread) - bytesBefore;
        return new Pass(nanos, bytes, accepted, checksum);
    }

    private static String row(LineFormat format, String parser, Pass[] passes, int lines) {
        long[] perLine = new long[passes.length];
        for (int i = 0; i < passes.length; i++) {
            perLine[i] = passes[i].nanos / lines;
        }
        Percentiles nanos = Percentiles.of(perLine);
        return String.format("%-6s %-10s %12d %12d %12d %10.0f %10d%n", format, parser, nanos.at(50), nanos.at(0),
                nanos.max(), (double) median(passes, Pass::bytes) / lines, passes[0].accepted);
    }

    private static long median(Pass[] passes, Function<Pass, Long> figure) {
        long[] values = new long[passes.length];
        for (int i = 0; i < passes.length; i++) {
            values[i] = figure.apply(passes[i]);
        }
        return Percentiles.of(values).at(50);
    }
}
