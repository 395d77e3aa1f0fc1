package io.streamcontrol.job.rollup;

import io.streamcontrol.job.sequence.SourceState;
import java.io.Serializable;

/** One batch's contribution to the analytics state: a cell's aggregate, or the progress of a source. */
public sealed interface AnalyticsInput extends Serializable {

    record CellUpdate(Cell cell, Aggregate aggregate) implements AnalyticsInput {
    }

    record SourceProgress(SourceState state) implements AnalyticsInput {
    }
}
