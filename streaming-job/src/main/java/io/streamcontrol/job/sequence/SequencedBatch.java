package io.streamcontrol.job.sequence;

import io.streamcontrol.job.event.ParsedLine;
import java.io.Serializable;
import java.util.List;

/**
 * The outcome of one batch of one source: events to keep, lines to reject (with their reason set), and the state after
 * the batch.
 */
public record SequencedBatch(List<ParsedLine> accepted, List<ParsedLine> rejected, SourceState state)
        implements Serializable {
}
