package io.streamcontrol.control.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcontrol.contract.rollups.Granularity;
import io.streamcontrol.control.system.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class QueryRangeTest {

    static final Instant NOW = Instant.parse("2026-11-21T10:15:00Z");

    static OffsetDateTime at(String instant) {
        return Instant.parse(instant).atOffset(ZoneOffset.UTC);
    }

    @Test
    void absentEndsDefaultToNowAndTheDefaultSpan() {
        QueryRange range = QueryRange.of(null, null, Duration.ofHours(1), Duration.ofDays(31), NOW, "x");
        assertThat(range).isEqualTo(new QueryRange(NOW.minusSeconds(3600), NOW));
        QueryRange fromOnly = QueryRange.of(at("2026-11-21T09:00:00Z"), null, Duration.ofHours(1), Duration.ofDays(1),
                NOW, "x");
        assertThat(fromOnly.to()).isEqualTo(NOW);
    }

    @Test
    void fromMustBeBeforeToAndTheSpanWithinTheLimit() {
        assertThatThrownBy(() -> QueryRange.of(at("2026-11-21T10:00:00Z"), at("2026-11-21T10:00:00Z"),
                Duration.ofHours(1), Duration.ofDays(1), NOW, "x"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.fields().get(0).field()).isEqualTo("from"));
        assertThatThrownBy(() -> QueryRange.of(at("2026-11-01T00:00:00Z"), at("2026-11-21T00:00:00Z"),
                Duration.ofHours(1), Duration.ofDays(7), NOW, "minute buckets"))
                .isInstanceOf(ApiException.class).hasMessageContaining("7 days").hasMessageContaining("minute buckets");
        assertThat(QueryRange.of(at("2026-11-14T00:00:00Z"), at("2026-11-21T00:00:00Z"), Duration.ofHours(1),
                Duration.ofDays(7), NOW, "x").from()).isEqualTo(Instant.parse("2026-11-14T00:00:00Z"));
    }

    @Test
    void minutePartitionsAreTheDaysOfTheRangeOldestFirstAndExcludeTheEndDayAtMidnight() {
        QueryRange range = new QueryRange(Instant.parse("2026-11-19T23:30:00Z"), Instant.parse("2026-11-21T00:00:00Z"));
        assertThat(range.periods(Granularity.MINUTE))
                .containsExactly(LocalDate.of(2026, 11, 19), LocalDate.of(2026, 11, 20));
    }

    @Test
    void hourAndDayPartitionsAreMonthsAndYears() {
        QueryRange range = new QueryRange(Instant.parse("2025-12-31T22:00:00Z"), Instant.parse("2026-02-01T01:00:00Z"));
        assertThat(range.periods(Granularity.HOUR)).containsExactly(LocalDate.of(2025, 12, 1), LocalDate.of(2026, 1, 1),
                LocalDate.of(2026, 2, 1));
        assertThat(range.periods(Granularity.DAY)).containsExactly(LocalDate.of(2025, 1, 1), LocalDate.of(2026, 1, 1));
    }

    @Test
    void rawEventDaysAreNewestFirst() {
        QueryRange range = new QueryRange(Instant.parse("2026-11-19T12:00:00Z"), Instant.parse("2026-11-21T00:00:01Z"));
        assertThat(range.daysNewestFirst()).containsExactly(LocalDate.of(2026, 11, 21), LocalDate.of(2026, 11, 20),
                LocalDate.of(2026, 11, 19));
    }
}
