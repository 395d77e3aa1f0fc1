package io.streamcontrol.control.analytics;

import io.streamcontrol.contract.rollups.Dimension;
import io.streamcontrol.contract.rollups.Granularity;
import io.streamcontrol.control.jobs.settings.JobConfig;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** What the queries of one job need to know of it: where its tables are and what it computes. */
record QueryTarget(String job, String keyspace, Set<Dimension> dimensions, Set<Granularity> granularities, int topN) {

    static QueryTarget of(String job, JobConfig config) {
        return new QueryTarget(job, config.keyspace(),
                choices(config.setting("dimensions"), Dimension.class),
                choices(config.setting("granularities"), Granularity.class),
                Integer.parseInt(config.setting("top-n")));
    }

    private static <E extends Enum<E>> Set<E> choices(String list, Class<E> type) {
        return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> Enum.valueOf(type, s.toUpperCase(Locale.ROOT)))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(type)));
    }
}
