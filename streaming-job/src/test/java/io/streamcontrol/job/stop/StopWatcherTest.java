package io.streamcontrol.job.stop;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcontrol.job.source.SourceTable.Status;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StopWatcherTest {

    static final Instant SINCE = Instant.parse("2026-01-01T00:00:10Z");

    @Test
    void drainedWhenEveryReceiverStoppedReadingAndEverythingStoredIsProcessed() {
        assertThat(StopWatcher.isDrained(List.of(new Status(0, 10, 10, SINCE), new Status(1, -1, -1, SINCE.plusMillis(5))),
                2, SINCE)).isTrue();
    }

    @Test
    void notDrainedWhileLinesAreStoredButNotProcessed() {
        assertThat(StopWatcher.isDrained(List.of(new Status(0, 10, 9, SINCE)), 1, SINCE)).isFalse();
    }

    @Test
    void notDrainedWhileAReceiverHasNotAnsweredThisDrain() {
        assertThat(StopWatcher.isDrained(List.of(new Status(0, 10, 10, SINCE)), 2, SINCE)).isFalse();
        assertThat(StopWatcher.isDrained(List.of(new Status(0, 10, 10, SINCE.minusSeconds(60))), 1, SINCE)).isFalse();
        assertThat(StopWatcher.isDrained(List.of(new Status(0, 10, 10, null)), 1, SINCE)).isFalse();
    }
}
