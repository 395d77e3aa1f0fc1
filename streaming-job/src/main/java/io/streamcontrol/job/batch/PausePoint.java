package io.streamcontrol.job.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Points inside a batch where a crash test can freeze the driver and SIGKILL it: with the system properties
 * {@code streamcontrol.pause-at=<point>} and {@code streamcontrol.pause-marker=<file>}, the first batch with input
 * that reaches the point creates the file and waits forever. Without them (every real run) nothing happens.
 */
public enum PausePoint {
    /** In a source's task, after some raw rows went out and before the rest and the rejects. */
    DURING_RAW_WRITES,
    /** After every row of the batch is written, before the commit. */
    BEFORE_COMMIT,
    /** After the commit, before the next batch. */
    AFTER_COMMIT;

    private static final AtomicBoolean REACHED = new AtomicBoolean();

    /** Freezes here if this is the point asked for, once per process. */
    public void reached() {
        String asked = System.getProperty("streamcontrol.pause-at");
        String marker = System.getProperty("streamcontrol.pause-marker");
        if (asked == null || marker == null || !asked.toUpperCase(Locale.ROOT).replace('-', '_').equals(name())
                || !REACHED.compareAndSet(false, true)) {
            return;
        }
        try {
            Files.writeString(Path.of(marker), name());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // frozen until killed
            }
        }
    }
}
