package io.streamcontrol.job.source;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * How far a receiver may read ahead of what the job committed. With a bound, it reads no more while the oldest block it
 * stored and the job has not committed was stored longer ago than the bound: the sender then waits (TCP holds it; a
 * replaying source loses nothing), so a job that falls behind holds a few batches of input instead of all it is sent.
 * Once it had to wait, it also holds no more uncommitted lines than the job committed within the last bound's time, so
 * the catch-up goes at the job's own pace instead of in one batch of all the sender held back; a bound's time without
 * a wait ends that (input after a quiet spell is read freely). Sequences count lines (one per line). Owned by the
 * receiver's reading thread.
 */
final class ReadAhead {

    private final long maxMillis;
    /** Per block stored and not committed yet: its last sequence and when it was stored, oldest first. */
    private final ArrayDeque<long[]> uncommitted = new ArrayDeque<>();
    /** The job's commits within the last bound's time and the last one before: when, up to which sequence. */
    private final ArrayDeque<long[]> commits = new ArrayDeque<>();
    private long lastStored = -1;
    private long committed = -1;
    /** When the receiver last had to wait; -1: never. */
    private long lastWaitAt = -1;

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
            lastStored = lastSeq;
        }
    }

    /** The job committed its source up to {@code seq}, as seen at {@code at}. */
    void committed(long seq, long at) {
        while (!uncommitted.isEmpty() && uncommitted.peek()[0] <= seq) {
            uncommitted.poll();
        }
        if (isBounded() && seq > committed) {
            commits.add(new long[] {at, seq});
            committed = seq;
            forgetCommitsBefore(at - maxMillis);
        }
    }

    /** Whether the receiver must wait for the job before it reads more. */
    boolean tooFarAhead(long now) {
        if (!isBounded() || uncommitted.isEmpty()) {
            return false;
        }
        boolean pacing = lastWaitAt >= 0 && now - lastWaitAt <= maxMillis;
        boolean wait = now - uncommitted.peek()[1] > maxMillis
                || pacing && lastStored - committed > linesCommittedWithinBound(now);
        if (wait) {
            lastWaitAt = now;
        }
        return wait;
    }

    /**
     * Lines the job committed within the last bound's time; no limit until the job has been seen committing for that
     * long (at its start nothing says how fast it goes).
     */
    private long linesCommittedWithinBound(long now) {
        long since = now - maxMillis;
        forgetCommitsBefore(since);
        if (commits.isEmpty() || commits.peek()[0] > since) {
            return Long.MAX_VALUE;
        }
        return committed - commits.peek()[1];
    }

    /** Keeps the commits after {@code since} and the last one at or before it: where the job stood then. */
    private void forgetCommitsBefore(long since) {
        while (commits.size() > 1 && second(commits)[0] <= since) {
            commits.poll();
        }
    }

    private static long[] second(ArrayDeque<long[]> deque) {
        Iterator<long[]> it = deque.iterator();
        it.next();
        return it.next();
    }
}
