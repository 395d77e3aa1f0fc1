package io.streamcontrol.control.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The Micrometer meters of one job, tagged {@code job=<name>}: registered when the job is first seen running,
 * removed when it no longer runs. Gauges show the driver's last answer (NaN before it); the Spark totals are
 * function counters, so they restart from the new driver's totals after a restart, as Prometheus expects of a
 * counter reset. Not thread-safe: the poller calls it under its per-job lock.
 */
final class StreamingMeters {

    private static final String SECONDS = "seconds";

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Counter failedBatches;
    private final Counter pollErrors;
    /** Failed batches already counted, among those the driver still retains. */
    private final Set<Long> countedFailures = new HashSet<>();
    private volatile @Nullable SparkStatistics statistics;
    private volatile @Nullable SparkBatch lastCompleted;

    StreamingMeters(MeterRegistry registry, String job) {
        this.registry = registry;
        Tags tags = Tags.of("job", job);
        gauge("streaming.input.rate", "Average input rate of the retained batches, events per second", null, tags,
                m -> m.statistic(s -> s.avgInputRate() == null ? Double.NaN : s.avgInputRate()));
        functionCounter("streaming.records.received",
                "Records received by the job's receivers since the driver started", tags,
                m -> m.total(s -> s.numReceivedRecords()));
        functionCounter("streaming.records.processed",
                "Records processed by completed batches since the driver started", tags,
                m -> m.total(s -> s.numProcessedRecords()));
        gauge("streaming.batch.processing.time", "Processing time of the last completed batch", SECONDS, tags,
                m -> m.lastCompletedSeconds(SparkBatch::processingTime));
        gauge("streaming.batch.scheduling.delay", "Scheduling delay (queueing) of the last completed batch", SECONDS,
                tags, m -> m.lastCompletedSeconds(SparkBatch::schedulingDelay));
        gauge("streaming.batch.total.delay",
                "Total delay (scheduling delay plus processing time) of the last completed batch", SECONDS, tags,
                m -> m.lastCompletedSeconds(SparkBatch::totalDelay));
        gauge("streaming.batch.interval", "Batch interval of the job", SECONDS, tags,
                m -> m.statistic(s -> s.batchDuration() / 1000.0));
        gauge("streaming.receivers", "Receivers of the job", null, tags, m -> m.statistic(s -> s.numReceivers()));
        gauge("streaming.receivers.active", "Receivers of the job that are active", null, tags,
                m -> m.statistic(s -> s.numActiveReceivers()));
        functionCounter("streaming.batches.completed", "Batches completed since the driver started", tags,
                m -> m.total(s -> s.numTotalCompletedBatches()));
        failedBatches = kept(Counter.builder("streaming.batches.failed")
                .description("Batches seen with at least one failed output operation").tags(tags).register(registry));
        pollErrors = kept(Counter.builder("streaming.metrics.poll.errors")
                .description("Polls of the driver's monitoring API that failed").tags(tags).register(registry));
    }

    /** The answer of a new poll. */
    void update(SparkStreamingStatus status) {
        statistics = status.statistics();
        status.lastCompletedBatch().ifPresent(batch -> lastCompleted = batch);
        Set<Long> retained = status.batches().stream().map(SparkBatch::batchId).collect(Collectors.toSet());
        countedFailures.retainAll(retained);
        for (SparkBatch batch : status.batches()) {
            if (batch.failed() && countedFailures.add(batch.batchId())) {
                failedBatches.increment();
            }
        }
    }

    void pollFailed() {
        pollErrors.increment();
    }

    /** The job runs in a new driver: what the old one said no longer holds. */
    void driverChanged() {
        statistics = null;
        lastCompleted = null;
        countedFailures.clear();
    }

    void remove() {
        meters.forEach(registry::remove);
        meters.clear();
    }

    private double statistic(ToDoubleFunction<SparkStatistics> value) {
        SparkStatistics current = statistics;
        return current == null ? Double.NaN : value.applyAsDouble(current);
    }

    private double total(ToDoubleFunction<SparkStatistics> value) {
        SparkStatistics current = statistics;
        return current == null ? 0 : value.applyAsDouble(current);
    }

    private double lastCompletedSeconds(Function<SparkBatch, @Nullable Long> millis) {
        SparkBatch batch = lastCompleted;
        Long value = batch == null ? null : millis.apply(batch);
        return value == null ? Double.NaN : value / 1000.0;
    }

    private void gauge(String name, String description, @Nullable String baseUnit, Tags tags,
            ToDoubleFunction<StreamingMeters> value) {
        kept(Gauge.builder(name, this, value).description(description).baseUnit(baseUnit).tags(tags)
                .register(registry));
    }

    private void functionCounter(String name, String description, Tags tags,
            ToDoubleFunction<StreamingMeters> value) {
        kept(FunctionCounter.builder(name, this, value).description(description).tags(tags).register(registry));
    }

    /** A meter just registered, kept for {@link #remove()}. */
    private <M extends Meter> M kept(M meter) {
        meters.add(meter);
        return meter;
    }
}
