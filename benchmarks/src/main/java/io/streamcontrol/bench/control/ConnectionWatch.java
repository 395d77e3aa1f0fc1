package io.streamcontrol.bench.control;

import io.streamcontrol.generator.GeneratorServer;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples the generator's open connections (one per connected receiver) every 50 ms and keeps each change, to tell
 * when a driver's receivers had all connected.
 */
final class ConnectionWatch implements AutoCloseable {

    static final long SAMPLE_MS = 50;

    private record Change(long at, int connections) {
    }

    private final GeneratorServer generator;
    private final List<Change> changes = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closed;

    ConnectionWatch(GeneratorServer generator) {
        this.generator = generator;
        this.thread = new Thread(this::sample, "connection-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void sample() {
        int last = -1;
        while (!closed) {
            int now = generator.connections();
            if (now != last) {
                synchronized (this) {
                    changes.add(new Change(System.currentTimeMillis(), now));
                }
                last = now;
            }
            try {
                Thread.sleep(SAMPLE_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * When, after {@code since}, all {@code receivers} were connected again after having been fewer (the old driver's
     * receivers leaving first, for a restart); -1 if not (yet).
     */
    synchronized long allConnectedAfter(long since, int receivers) {
        boolean dropped = false;
        int before = -1;
        for (Change c : changes) {
            if (c.at() <= since) {
                before = c.connections();
                continue;
            }
            if (!dropped) {
                dropped = before < receivers;
            }
            if (dropped && c.connections() >= receivers) {
                return c.at();
            }
            if (c.connections() < receivers) {
                dropped = true;
            }
            before = c.connections();
        }
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.interrupt();
        thread.join(1_000);
    }
}
