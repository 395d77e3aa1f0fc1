package io.streamcontrol.bench.ingest;

import io.streamcontrol.generator.GeneratorServer;
import java.util.Arrays;

/**
 * Samples {@link GeneratorServer#emitted()} against the wall clock, to tell when event n was sent and how far the
 * generator runs behind its event-time schedule ({@code startTime + n * eventSpacing}).
 *
 * <p>The generator paces each connection from the moment its receiver connects, so event n leaves about
 * {@code connect time - startTime} after its event time: the lag, constant while the job keeps up, growing when the
 * receivers stop reading and TCP pushes back.
 */
final class EmissionTimeline implements AutoCloseable {

    static final long SAMPLE_INTERVAL_MS = 20;

    private final GeneratorServer generator;
    private final long startTimeNanos;
    private final long spacingNanos;
    private final Thread sampler;
    private long[] times = new long[1024];
    private long[] counts = new long[1024];
    private int size;
    private volatile boolean closed;

    EmissionTimeline(GeneratorServer generator) {
        this.generator = generator;
        this.startTimeNanos = epochNanos(generator.settings().startTime());
        this.spacingNanos = generator.settings().eventSpacing().toNanos();
        this.sampler = new Thread(this::sample, "emission-timeline");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** The event time of event n, in epoch milliseconds. */
    long eventTimeMillis(long n) {
        return (startTimeNanos + n * spacingNanos) / 1_000_000;
    }

    /** The first event whose event time is at or after {@code epochMillis}. */
    long firstEventAtOrAfter(long epochMillis) {
        long offset = epochMillis * 1_000_000 - startTimeNanos;
        return offset <= 0 ? 0 : Math.floorDiv(offset + spacingNanos - 1, spacingNanos);
    }

    /** Events emitted so far. */
    long emitted() {
        return generator.emitted();
    }

    /**
     * When event n was sent, in epoch ms: interpolated between the samples before and after the count passed n.
     * With several connections, events are not emitted strictly in sequence order, so this is approximate.
     */
    synchronized long sentAtMillis(long n) {
        long needed = n + 1;
        int i = Arrays.binarySearch(counts, 0, size, needed);
        if (i < 0) {
            i = -i - 1;
        } else {
            while (i > 0 && counts[i - 1] == needed) {
                i--;
            }
        }
        if (i >= size) {
            return size == 0 ? System.currentTimeMillis() : times[size - 1];
        }
        if (i == 0) {
            return times[0];
        }
        double share = (needed - counts[i - 1]) / (double) (counts[i] - counts[i - 1]);
        return times[i - 1] + Math.round(share * (times[i] - times[i - 1]));
    }

    /** The lag sampled about every {@code stepMs} in [from, to], once something was emitted. */
    synchronized GeneratorLag lag(long from, long to, long stepMs) {
        long[] sampleTimes = new long[size];
        long[] lags = new long[size];
        int n = 0;
        long next = from;
        for (int i = 0; i < size; i++) {
            if (times[i] >= next && times[i] <= to && counts[i] > 0) {
                sampleTimes[n] = times[i];
                lags[n] = times[i] - eventTimeMillis(counts[i] - 1);
                n++;
                next = times[i] + stepMs;
            }
        }
        return GeneratorLag.of(Arrays.copyOf(sampleTimes, n), Arrays.copyOf(lags, n), to - from);
    }

    private void sample() {
        while (!closed) {
            record(System.currentTimeMillis(), generator.emitted());
            try {
                Thread.sleep(SAMPLE_INTERVAL_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void record(long time, long count) {
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        times[size] = time;
        counts[size] = count;
        size++;
    }

    private static long epochNanos(java.time.Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        sampler.interrupt();
        sampler.join(1_000);
    }
}
