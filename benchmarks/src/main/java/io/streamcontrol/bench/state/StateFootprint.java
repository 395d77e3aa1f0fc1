package io.streamcontrol.bench.state;

import io.streamcontrol.bench.harness.CommandLine;
import io.streamcontrol.bench.harness.Markdown;
import io.streamcontrol.contract.events.SalesEvent;
import io.streamcontrol.contract.rollups.Dimension;
import io.streamcontrol.contract.settings.JobSettings;
import io.streamcontrol.generator.GeneratedLine;
import io.streamcontrol.generator.GeneratorSettings;
import io.streamcontrol.generator.SalesEventSource;
import io.streamcontrol.job.rollup.Analytics;
import io.streamcontrol.job.rollup.AnalyticsConfig;
import io.streamcontrol.job.rollup.AnalyticsInput;
import io.streamcontrol.job.rollup.AnalyticsState;
import io.streamcontrol.job.sequence.SourceState;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the job's rollup state ({@link AnalyticsState}, held by the driver) holds after each minute of input, with the
 * job's default settings and the generator's events at a given rate and number of products: keys, open buckets,
 * running totals, top-N slide sums, and the heap this JVM uses after a full GC. The events go through the job's own
 * {@link Analytics#aggregate} and {@link Analytics#apply} in batches of the batch interval, one source, as fast as
 * this JVM computes them (event time is simulated). No Cassandra, no Spark: a figure of the state's size only.
 */
public final class StateFootprint {

    static final String USAGE = """
            Usage: run-state-footprint.sh [options]
              --products N        distinct products (default 1000000)
              --rate N            events per second of event time (default 33800)
              --minutes N         minutes of event time (default 10)
              --batch-seconds N   event time per batch (default 5)
              --job-args "..."    job settings for the rollups, e.g. "--top-n-window 10m" (default: the job's)""";

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    record Options(int products, int rate, int minutes, int batchSeconds, List<String> jobArgs) {
        static Options parse(String[] args) {
            Options o = new Options(1_000_000, 33_800, 10, 5, List.of());
            for (CommandLine.Option option : CommandLine.options(args, Set.of())) {
                o = switch (option.name()) {
                    case "--products" -> new Options(option.asInt(), o.rate, o.minutes, o.batchSeconds, o.jobArgs);
                    case "--rate" -> new Options(o.products, option.asInt(), o.minutes, o.batchSeconds, o.jobArgs);
                    case "--minutes" -> new Options(o.products, o.rate, option.asInt(), o.batchSeconds, o.jobArgs);
                    case "--batch-seconds" -> new Options(o.products, o.rate, o.minutes, option.asInt(), o.jobArgs);
                    case "--job-args" -> new Options(o.products, o.rate, o.minutes, o.batchSeconds,
                            List.of(option.value().trim().split("\\s+")));
                    default -> throw option.unknown();
                };
            }
            CommandLine.check(o.products > 0 && o.rate > 0 && o.minutes > 0 && o.batchSeconds > 0
                    && 60 % o.batchSeconds == 0, "values must be positive, --batch-seconds a divisor of 60");
            return o;
        }
    }

    /** The state after one minute of input. */
    record Minute(int minute, int[] keys, int openBuckets, int totals, int slideSums, long heapAfterGcBytes,
            long computeMillis) {
    }

    private StateFootprint() {
    }

    public static void main(String[] args) {
        Options options = CommandLine.parseOrExit(args, "state footprint", USAGE, Options::parse);
        if (options == null) {
            return;
        }
        List<String> jobArgs = new ArrayList<>(List.of("--receivers", "1", "--checkpoint", "file:///nowhere")); // only the rollup settings are used
        jobArgs.addAll(options.jobArgs());
        AnalyticsConfig config = AnalyticsConfig.of(JobSettings.parse(jobArgs.toArray(String[]::new)));
        System.out.println(markdown(options, config, measure(options, config)));
    }

    static List<Minute> measure(Options options, AnalyticsConfig config) {
        SalesEventSource source = new SalesEventSource(GeneratorSettings.builder()
                .rate(options.rate()).products(options.products()).startTime(Instant.parse("2026-01-01T00:00:00Z"))
                .build());
        AnalyticsState state = AnalyticsState.empty();
        long perBatch = (long) options.rate() * options.batchSeconds();
        int batchesPerMinute = 60 / options.batchSeconds();
        long next = 0;
        long maxEventTime = SourceState.NONE;
        List<Minute> minutes = new ArrayList<>();
        for (int minute = 1; minute <= options.minutes(); minute++) {
            long started = System.nanoTime();
            for (int b = 0; b < batchesPerMinute; b++) {
                List<SalesEvent> events = new ArrayList<>((int) perBatch);
                for (long end = next + perBatch; next < end; next++) {
                    GeneratedLine line = source.line(next);
                    if (line.kind() != GeneratedLine.Kind.MALFORMED && line.kind() != GeneratedLine.Kind.VERY_LATE) {
                        events.add(line.event());
                        maxEventTime = Math.max(maxEventTime, line.event().orderTime().toEpochMilli());
                    }
                }
                List<AnalyticsInput> inputs = new ArrayList<>(Analytics.aggregate(events.iterator(), config));
                inputs.add(new AnalyticsInput.SourceProgress(new SourceState(0, next - 1, maxEventTime, next, 0, 0, 0)));
                Analytics.apply(state, inputs, config);
            }
            long computeMillis = (System.nanoTime() - started) / 1_000_000;
            System.gc();
            long heapAfterGc = MEMORY.getHeapMemoryUsage().getUsed();
            int[] keys = new int[Dimension.values().length];
            state.totals().keySet().forEach(k -> keys[k.dimension().ordinal()]++); // the view copies its entries: once
            Minute m = new Minute(minute, keys, state.buckets().size(), state.totals().size(), state.slideSums(),
                    heapAfterGc, computeMillis);
            minutes.add(m);
            System.err.printf(Locale.ROOT, "minute %d: %,d slide sums, %,d open buckets, heap after GC %,d MB%n",
                    minute, m.slideSums(), m.openBuckets(), m.heapAfterGcBytes() >> 20);
        }
        return minutes;
    }

    static String markdown(Options options, AnalyticsConfig config, List<Minute> minutes) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "# Rollup state footprint%n%n"
                + "%,d events/s of event time, %,d products, %d s batches, %d minutes; rollups: dimensions %s,"
                + " granularities %s, top-%d over %d min sliding by %d s, lateness %d s.%n%n",
                options.rate(), options.products(), options.batchSeconds(), options.minutes(), config.dimensions(),
                config.granularities(), config.topN(), config.windowMillis() / 60_000, config.slideMillis() / 1000,
                config.latenessMillis() / 1000));
        List<String> header = new ArrayList<>(List.of("minute"));
        for (Dimension d : Dimension.values()) {
            header.add(d.name().toLowerCase(Locale.ROOT) + " keys");
        }
        header.addAll(List.of("open buckets", "running totals", "top-N slide sums", "heap after full GC MB",
                "compute s"));
        List<List<String>> rows = new ArrayList<>();
        for (Minute m : minutes) {
            List<String> row = new ArrayList<>(List.of(String.valueOf(m.minute())));
            for (int k : m.keys()) {
                row.add(String.format(Locale.ROOT, "%,d", k));
            }
            row.addAll(List.of(String.format(Locale.ROOT, "%,d", m.openBuckets()),
                    String.format(Locale.ROOT, "%,d", m.totals()), String.format(Locale.ROOT, "%,d", m.slideSums()),
                    String.valueOf(m.heapAfterGcBytes() >> 20), String.format(Locale.ROOT, "%.1f", m.computeMillis() / 1000.0)));
            rows.add(row);
        }
        return out.append(Markdown.table(header, rows)).toString();
    }
}
