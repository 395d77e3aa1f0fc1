package io.streamcontrol.job.sequence;

import java.io.Serializable;

/**
 * What the job remembers of one source partition, checkpointed with the job: the highest sequence taken (older ones
 * are replays and are dropped), the latest event time seen (the reference for lateness) and the running counts.
 */
public record SourceState(
        int source,
        long highestSeq,
        long maxEventTime,
        long accepted,
        long malformed,
        long tooLate,
        long duplicates) implements Serializable {

    public static final long NONE = Long.MIN_VALUE;

    public static SourceState empty(int source) {
        return new SourceState(source, NONE, NONE, 0, 0, 0, 0);
    }

    public boolean hasEventTime() {
        return maxEventTime != NONE;
    }
}
