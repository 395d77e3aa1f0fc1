package io.streamcontrol.job.sequence;

import io.streamcontrol.job.event.LineFormat;
import io.streamcontrol.job.event.ParsedLine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Puts one source's lines of a batch in sequence order, drops replayed duplicates and decides lateness.
 *
 * <p>The rules depend only on the source's sequence, never on how lines fell into batches, so a run that was stopped,
 * crashed or replayed gives the same result as an undisturbed one:
 * <ul>
 *   <li>a line whose sequence is not above every sequence seen before is a duplicate and is dropped;</li>
 *   <li>an event is too late when its time is more than {@code latenessMillis} before the latest event time of the
 *   events accepted before it from the same source; it is rejected and counted;</li>
 *   <li>a line that failed to parse is rejected with its parse reason.</li>
 * </ul>
 */
public final class SourceSequencer {

    public static final String TOO_LATE = "too late";

    private SourceSequencer() {
    }

    public static SequencedBatch sequence(SourceState prior, Iterable<ParsedLine> lines, long latenessMillis,
            LineFormat format) {
        List<ParsedLine> ordered = new ArrayList<>();
        lines.forEach(ordered::add);
        ordered.sort(Comparator.comparingLong(ParsedLine::seq));

        long highestSeq = prior.highestSeq();
        long maxEventTime = prior.maxEventTime();
        long acceptedCount = prior.accepted();
        long malformed = prior.malformed();
        long tooLate = prior.tooLate();
        long duplicates = prior.duplicates();
        List<ParsedLine> accepted = new ArrayList<>(ordered.size());
        List<ParsedLine> rejected = new ArrayList<>();

        for (ParsedLine line : ordered) {
            if (highestSeq != SourceState.NONE && line.seq() <= highestSeq) {
                duplicates++;
                continue;
            }
            highestSeq = line.seq();
            if (!line.isEvent()) {
                malformed++;
                rejected.add(line);
                continue;
            }
            long eventTime = line.event().orderTime().toEpochMilli();
            if (maxEventTime != SourceState.NONE && eventTime < maxEventTime - latenessMillis) {
                tooLate++;
                rejected.add(ParsedLine.rejected(line.source(), line.seq(), line.receivedAt(), TOO_LATE,
                        line.event().format(format)));
                continue;
            }
            maxEventTime = Math.max(maxEventTime, eventTime);
            acceptedCount++;
            accepted.add(line);
        }
        SourceState next = new SourceState(prior.source(), highestSeq, maxEventTime, acceptedCount, malformed, tooLate,
                duplicates);
        return new SequencedBatch(accepted, rejected, next);
    }
}
