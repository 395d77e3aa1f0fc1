package io.streamcontrol.control.analytics;

import io.streamcontrol.contract.rollups.Granularity;
import io.streamcontrol.control.system.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated time range [from, to) of a query, and the partitions of a table that hold it. Ranges are bounded so a
 * page never walks more than a few dozen partitions.
 */
record QueryRange(Instant from, Instant to) {

    static final Duration RAW_EVENTS_DEFAULT = Duration.ofHours(1);
    static final Duration RAW_EVENTS_MAX = Duration.ofDays(31);

    /** Instants a query may name: what Cassandra's timestamps and the time buckets can hold. */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /** The range the caller asked for; absent ends default to now and {@code defaultSpan} before the end. */
    static QueryRange of(OffsetDateTime from, OffsetDateTime to, Duration defaultSpan, Duration maxSpan, Instant now,
            String limitName) {
        Instant end = to != null ? instant("to", to) : now;
        Instant start = from != null ? instant("from", from) : end.minus(defaultSpan);
        if (!start.isBefore(end)) {
            throw ApiException.badRequest("from", "must be before to (" + start + " is not before " + end + ")");
        }
        if (Duration.between(start, end).compareTo(maxSpan) > 0) {
            throw ApiException.badRequest("from", "the range " + start + " to " + end + " is longer than "
                    + maxSpan.toDays() + " days, the most " + limitName + " allows");
        }
        return new QueryRange(start, end);
    }

    /** The instant of a parameter, if it lies in years 1 to 9999 (else 400 naming it). */
    static Instant instant(String parameter, OffsetDateTime value) {
        Instant instant = value.toInstant();
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw ApiException.badRequest(parameter, "must lie between " + EARLIEST + " and " + LATEST);
        }
        return instant;
    }

    static Duration defaultSpan(Granularity granularity) {
        return switch (granularity) {
            case MINUTE -> Duration.ofHours(1);
            case HOUR -> Duration.ofDays(1);
            case DAY -> Duration.ofDays(31);
        };
    }

    static Duration maxSpan(Granularity granularity) {
        return switch (granularity) {
            case MINUTE -> Duration.ofDays(31);
            case HOUR -> Duration.ofDays(400);
            case DAY -> Duration.ofDays(3660);
        };
    }

    /** The rollup partitions (periods) holding buckets that start in the range, oldest first. */
    List<LocalDate> periods(Granularity granularity) {
        List<LocalDate> periods = new ArrayList<>();
        LocalDate last = granularity.period(granularity.bucketStart(to.toEpochMilli() - 1));
        for (LocalDate p = granularity.period(granularity.bucketStart(from.toEpochMilli())); !p.isAfter(last);
                p = granularity.nextPeriod(p)) {
            periods.add(p);
        }
        return periods;
    }

    /** The days (UTC) the range touches, newest first. */
    List<LocalDate> daysNewestFirst() {
        List<LocalDate> days = new ArrayList<>();
        LocalDate first = Granularity.day(from.toEpochMilli());
        for (LocalDate d = Granularity.day(to.toEpochMilli() - 1); !d.isBefore(first); d = d.minusDays(1)) {
            days.add(d);
        }
        return days;
    }
}
