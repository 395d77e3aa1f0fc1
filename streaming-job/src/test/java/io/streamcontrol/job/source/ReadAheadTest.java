package io.streamcontrol.job.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReadAheadTest {

    @Test
    void aReceiverWaitsOnceItsOldestUncommittedBlockIsOlderThanTheBound() {
        ReadAhead readAhead = new ReadAhead(10_000);
        readAhead.stored(99, 1_000);
        readAhead.stored(199, 4_000);

        assertThat(readAhead.tooFarAhead(11_000)).as("stored 10 s ago: at the bound").isFalse();
        assertThat(readAhead.tooFarAhead(11_001)).isTrue();

        readAhead.committed(99);
        assertThat(readAhead.tooFarAhead(11_001)).as("the next block is 7 s old").isFalse();
        assertThat(readAhead.tooFarAhead(14_001)).isTrue();

        readAhead.committed(250);
        assertThat(readAhead.tooFarAhead(100_000)).as("everything committed").isFalse();
    }

    @Test
    void aCommitInsideABlockLeavesTheBlockUncommitted() {
        ReadAhead readAhead = new ReadAhead(10_000);
        readAhead.stored(99, 1_000);

        readAhead.committed(98);

        assertThat(readAhead.tooFarAhead(20_000)).isTrue();
    }

    @Test
    void withoutABoundAReceiverNeverWaits() {
        ReadAhead unbounded = new ReadAhead(0);
        unbounded.stored(99, 1_000);

        assertThat(unbounded.isBounded()).isFalse();
        assertThat(unbounded.tooFarAhead(Long.MAX_VALUE)).isFalse();
        assertThatThrownBy(() -> new ReadAhead(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theBoundIsFourBatchIntervalsAndAtLeastTenSeconds() {
        assertThat(ResumableSocketReceiver.maxReadAhead(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(20));
        assertThat(ResumableSocketReceiver.maxReadAhead(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(10));
    }
}
