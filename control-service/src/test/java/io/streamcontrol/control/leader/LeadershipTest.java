package io.streamcontrol.control.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcontrol.control.leader.Leadership.Acquire;
import io.streamcontrol.control.leader.Leadership.Renew;
import io.streamcontrol.control.leader.Leadership.Wait;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LeadershipTest {

    static final String ME = "pod-a/17/0a1b2c3d";
    static final String OTHER = "pod-b/23/4e5f6a7b";
    static final Duration TTL = Duration.ofSeconds(12);

    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final Leadership leadership = new Leadership(ME, TTL, nanos::get);

    static Lease noRead() {
        throw new AssertionError("a replica that holds a term renews it without reading the lease");
    }

    void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Test
    void aFreeLeaseIsTakenAsTheNextTerm() {
        assertThat(leadership.next(() -> new Lease(null, 0))).isEqualTo(new Acquire(1, 0));
        assertThat(leadership.next(() -> new Lease(null, 41))).as("expired or released at term 41")
                .isEqualTo(new Acquire(42, 41));
        assertThat(leadership.term()).isEmpty();
    }

    @Test
    void aLeaseHeldByAnotherReplicaIsWaitedFor() {
        Lease other = new Lease(OTHER, 7);

        assertThat(leadership.next(() -> other)).isEqualTo(new Wait(other));
        assertThat(leadership.term()).isEmpty();
        assertThat(leadership.holds(7)).isFalse();
    }

    @Test
    void aGrantedTermIsHeldUntilTheTtlLessOneSecondAfterTheRequestWasSent() {
        long sentAt = nanos.get();
        advance(Duration.ofMillis(300)); // the answer came later; the TTL began somewhere in between
        leadership.granted(5, sentAt);

        assertThat(leadership.term()).isEqualTo(OptionalLong.of(5));
        assertThat(leadership.holds(5)).isTrue();
        assertThat(leadership.holds(4)).isFalse();
        assertThat(leadership.next(LeadershipTest::noRead)).isEqualTo(new Renew(5));

        nanos.set(sentAt + TTL.minusSeconds(1).toNanos() - 1);
        assertThat(leadership.holds(5)).isTrue();
        nanos.set(sentAt + TTL.minusSeconds(1).toNanos());
        assertThat(leadership.holds(5)).as("Cassandra may expire it within the second before the TTL").isFalse();
        assertThat(leadership.term()).isEmpty();
        assertThat(leadership.next(LeadershipTest::noRead))
                .as("still renews: Cassandra decides whether the term is still its")
                .isEqualTo(new Renew(5));
    }

    @Test
    void aRenewalExtendsTheTerm() {
        leadership.granted(5, nanos.get());
        advance(Duration.ofSeconds(9));
        leadership.granted(5, nanos.get());
        advance(Duration.ofSeconds(9));

        assertThat(leadership.holds(5)).isTrue();
    }

    @Test
    void aRefusedRenewalEndsTheTermAtOnce() {
        leadership.granted(5, nanos.get());
        leadership.lost();

        assertThat(leadership.term()).isEmpty();
        assertThat(leadership.next(() -> new Lease(OTHER, 6))).isEqualTo(new Wait(new Lease(OTHER, 6)));
    }

    @Test
    void itsOwnLeaseFoundAgainIsRenewedNotTakenAgain() {
        assertThat(leadership.next(() -> new Lease(ME, 5))).isEqualTo(new Renew(5));
    }

    @Test
    void aJobChangedByANewerLeaderEndsAnOlderTermOnly() {
        leadership.granted(5, nanos.get());
        leadership.superseded(5);
        assertThat(leadership.holds(5)).as("its own term").isTrue();
        leadership.superseded(4);
        assertThat(leadership.holds(5)).as("an older term").isTrue();

        leadership.superseded(6);
        assertThat(leadership.term()).isEmpty();
    }

    @Test
    void theTtlIsTheLeaseLessOneRenewIntervalInWholeSeconds() {
        assertThat(new LeaderProperties(Duration.ofSeconds(15), Duration.ofSeconds(3)).ttl())
                .isEqualTo(Duration.ofSeconds(12));
        assertThat(new LeaderProperties(Duration.ofSeconds(4), Duration.ofSeconds(1)).ttl())
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(new LeaderProperties(Duration.ofMillis(5500), Duration.ofSeconds(1)).ttl())
                .isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void aLeaderMustBeAbleToRenewWithinItsOwnViewOfTheLease() {
        assertThatThrownBy(() -> new LeaderProperties(Duration.ofSeconds(3), Duration.ofSeconds(1)))
                .hasMessageContaining("must be longer than twice streamcontrol.leader.renew-interval");
        assertThatThrownBy(() -> new LeaderProperties(Duration.ofMillis(3900), Duration.ofSeconds(1)))
                .as("3.9s - 1s = 2s of TTL: valid 1s after sending, no longer than the renew interval")
                .hasMessageContaining("lease-duration");
        assertThatThrownBy(() -> new LeaderProperties(Duration.ofSeconds(15), Duration.ofMillis(50)))
                .hasMessageContaining("at least 100ms");
    }
}
