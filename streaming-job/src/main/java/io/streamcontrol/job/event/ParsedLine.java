package io.streamcontrol.job.event;

import io.streamcontrol.contract.events.SalesEvent;
import java.io.Serializable;

/**
 * A received line after parsing: either an event or the reason it was rejected (then {@code line} keeps the raw text,
 * truncated, for the rejects table).
 */
public record ParsedLine(int source, long seq, long receivedAt, SalesEvent event, String rejectReason, String line)
        implements Serializable {

    public static final int MAX_KEPT_LINE = 1_000;

    public static ParsedLine accepted(int source, long seq, long receivedAt, SalesEvent event) {
        return new ParsedLine(source, seq, receivedAt, event, null, null);
    }

    public static ParsedLine rejected(int source, long seq, long receivedAt, String reason, String line) {
        String kept = line.length() > MAX_KEPT_LINE ? line.substring(0, MAX_KEPT_LINE) : line;
        return new ParsedLine(source, seq, receivedAt, null, reason, kept);
    }

    public boolean isEvent() {
        return event != null;
    }
}
