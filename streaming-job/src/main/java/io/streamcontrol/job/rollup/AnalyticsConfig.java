package io.streamcontrol.job.rollup;

import io.streamcontrol.contract.rollups.Dimension;
import io.streamcontrol.contract.rollups.Granularity;
import io.streamcontrol.contract.settings.JobSettings;
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

    /** The analytics settings of a job. */
    public static AnalyticsConfig of(JobSettings settings) {
        return new AnalyticsConfig(settings.dimensions(), settings.granularities(), settings.topN(),
                settings.topNWindow().toMillis(), settings.topNSlide().toMillis(), settings.lateness().toMillis(),
                settings.receivers());
    }
}
