package io.streamcontrol.contract.rollups;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * Time buckets of the rollups, in UTC. Each granularity also names the partition period that keeps a rollup
 * partition bounded: minute buckets are partitioned by day, hour buckets by month, day buckets by year.
 */
public enum Granularity {
    MINUTE(60_000L), HOUR(3_600_000L), DAY(86_400_000L);

    private final long millis;

    Granularity(long millis) {
        this.millis = millis;
    }

    public long millis() {
        return millis;
    }

    public long bucketStart(long epochMillis) {
        return Math.floorDiv(epochMillis, millis) * millis;
    }

    /** First day of the partition period holding the bucket that starts at {@code bucketStart}. */
    public LocalDate period(long bucketStart) {
        ZonedDateTime time = Instant.ofEpochMilli(bucketStart).atZone(ZoneOffset.UTC);
        return switch (this) {
            case MINUTE -> time.toLocalDate();
            case HOUR -> time.toLocalDate().withDayOfMonth(1);
            case DAY -> time.toLocalDate().withDayOfYear(1);
        };
    }

    /** The partition period after {@code period} (a value of {@link #period}). */
    public LocalDate nextPeriod(LocalDate period) {
        return switch (this) {
            case MINUTE -> period.plusDays(1);
            case HOUR -> period.plusMonths(1);
            case DAY -> period.plusYears(1);
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The UTC day of an instant. */
    public static LocalDate day(long epochMillis) {
        return LocalDate.ofEpochDay(Math.floorDiv(epochMillis, DAY.millis));
    }
}
