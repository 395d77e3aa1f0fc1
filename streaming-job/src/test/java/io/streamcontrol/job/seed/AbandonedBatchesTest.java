package io.streamcontrol.job.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AbandonedBatchesTest {

    @Test
    void aBatchTimeStrictlyInsideAnIntervalWasNeverCommitted() {
        AbandonedBatches abandoned = new AbandonedBatches(Map.of(100L, 200L, 500L, 600L));
        assertThat(abandoned.contains(100)).as("the commit itself").isFalse();
        assertThat(abandoned.contains(150)).isTrue();
        assertThat(abandoned.contains(200)).as("the first batch of the start that recorded it").isFalse();
        assertThat(abandoned.contains(300)).as("committed between").isFalse();
        assertThat(abandoned.contains(599)).isTrue();
        assertThat(abandoned.contains(700)).isFalse();
    }

    @Test
    void beforeAnyCommitEveryEarlierBatchIsAbandoned() {
        AbandonedBatches abandoned = new AbandonedBatches(Map.of(Long.MIN_VALUE, 1_000L));
        assertThat(abandoned.contains(5)).isTrue();
        assertThat(abandoned.contains(1_000)).isFalse();
        assertThat(new AbandonedBatches(Map.of()).contains(5)).isFalse();
    }
}
