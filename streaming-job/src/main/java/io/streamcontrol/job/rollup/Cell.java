package io.streamcontrol.job.rollup;

import io.streamcontrol.contract.rollups.Dimension;
import io.streamcontrol.contract.rollups.Granularity;
import java.io.Serializable;

/**
 * What one event contributes to: a rollup bucket ({@code granularity} set) or a top-N slide ({@code granularity}
 * null), for one dimension key, starting at {@code start} (epoch ms).
 */
public record Cell(Dimension dimension, Granularity granularity, String key, long start) implements Serializable {

    public boolean isSlide() {
        return granularity == null;
    }
}
