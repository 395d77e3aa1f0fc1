package io.streamcontrol.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/** What the benchmarks' reports say about the machine they ran on: CPUs, memory, JDK, load, Cassandra's version. */
public final class Machine {

    private Machine() {
    }

    /** CPUs, memory and JDK on one line. */
    public static String summary() {
        return String.format(Locale.ROOT, "%d CPUs, %s RAM, %s %s (%s)", Runtime.getRuntime().availableProcessors(),
                memTotal(), System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("java.home"));
    }

    public static String memTotal() {
        return procLine("/proc/meminfo", "MemTotal:").map(l -> String.format(Locale.ROOT, "%.1f GiB",
                Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0)).orElse("? GiB");
    }

    public static String cpuModel() {
        return procLine("/proc/cpuinfo", "model name").map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
    }

    private static Optional<String> procLine(String file, String prefix) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(prefix)).findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public static boolean busy(String loadAverage) {
        try {
            return Double.parseDouble(loadAverage) > Runtime.getRuntime().availableProcessors() / 2.0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The 1-minute load average. */
    public static String loadAverage() {
        return loadAverages().split(" ")[0];
    }

    /** The 1, 5 and 15-minute load averages, space separated. */
    public static String loadAverages() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "? ? ?";
        }
    }

    public static String cassandraVersion() {
        Properties properties = new Properties();
        try (InputStream in = Machine.class.getResourceAsStream("/local-cassandra.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // unknown then
        }
        return properties.getProperty("cassandra.version", "?");
    }
}
