package io.streamcontrol.generator;

import io.streamcontrol.contract.settings.LineFormat;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/**
 * Prints what one generator connection costs, measured rather than asserted: the most lines per second it emits to a
 * reader that discards them, the CPU time of its emitting thread per line, and how many lines a client's read
 * carries. Not a test (timings depend on the machine); run its {@code main} on the test class path.
 */
final class MeasureGeneratorEmission {

    private static final int READ_BUFFER_BYTES = 1 << 20;

    private MeasureGeneratorEmission() {
    }

    public static void main(String[] args) throws IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        threads.setThreadCpuTimeEnabled(true);
        for (int i = 0; i < 2; i++) { // until the JIT compiled both formats' paths
            measure("warm-up", LineFormat.CSV, 0, 1_000_000);
            measure("warm-up", LineFormat.JSON, 0, 1_000_000);
        }
        measure("max, csv", LineFormat.CSV, 0, 2_000_000);
        measure("max, json", LineFormat.JSON, 0, 2_000_000);
        measure("50000/s, csv", LineFormat.CSV, 50_000, 150_000);
        measure("10000/s, csv", LineFormat.CSV, 10_000, 30_000);
        measureLines(LineFormat.CSV, 2_000_000);
        measureLines(LineFormat.JSON, 2_000_000);
    }

    /** CPU time of {@link SalesEventSource#line} alone, the public way to get a payload. */
    private static void measureLines(LineFormat format, long count) {
        SalesEventSource source = new SalesEventSource(GeneratorSettings.builder().format(format)
                .startTime(Instant.parse("2026-01-01T00:00:00Z")).build());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long begin = threads.getCurrentThreadCpuTime();
        long chars = 0;
        for (long n = 0; n < count; n++) {
            chars += source.line(n).payload().length();
        }
        System.out.printf(Locale.ROOT, "line(n), %-5s %,10d lines, %,6.0f CPU-ns/line (%,d chars)%n",
                format.name().toLowerCase(Locale.ROOT), count,
                (threads.getCurrentThreadCpuTime() - begin) / (double) count, chars);
    }

    private static void measure(String name, LineFormat format, double rate, long count) throws IOException {
        GeneratorSettings settings = GeneratorSettings.builder().port(0).rate(rate).count(count).format(format)
                .startTime(Instant.parse("2026-01-01T00:00:00Z")).build();
        try (GeneratorServer server = new GeneratorServer(settings).start();
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            long begin = System.nanoTime();
            socket.getOutputStream().write("plain please\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[READ_BUFFER_BYTES];
            long lines = 0;
            long reads = 0;
            while (lines < count) {
                int read = in.read(buffer);
                if (read < 0) {
                    throw new IOException("the generator closed the connection after " + lines + " lines");
                }
                reads++;
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
            double seconds = (System.nanoTime() - begin) / 1e9;
            long cpuNanos = emittingThreadCpuNanos(socket.getLocalPort());
            System.out.printf(Locale.ROOT, "%-14s %,10d lines in %5.2f s = %,9.0f lines/s, %,6.0f CPU-ns/line, "
                    + "%,8.1f lines/read%n", name, lines, seconds, lines / seconds, cpuNanos / (double) lines,
                    lines / (double) reads);
        }
    }

    /** CPU time of the connection's thread, named after the client's port; it idles once it has emitted. */
    private static long emittingThreadCpuNanos(int clientPort) {
        String threadName = "generator-connection-" + clientPort;
        Thread thread = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(threadName)).findFirst().orElseThrow();
        return ManagementFactory.getThreadMXBean().getThreadCpuTime(thread.getId());
    }
}
