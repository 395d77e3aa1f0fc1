package io.streamcontrol.contract.rollups;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class GranularityTest {

    final long time = Instant.parse("2026-03-14T10:15:30.250Z").toEpochMilli();

    @Test
    void bucketsAreUtcStarts() {
        assertThat(Instant.ofEpochMilli(Granularity.MINUTE.bucketStart(time))).isEqualTo("2026-03-14T10:15:00Z");
        assertThat(Instant.ofEpochMilli(Granularity.HOUR.bucketStart(time))).isEqualTo("2026-03-14T10:00:00Z");
        assertThat(Instant.ofEpochMilli(Granularity.DAY.bucketStart(time))).isEqualTo("2026-03-14T00:00:00Z");
    }

    @Test
    void timesBeforeTheEpochFloor() {
        assertThat(Granularity.MINUTE.bucketStart(-1)).isEqualTo(-60_000);
    }

    @Test
    void periodsBoundPartitions() {
        assertThat(Granularity.MINUTE.period(Granularity.MINUTE.bucketStart(time))).isEqualTo(LocalDate.of(2026, 3, 14));
        assertThat(Granularity.HOUR.period(Granularity.HOUR.bucketStart(time))).isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(Granularity.DAY.period(Granularity.DAY.bucketStart(time))).isEqualTo(LocalDate.of(2026, 1, 1));
        assertThat(Granularity.day(time)).isEqualTo(LocalDate.of(2026, 3, 14));
    }

    @Test
    void theNextPeriodIsTheNextPartition() {
        LocalDate newYearsEve = LocalDate.of(2025, 12, 31);
        assertThat(Granularity.MINUTE.nextPeriod(newYearsEve)).isEqualTo(LocalDate.of(2026, 1, 1));
        assertThat(Granularity.HOUR.nextPeriod(LocalDate.of(2025, 12, 1))).isEqualTo(LocalDate.of(2026, 1, 1));
        assertThat(Granularity.DAY.nextPeriod(LocalDate.of(2025, 1, 1))).isEqualTo(LocalDate.of(2026, 1, 1));
        for (Granularity g : Granularity.values()) {
            long lastBucketOf2025 = g.bucketStart(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli() - 1);
            assertThat(g.nextPeriod(g.period(lastBucketOf2025))).as(g.label())
                    .isEqualTo(g.period(lastBucketOf2025 + g.millis()));
        }
    }

    @Test
    void theDayOfAnInstantIsItsUtcDate() {
        for (long millis : new long[] {0, 1, -1, 86_399_999, 86_400_000, -86_400_000, -86_400_001, time,
                Instant.parse("1969-12-31T23:59:59.999Z").toEpochMilli(), Instant.parse("9999-12-31T23:59:59Z").toEpochMilli()}) {
            assertThat(Granularity.day(millis)).as("%d", millis)
                    .isEqualTo(Instant.ofEpochMilli(millis).atZone(java.time.ZoneOffset.UTC).toLocalDate());
        }
    }
}
