package io.streamcontrol.control.leader;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One replica's view of the reconciler lease and what it does next: pure (time comes from the given clock),
 * thread-safe. A replica leads for the term it took until its own view of the lease expires, which it makes
 * certain happens before Cassandra's: counted from when the acquiring or renewing request was <em>sent</em> (Cassandra
 * starts the TTL later), less {@link #TTL_RESOLUTION} (Cassandra counts a TTL from the whole second of the write).
 */
final class Leadership {

    /** How much earlier than written a Cassandra TTL may end: expiry is counted from the write's whole second. */
    static final Duration TTL_RESOLUTION = Duration.ofSeconds(1);

    /** The next request to Cassandra. */
    sealed interface Step {
    }

    /** Extend the lease of {@code term}, held by this replica. */
    record Renew(long term) implements Step {
    }

    /** Take the free lease as {@code term}, if it is still free at {@code previousTerm}. */
    record Acquire(long term, long previousTerm) implements Step {
    }

    /** Another replica leads: look again later. */
    record Wait(Lease lease) implements Step {
    }

    private record Held(long term, long validUntilNanos) {
    }

    private final String holder;
    private final long validityNanos;
    private final LongSupplier nanoClock;
    private volatile Held held;

    /**
     * @param holder this replica's name in the lease (unique per process)
     * @param ttl the TTL the lease is written with
     * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime})
     */
    Leadership(String holder, Duration ttl, LongSupplier nanoClock) {
        this.holder = holder;
        this.validityNanos = ttl.minus(TTL_RESOLUTION).toNanos();
        this.nanoClock = nanoClock;
    }

    String holder() {
        return holder;
    }

    /**
     * What to do next. While this replica holds a term (even one its own view lets lapse: Cassandra decides whether
     * it is still its), renew it; else the lease as {@code read} now decides.
     */
    Step next(Supplier<Lease> read) {
        Held current = held;
        if (current != null) {
            return new Renew(current.term());
        }
        Lease seen = read.get();
        if (seen.isFree()) {
            return new Acquire(seen.term() + 1, seen.term());
        }
        return holder.equals(seen.holder()) ? new Renew(seen.term()) : new Wait(seen);
    }

    /** Cassandra applied the acquisition or renewal of {@code term} sent at {@code sentAtNanos}. */
    void granted(long term, long sentAtNanos) {
        held = new Held(term, sentAtNanos + validityNanos);
    }

    /** Cassandra refused a renewal: another replica holds the lease, or it expired. */
    void lost() {
        held = null;
    }

    /** A leader of {@code newerTerm} changed a job: an older term of this replica is over, whatever its view says. */
    void superseded(long newerTerm) {
        Held current = held;
        if (current != null && current.term() < newerTerm) {
            held = null;
        }
    }

    /** The term this replica leads for now, if any. */
    OptionalLong term() {
        Held current = held;
        return current != null && nanoClock.getAsLong() - current.validUntilNanos() < 0 ? OptionalLong.of(current.term())
                : OptionalLong.empty();
    }

    /** Whether this replica still leads for {@code term}. */
    boolean holds(long term) {
        OptionalLong current = term();
        return current.isPresent() && current.getAsLong() == term;
    }
}
