package io.streamcontrol.job.sequence;

import io.streamcontrol.contract.events.SalesEvent;
import io.streamcontrol.contract.settings.LineFormat;
import io.streamcontrol.job.event.ParsedLine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decides, line by line in one source's sequence order, which lines are replayed duplicates, which are rejected and
 * which events count. It holds the source's running marks, so one pass over a source's lines in order needs nothing
 * else: no line moves between tasks.
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

    /** What becomes of one line. */
    public enum Verdict {
        ACCEPTED, MALFORMED, TOO_LATE, DUPLICATE
    }

    private final int source;
    private final long latenessMillis;
    private long highestSeq;
    private long maxEventTime;
    private long accepted;
    private long malformed;
    private long tooLate;
    private long duplicates;

    public SourceSequencer(SourceState prior, long latenessMillis) {
        this.source = prior.source();
        this.latenessMillis = latenessMillis;
        this.highestSeq = prior.highestSeq();
        this.maxEventTime = prior.maxEventTime();
        this.accepted = prior.accepted();
        this.malformed = prior.malformed();
        this.tooLate = prior.tooLate();
        this.duplicates = prior.duplicates();
    }

    /** The verdict on the next line of the source, in sequence order; {@code event} is null for a line that failed to parse. */
    public Verdict next(long seq, SalesEvent event) {
        if (highestSeq != SourceState.NONE && seq <= highestSeq) {
            duplicates++;
            return Verdict.DUPLICATE;
        }
        highestSeq = seq;
        if (event == null) {
            malformed++;
            return Verdict.MALFORMED;
        }
        long eventTime = event.orderTime().toEpochMilli();
        if (maxEventTime != SourceState.NONE && eventTime < maxEventTime - latenessMillis) {
            tooLate++;
            return Verdict.TOO_LATE;
        }
        maxEventTime = Math.max(maxEventTime, eventTime);
        accepted++;
        return Verdict.ACCEPTED;
    }

    /** The marks after every line given so far. */
    public SourceState state() {
        return new SourceState(source, highestSeq, maxEventTime, accepted, malformed, tooLate, duplicates);
    }

    /** A batch of one source's lines in any order: sorted by sequence, then decided line by line. */
    public static SequencedBatch sequence(SourceState prior, Iterable<ParsedLine> lines, long latenessMillis,
            LineFormat format) {
        List<ParsedLine> ordered = new ArrayList<>();
        lines.forEach(ordered::add);
        ordered.sort(Comparator.comparingLong(ParsedLine::seq));
        SourceSequencer sequencer = new SourceSequencer(prior, latenessMillis);
        List<ParsedLine> accepted = new ArrayList<>(ordered.size());
        List<ParsedLine> rejected = new ArrayList<>();
        for (ParsedLine line : ordered) {
            switch (sequencer.next(line.seq(), line.event())) {
                case ACCEPTED -> accepted.add(line);
                case MALFORMED -> rejected.add(line);
                case TOO_LATE -> rejected.add(ParsedLine.rejected(line.source(), line.seq(), line.receivedAt(),
                        TOO_LATE, line.event().format(format)));
                case DUPLICATE -> {
                }
            }
        }
        return new SequencedBatch(accepted, rejected, sequencer.state());
    }
}
