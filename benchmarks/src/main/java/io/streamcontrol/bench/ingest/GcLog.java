package io.streamcontrol.bench.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The driver's GC log, written by {@code -Xlog:gc:file=<path>:timemillis,uptimemillis,level,tags} ({@link #OPTION}):
 * one line per collection with the heap before and after it and the pause, e.g.
 * {@code [1796569201238ms][1159ms][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 6M->3M(64M) 41.596ms}.
 */
final class GcLog {

    /** The JVM option that writes the log this class reads. */
    static String option(Path file) {
        return "-Xlog:gc:file=" + file + ":timemillis,uptimemillis,level,tags";
    }

    static final String OPTION = "-Xlog:gc:file=<path>:timemillis,uptimemillis,level,tags";

    private static final Pattern PAUSE = Pattern.compile(
            "^\\[(\\d+)ms\\].*\\[gc\\s*\\] GC\\((\\d+)\\) (Pause .+?) (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\) ([\\d.]+)ms$");

    /** One stop-the-world collection: wall-clock time (epoch ms), heap before/after/committed in MB, pause in ms. */
    record Pause(long atMillis, long id, String kind, double beforeMb, double afterMb, double committedMb,
            double pauseMs) {
        boolean full() {
            return kind.startsWith("Pause Full");
        }
    }

    /** What the driver's GC did within a window. */
    record Summary(int pauses, int fullPauses, double pauseMs, double maxPauseMs, double heapAfterFirstMb,
            double heapAfterLastMb, double heapAfterMinMb, double heapAfterMaxMb, Trend heapAfter, long windowMs) {

        /** The share of the window the driver spent in GC pauses. */
        double pauseShare() {
            return windowMs <= 0 ? Double.NaN : pauseMs / windowMs;
        }

        /** The fitted heap-after-GC growth, MB per minute (NaN with fewer than two collections). */
        double heapAfterMbPerMinute() {
            return heapAfter.slope() * 60_000;
        }

        boolean isEmpty() {
            return pauses == 0;
        }
    }

    private GcLog() {
    }

    static List<Pause> parse(List<String> lines) {
        List<Pause> pauses = new ArrayList<>();
        for (String line : lines) {
            Matcher m = PAUSE.matcher(line.strip());
            if (m.matches()) {
                pauses.add(new Pause(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(3),
                        mb(m.group(4), m.group(5)), mb(m.group(6), m.group(7)), mb(m.group(8), m.group(9)),
                        Double.parseDouble(m.group(10))));
            }
        }
        return pauses;
    }

    /** The pauses of a log file; empty when it does not exist (yet). */
    static List<Pause> read(Path file) throws IOException {
        return Files.exists(file) ? parse(Files.readAllLines(file)) : List.of();
    }

    /** The collections whose pause started in [from, to]. */
    static Summary summarize(List<Pause> all, long from, long to) {
        List<Pause> window = all.stream().filter(p -> p.atMillis() >= from && p.atMillis() <= to).toList();
        double[] x = window.stream().mapToDouble(Pause::atMillis).toArray();
        double[] y = window.stream().mapToDouble(Pause::afterMb).toArray();
        return new Summary(window.size(),
                (int) window.stream().filter(Pause::full).count(),
                window.stream().mapToDouble(Pause::pauseMs).sum(),
                window.stream().mapToDouble(Pause::pauseMs).max().orElse(0),
                window.isEmpty() ? Double.NaN : window.get(0).afterMb(),
                window.isEmpty() ? Double.NaN : window.get(window.size() - 1).afterMb(),
                window.stream().mapToDouble(Pause::afterMb).min().orElse(Double.NaN),
                window.stream().mapToDouble(Pause::afterMb).max().orElse(Double.NaN),
                Trend.fit(x, y),
                to - from);
    }

    private static double mb(String value, String unit) {
        double v = Double.parseDouble(value);
        return switch (unit) {
            case "K" -> v / 1024;
            case "G" -> v * 1024;
            default -> v;
        };
    }
}
