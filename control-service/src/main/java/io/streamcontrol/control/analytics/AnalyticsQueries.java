package io.streamcontrol.control.analytics;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.streamcontrol.contract.rollups.Dimension;
import io.streamcontrol.contract.rollups.Granularity;
import io.streamcontrol.contract.tables.Schema;
import io.streamcontrol.control.api.model.RejectDto;
import io.streamcontrol.control.api.model.RollupBucketDto;
import io.streamcontrol.control.api.model.RunningTotalDto;
import io.streamcontrol.control.api.model.SalesEventDto;
import io.streamcontrol.control.api.model.TopEntryDto;
import io.streamcontrol.control.api.model.TopWindowDto;
import io.streamcontrol.control.system.Pages;
import io.streamcontrol.control.system.Pages.Page;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The queries of a job's tables (see {@link Schema}): each reads single partitions with a prepared statement, the
 * statements prepared once per keyspace.
 */
@Component
class AnalyticsQueries {

    /** How many days before the day of {@code at} the top-N query looks into when that day has no window yet. */
    static final int TOP_N_DAYS_BACK = 1;

    private final CqlSession session;
    private final Map<String, Statements> statements = new ConcurrentHashMap<>();

    AnalyticsQueries(CqlSession session) {
        this.session = session;
    }

    private record Statements(PreparedStatement rollups, PreparedStatement total, PreparedStatement totals,
            PreparedStatement topN, PreparedStatement rawEvents, PreparedStatement rejects) {
    }

    private Statements statements(String keyspace) {
        return statements.computeIfAbsent(keyspace, ks -> new Statements(
                session.prepare("SELECT bucket_start, event_count, quantity_sum, sale_sum, sale_min, sale_max FROM "
                        + ks + "." + Schema.ROLLUPS + " WHERE dimension = ? AND granularity = ? AND key = ?"
                        + " AND period = ? AND bucket_start >= ? AND bucket_start < ? ORDER BY bucket_start ASC"),
                session.prepare("SELECT key, event_count, quantity_sum, sale_sum, sale_min, sale_max FROM "
                        + ks + "." + Schema.RUNNING_TOTALS + " WHERE dimension = ? AND key = ?"),
                session.prepare("SELECT key, event_count, quantity_sum, sale_sum, sale_min, sale_max FROM "
                        + ks + "." + Schema.RUNNING_TOTALS + " WHERE dimension = ?"),
                session.prepare("SELECT window_end, rank, window_start, key, sale_sum FROM "
                        + ks + "." + Schema.TOP_N + " WHERE dimension = ? AND day = ? AND window_end <= ?"),
                session.prepare("SELECT order_id, order_time, quantity, discount_pct, rate, sale_amount,"
                        + " customer_name, state, region, product_key, profit_margin FROM "
                        + ks + "." + Schema.RAW_EVENTS + " WHERE product_key = ? AND day = ?"
                        + " AND order_time >= ? AND order_time < ?"),
                session.prepare("SELECT source, seq, received_at, reason, line FROM "
                        + ks + "." + Schema.REJECTS + " WHERE day = ?")));
    }

    Page<RollupBucketDto> rollups(QueryTarget target, Dimension dimension, String key, Granularity granularity,
            QueryRange range, int limit, String cursor) {
        PreparedStatement statement = statements(target.keyspace()).rollups();
        List<BoundStatement> partitions = range.periods(granularity).stream()
                .map(period -> statement.bind(dimension.label(), granularity.label(), key, period, range.from(),
                        range.to()))
                .toList();
        return Pages.across(partitions, limit, cursor, session, row -> new RollupBucketDto()
                .bucketStart(utc(row.getInstant("bucket_start")))
                .eventCount(row.getLong("event_count")).quantitySum(row.getLong("quantity_sum"))
                .saleAmountSum(row.getBigDecimal("sale_sum")).saleAmountMin(row.getBigDecimal("sale_min"))
                .saleAmountMax(row.getBigDecimal("sale_max")));
    }

    Page<RunningTotalDto> totals(QueryTarget target, Dimension dimension, String key, int limit, String cursor) {
        Statements s = statements(target.keyspace());
        if (key != null) {
            Row row = session.execute(s.total().bind(dimension.label(), key)).one();
            return new Page<>(row == null ? List.of() : List.of(total(row)), null);
        }
        var rows = session.execute(Pages.of(s.totals().bind(dimension.label()), limit, cursor, session));
        return new Page<>(Pages.rows(rows).stream().map(AnalyticsQueries::total).toList(), Pages.next(rows));
    }

    /** The newest {@code windows} windows ending at or before {@code at}, newest first. */
    List<TopWindowDto> topN(QueryTarget target, Dimension dimension, Instant at, int windows) {
        PreparedStatement statement = statements(target.keyspace()).topN();
        List<TopWindowDto> found = new ArrayList<>();
        LocalDate day = Granularity.day(at.toEpochMilli());
        for (int back = 0; back <= TOP_N_DAYS_BACK && found.size() < windows; back++) {
            BoundStatement bound = statement.bind(dimension.label(), day.minusDays(back), at)
                    .setPageSize(Math.min(windows * target.topN() + 1, 5000));
            for (Row row : session.execute(bound)) {
                OffsetDateTime end = utc(row.getInstant("window_end"));
                TopWindowDto current = found.isEmpty() ? null : found.get(found.size() - 1);
                if (current == null || !current.getWindowEnd().equals(end)) {
                    if (found.size() == windows) {
                        break;
                    }
                    current = new TopWindowDto().windowEnd(end).windowStart(utc(row.getInstant("window_start")))
                            .entries(new ArrayList<>());
                    found.add(current);
                }
                current.addEntriesItem(new TopEntryDto().rank(row.getInt("rank")).key(row.getString("key"))
                        .saleAmountSum(row.getBigDecimal("sale_sum")));
            }
        }
        return found;
    }

    Page<SalesEventDto> rawEvents(QueryTarget target, String productKey, QueryRange range, int limit, String cursor) {
        PreparedStatement statement = statements(target.keyspace()).rawEvents();
        List<BoundStatement> partitions = range.daysNewestFirst().stream()
                .map(day -> statement.bind(productKey, day, range.from(), range.to()))
                .toList();
        return Pages.across(partitions, limit, cursor, session, row -> new SalesEventDto()
                .orderId(row.getLong("order_id")).orderTime(utc(row.getInstant("order_time")))
                .quantity(row.getInt("quantity")).discountPct(row.getBigDecimal("discount_pct"))
                .rate(row.getBigDecimal("rate")).saleAmount(row.getBigDecimal("sale_amount"))
                .customerName(row.getString("customer_name")).state(row.getString("state"))
                .region(row.getString("region")).productKey(row.getString("product_key"))
                .profitMargin(row.getBigDecimal("profit_margin")));
    }

    Page<RejectDto> rejects(QueryTarget target, LocalDate day, int limit, String cursor) {
        var rows = session.execute(Pages.of(statements(target.keyspace()).rejects().bind(day), limit, cursor,
                session));
        return new Page<>(Pages.rows(rows).stream().map(row -> new RejectDto()
                .source(row.getInt("source")).seq(row.getLong("seq"))
                .receivedAt(utc(row.getInstant("received_at"))).reason(row.getString("reason"))
                .line(row.getString("line"))).toList(), Pages.next(rows));
    }

    private static RunningTotalDto total(Row row) {
        return new RunningTotalDto().key(row.getString("key"))
                .eventCount(row.getLong("event_count")).quantitySum(row.getLong("quantity_sum"))
                .saleAmountSum(row.getBigDecimal("sale_sum")).saleAmountMin(row.getBigDecimal("sale_min"))
                .saleAmountMax(row.getBigDecimal("sale_max"));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
