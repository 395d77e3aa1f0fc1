package io.streamcontrol.control.analytics;

import io.streamcontrol.control.api.AnalyticsApi;
import io.streamcontrol.control.api.model.DimensionDto;
import io.streamcontrol.control.api.model.EventPageDto;
import io.streamcontrol.control.api.model.GranularityDto;
import io.streamcontrol.control.api.model.RejectPageDto;
import io.streamcontrol.control.api.model.RollupBucketDto;
import io.streamcontrol.control.api.model.RollupPageDto;
import io.streamcontrol.control.api.model.RunningTotalDto;
import io.streamcontrol.control.api.model.SalesEventDto;
import io.streamcontrol.control.api.model.TopWindowsDto;
import io.streamcontrol.control.api.model.TotalPageDto;
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
    public ResponseEntity<RollupPageDto> getRollupSeries(String name, DimensionDto dimension, String key,
            GranularityDto granularity, OffsetDateTime from, OffsetDateTime to, Integer limit, String cursor) {
        QueryTarget target = targets.get(name);
        var rollupDimension = rolledUp(target, dimension);
        var bucket = io.streamcontrol.contract.rollups.Granularity.valueOf(granularity.name());
        if (!target.granularities().contains(bucket)) {
            throw ApiException.badRequest("granularity", "job " + name + " keeps no " + granularity.getValue()
                    + " rollups; it keeps " + labels(target.granularities()));
        }
        QueryRange range = QueryRange.of(from, to, QueryRange.defaultSpan(bucket), QueryRange.maxSpan(bucket),
                clock.instant(), granularity.getValue() + " buckets");
        Page<RollupBucketDto> page = queries.rollups(target, rollupDimension, key, bucket, range, limit, cursor);
        return ResponseEntity.ok(new RollupPageDto().dimension(dimension).key(key).granularity(granularity)
                .items(page.items()).nextCursor(page.nextCursor()));
    }

    @Override
    public ResponseEntity<TotalPageDto> getRunningTotals(String name, DimensionDto dimension, String key, Integer limit,
            String cursor) {
        QueryTarget target = targets.get(name);
        Page<RunningTotalDto> page = queries.totals(target, rolledUp(target, dimension), key, limit, cursor);
        return ResponseEntity.ok(new TotalPageDto().dimension(dimension).items(page.items())
                .nextCursor(page.nextCursor()));
    }

    @Override
    public ResponseEntity<TopWindowsDto> getTopN(String name, DimensionDto dimension,
            Integer windows, OffsetDateTime at) {
        QueryTarget target = targets.get(name);
        return ResponseEntity.ok(new TopWindowsDto().dimension(dimension).items(queries.topN(target,
                rolledUp(target, dimension), at != null ? QueryRange.instant("at", at) : clock.instant(), windows)));
    }

    @Override
    public ResponseEntity<EventPageDto> getRawEvents(String name, String productKey, OffsetDateTime from,
            OffsetDateTime to, Integer limit, String cursor) {
        QueryTarget target = targets.get(name);
        QueryRange range = QueryRange.of(from, to, QueryRange.RAW_EVENTS_DEFAULT, QueryRange.RAW_EVENTS_MAX,
                clock.instant(), "raw events");
        Page<SalesEventDto> page = queries.rawEvents(target, productKey, range, limit, cursor);
        return ResponseEntity.ok(new EventPageDto().items(page.items()).nextCursor(page.nextCursor()));
    }

    @Override
    public ResponseEntity<RejectPageDto> getRejects(String name, LocalDate day, Integer limit, String cursor) {
        QueryTarget target = targets.get(name);
        LocalDate which = day != null ? day : LocalDate.now(clock.withZone(ZoneOffset.UTC));
        var page = queries.rejects(target, which, limit, cursor);
        return ResponseEntity.ok(new RejectPageDto().day(which).items(page.items()).nextCursor(page.nextCursor()));
    }

    private static io.streamcontrol.contract.rollups.Dimension rolledUp(QueryTarget target, DimensionDto dimension) {
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
