package io.streamcontrol.generator;

import io.streamcontrol.contract.events.SalesEvent;

/**
 * Event {@code seq} as the generator emits it.
 *
 * @param payload the line without its newline (and without the resume framing)
 * @param event   what the line carries; null for {@link Kind#MALFORMED}
 */
public record GeneratedLine(long seq, Kind kind, String payload, SalesEvent event) {

    public enum Kind {
        /** order_time is the normal time of its sequence. */
        VALID,
        /** order_time is shifted back by {@code lateBy}: within the job's allowed lateness. */
        LATE,
        /** order_time is shifted back by {@code veryLateBy}: beyond the job's allowed lateness. */
        VERY_LATE,
        /** Not a parseable event. */
        MALFORMED
    }
}
