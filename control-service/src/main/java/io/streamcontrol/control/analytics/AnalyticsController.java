package io.streamcontrol.control.analytics;

import io.streamcontrol.control.api.AnalyticsApi;
import io.streamcontrol.control.api.model.Dimension;
import io.streamcontrol.control.api.model.EventPage;
import io.streamcontrol.control.api.model.Granularity;
import io.streamcontrol.control.api.model.RejectPage;
import io.streamcontrol.control.api.model.RollupBucket;
import io.streamcontrol.control.api.model.RollupPage;
import io.streamcontrol.control.api.model.RunningTotal;
import io.streamcontrol.control.api.model.SalesEvent;
import io.streamcontrol.control.api.model.TopWindows;
import io.streamcontrol.control.api.model.TotalPage;
import io.streamcontrol.control.system.ApiException;
import io.streamcontrol.control.system.Pages.Page;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

@RestController
class AnalyticsController implements AnalyticsApi {

    private final QueryTargets targets;
    private final AnalyticsQueries queries;
    private final Clock clock;

    AnalyticsController(QueryTargets targets, AnalyticsQueries queries) {
        this.targets = targets;
        this.queries = queries;
        this.clock = Clock.systemUTC();
    }

    @Override
    public ResponseEntity<RollupPage> getRollupSeries(String name, Dimension dimension, String key,
            Granularity granularity, OffsetDateTime from, OffsetDateTime to, Integer limit, String cursor) {
        QueryTarget target = targets.get(name);
        var rollupDimension = rolledUp(target, dimension);
        var bucket = io.streamcontrol.contract.rollups.Granularity.valueOf(granularity.name());
        if (!target.granularities().contains(bucket)) {
            throw ApiException.badRequest("granularity", "job " + name + " keeps no " + granularity.getValue()
                    + " rollups; it keeps " + labels(target.granularities()));
        }
        QueryRange range = QueryRange.of(from, to, QueryRange.defaultSpan(bucket), QueryRange.maxSpan(bucket),
                clock.instant(), granularity.getValue() + " buckets");
        Page<RollupBucket> page = queries.rollups(target, rollupDimension, key, bucket, range, limit, cursor);
        return ResponseEntity.ok(new RollupPage().dimension(dimension).key(key).granularity(granularity)
                .items(page.items()).nextCursor(page.nextCursor()));
    }

    @Override
    public ResponseEntity<TotalPage> getRunningTotals(String name, Dimension dimension, String key, Integer limit,
            String cursor) {
        QueryTarget target = targets.get(name);
        Page<RunningTotal> page = queries.totals(target, rolledUp(target, dimension), key, limit, cursor);
        return ResponseEntity.ok(new TotalPage().dimension(dimension).items(page.items())
                .nextCursor(page.nextCursor()));
    }

    @Override
    public ResponseEntity<TopWindows> getTopN(String name, Dimension dimension, Integer windows, OffsetDateTime at) {
        QueryTarget target = targets.get(name);
        return ResponseEntity.ok(new TopWindows().dimension(dimension).items(queries.topN(target,
                rolledUp(target, dimension), at != null ? QueryRange.instant("at", at) : clock.instant(), windows)));
    }

    @Override
    public ResponseEntity<EventPage> getRawEvents(String name, String productKey, OffsetDateTime from,
            OffsetDateTime to, Integer limit, String cursor) {
        QueryTarget target = targets.get(name);
        QueryRange range = QueryRange.of(from, to, QueryRange.RAW_EVENTS_DEFAULT, QueryRange.RAW_EVENTS_MAX,
                clock.instant(), "raw events");
        Page<SalesEvent> page = queries.rawEvents(target, productKey, range, limit, cursor);
        return ResponseEntity.ok(new EventPage().items(page.items()).nextCursor(page.nextCursor()));
    }

    @Override
    public ResponseEntity<RejectPage> getRejects(String name, LocalDate day, Integer limit, String cursor) {
        QueryTarget target = targets.get(name);
        LocalDate which = day != null ? day : LocalDate.now(clock.withZone(ZoneOffset.UTC));
        var page = queries.rejects(target, which, limit, cursor);
        return ResponseEntity.ok(new RejectPage().day(which).items(page.items()).nextCursor(page.nextCursor()));
    }

    private static io.streamcontrol.contract.rollups.Dimension rolledUp(QueryTarget target, Dimension dimension) {
        var rolled = io.streamcontrol.contract.rollups.Dimension.valueOf(dimension.name());
        if (!target.dimensions().contains(rolled)) {
            throw ApiException.badRequest("dimension", "job " + target.job() + " keeps no rollups by "
                    + dimension.getValue() + "; it keeps " + labels(target.dimensions()));
        }
        return rolled;
    }

    private static String labels(java.util.Set<? extends Enum<?>> values) {
        return String.join(", ", values.stream().map(v -> v.name().toLowerCase(java.util.Locale.ROOT)).toList());
    }
}
