package io.streamcontrol.job.source;

import java.util.ArrayDeque;

/**
 * How far a receiver may read ahead of what the job committed. With a bound, it reads no more while the oldest block it
 * stored and the job has not committed was stored longer ago than the bound: the sender then waits (TCP holds it; a
 * replaying source loses nothing), so a job that falls behind holds a few batches of input instead of all it is sent.
 * Owned by the receiver's reading thread.
 */
final class ReadAhead {

    private final long maxMillis;
    /** Per block stored and not committed yet: its last sequence and when it was stored, oldest first. */
    private final ArrayDeque<long[]> uncommitted = new ArrayDeque<>();

    /** @param maxMillis the bound; 0 = none */
    ReadAhead(long maxMillis) {
        if (maxMillis < 0) {
            throw new IllegalArgumentException("a read-ahead bound must not be negative: " + maxMillis);
        }
        this.maxMillis = maxMillis;
    }

    boolean isBounded() {
        return maxMillis > 0;
    }

    /** A block whose last line has sequence {@code lastSeq} was stored at {@code at}. */
    void stored(long lastSeq, long at) {
        if (isBounded()) {
            uncommitted.add(new long[] {lastSeq, at});
        }
    }

    /** The job committed its source up to {@code seq}. */
    void committed(long seq) {
        while (!uncommitted.isEmpty() && uncommitted.peek()[0] <= seq) {
            uncommitted.poll();
        }
    }

    /** Whether the receiver must wait for the job before it reads more. */
    boolean tooFarAhead(long now) {
        return isBounded() && !uncommitted.isEmpty() && now - uncommitted.peek()[1] > maxMillis;
    }
}
