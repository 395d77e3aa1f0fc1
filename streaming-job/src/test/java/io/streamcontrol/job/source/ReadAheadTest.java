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

        readAhead.committed(99, 11_001);
        assertThat(readAhead.tooFarAhead(11_001)).as("the next block is 7 s old").isFalse();
        assertThat(readAhead.tooFarAhead(14_001)).isTrue();

        readAhead.committed(250, 14_001);
        assertThat(readAhead.tooFarAhead(100_000)).as("everything committed").isFalse();
    }

    @Test
    void aCommitInsideABlockLeavesTheBlockUncommitted() {
        ReadAhead readAhead = new ReadAhead(10_000);
        readAhead.stored(99, 1_000);

        readAhead.committed(98, 2_000);

        assertThat(readAhead.tooFarAhead(20_000)).isTrue();
    }

    @Test
    void afterAWaitAReceiverHoldsNoMoreLinesThanTheJobCommittedWithinTheBound() {
        ReadAhead readAhead = new ReadAhead(10_000);
        readAhead.committed(0, 0);
        readAhead.stored(1_000, 500);
        assertThat(readAhead.tooFarAhead(10_501)).as("the job committed nothing of it within the bound").isTrue();

        readAhead.committed(1_000, 11_000);
        readAhead.stored(30_000, 11_000);
        assertThat(readAhead.tooFarAhead(11_000)).as("29,000 ahead, 1,000 committed in the last 10 s").isTrue();

        readAhead.committed(29_000, 12_000);
        assertThat(readAhead.tooFarAhead(12_000)).as("1,000 ahead, 29,000 committed in the last 10 s").isFalse();
        readAhead.stored(60_000, 12_500);
        assertThat(readAhead.tooFarAhead(12_500)).as("31,000 ahead").isTrue();

        readAhead.committed(60_000, 13_000);
        readAhead.stored(200_000, 23_000);
        assertThat(readAhead.tooFarAhead(23_000)).as("no wait for more than the bound: no line limit").isFalse();
    }

    @Test
    void theLineLimitCountsFromWhereTheJobStoodTheBoundsTimeAgo() {
        ReadAhead readAhead = new ReadAhead(10_000);
        readAhead.committed(0, 0);
        readAhead.stored(10_000, 0);
        readAhead.committed(5_000, 5_000);
        assertThat(readAhead.tooFarAhead(10_001)).as("the block stored at 0 is not committed yet").isTrue();
        readAhead.committed(10_000, 12_000);
        readAhead.stored(40_000, 12_000);
        assertThat(readAhead.tooFarAhead(12_000)).as("30,000 ahead; 10 s before, the job stood at 0: 10,000 lines")
                .isTrue();

        readAhead.committed(25_000, 15_000);
        readAhead.stored(42_000, 15_000);
        assertThat(readAhead.tooFarAhead(15_000)).as("17,000 ahead; 10 s before, it stood at 5,000: 20,000 lines")
                .isFalse();
        assertThat(readAhead.tooFarAhead(22_000)).as("10 s before, it stood at 10,000: 15,000 lines").isTrue();
    }

    @Test
    void inputAfterAQuietSpellIsReadFreelyAndAStalledJobStopsTheReceiverByTheBound() {
        ReadAhead readAhead = new ReadAhead(10_000);
        readAhead.committed(500, 0);
        readAhead.stored(100_000, 30_000);

        assertThat(readAhead.tooFarAhead(30_000)).as("nothing committed in the last 10 s, but no wait so far")
                .isFalse();
        assertThat(readAhead.tooFarAhead(40_001)).as("the job committed nothing of it within the bound").isTrue();
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
