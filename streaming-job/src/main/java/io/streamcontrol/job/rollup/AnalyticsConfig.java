package io.streamcontrol.job.rollup;

import io.streamcontrol.job.event.Dimension;
import io.streamcontrol.job.event.Granularity;
import java.io.Serializable;
import java.util.List;

/** The settings the analytics state machine depends on. */
public record AnalyticsConfig(
        List<Dimension> dimensions,
        List<Granularity> granularities,
        int topN,
        long windowMillis,
        long slideMillis,
        long latenessMillis,
        int sources) implements Serializable {
}
