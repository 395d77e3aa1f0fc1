package io.streamcontrol.job.batch;

import io.streamcontrol.contract.events.SalesEvent;
import io.streamcontrol.contract.settings.LineFormat;
import io.streamcontrol.job.cassandra.BatchedInserts;
import io.streamcontrol.job.event.LineParser;
import io.streamcontrol.job.event.ParsedLine;
import io.streamcontrol.job.rollup.AnalyticsConfig;
import io.streamcontrol.job.rollup.AnalyticsInput;
import io.streamcontrol.job.rollup.CellAggregator;
import io.streamcontrol.job.sequence.SourceSequencer;
import io.streamcontrol.job.sequence.SourceState;
import io.streamcontrol.job.source.ReceivedLine;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The whole per-event work of a batch for one source, in one task, in the source's order: parse, decide duplicates
 * and lateness, write the accepted events (raw rows) and the rejects, and sum the events per cell. What leaves the
 * task is small: the source's marks and its cell aggregates.
 */
public final class SourceScan implements Serializable {

    /** What one source's task returns: its marks after the batch and its events summed per cell. */
    public record Result(SourceState marks, List<AnalyticsInput> cells) implements Serializable {
    }

    /** Accepted events of a task after which {@link PausePoint#DURING_RAW_WRITES} is reached. */
    private static final int PAUSE_AFTER_EVENTS = 500;

    private final LineParser parser;
    private final LineFormat format;
    private final long latenessMillis;
    private final AnalyticsConfig config;
    private final BatchedInserts<SalesEvent> rawEvents;
    private final BatchedInserts<ParsedLine> rejects;

    public SourceScan(LineParser parser, LineFormat format, long latenessMillis, AnalyticsConfig config,
            BatchedInserts<SalesEvent> rawEvents, BatchedInserts<ParsedLine> rejects) {
        this.parser = parser;
        this.format = format;
        this.latenessMillis = latenessMillis;
        this.config = config;
        this.rawEvents = rawEvents;
        this.rejects = rejects;
    }

    /** Runs in the task of one source; {@code lines} are that source's lines of the batch in the order received. */
    public Result scan(SourceState prior, Iterator<ReceivedLine> lines) {
        Accepted accepted = new Accepted(new SourceSequencer(prior, latenessMillis), lines);
        rawEvents.write(accepted);
        rejects.write(accepted.rejected.iterator());
        return new Result(accepted.sequencer.state(), accepted.cells.inputs());
    }

    /** The accepted events of the lines, decided as they are pulled; rejects and cell sums gathered on the way. */
    private final class Accepted implements Iterator<SalesEvent> {
        private final SourceSequencer sequencer;
        private final Iterator<ReceivedLine> lines;
        private final CellAggregator cells = new CellAggregator(config);
        private final List<ParsedLine> rejected = new ArrayList<>();
        private SalesEvent next;
        private long count;

        Accepted(SourceSequencer sequencer, Iterator<ReceivedLine> lines) {
            this.sequencer = sequencer;
            this.lines = lines;
        }

        @Override
        public boolean hasNext() {
            while (next == null && lines.hasNext()) {
                ReceivedLine line = lines.next();
                LineParser.Result parsed = parser.parse(line.payload());
                switch (sequencer.next(line.seq(), parsed.event())) {
                    case ACCEPTED -> {
                        cells.add(parsed.event());
                        next = parsed.event();
                        if (++count == PAUSE_AFTER_EVENTS) {
                            PausePoint.DURING_RAW_WRITES.reached();
                        }
                    }
                    case MALFORMED -> rejected.add(ParsedLine.rejected(line.source(), line.seq(), line.receivedAt(),
                            parsed.rejectReason(), line.payload()));
                    case TOO_LATE -> rejected.add(ParsedLine.rejected(line.source(), line.seq(), line.receivedAt(),
                            SourceSequencer.TOO_LATE, parsed.event().format(format)));
                    case DUPLICATE -> {
                    }
                }
            }
            return next != null;
        }

        @Override
        public SalesEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            SalesEvent event = next;
            next = null;
            return event;
        }
    }
}
