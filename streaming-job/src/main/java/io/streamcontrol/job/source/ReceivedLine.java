package io.streamcontrol.job.source;

import java.io.Serializable;

/** A line as a receiver got it: its source partition, its sequence in that source, and when it arrived. */
public record ReceivedLine(int source, long seq, long receivedAt, String payload) implements Serializable {
}
