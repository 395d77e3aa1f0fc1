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

    static final String TAG = "job";
    static final String INPUT_RATE = "streaming.input.rate";
    static final String RECORDS_RECEIVED = "streaming.records.received";
    static final String RECORDS_PROCESSED = "streaming.records.processed";
    static final String BATCH_PROCESSING_TIME = "streaming.batch.processing.time";
    static final String BATCH_SCHEDULING_DELAY = "streaming.batch.scheduling.delay";
    static final String BATCH_TOTAL_DELAY = "streaming.batch.total.delay";
    static final String BATCH_INTERVAL = "streaming.batch.interval";
    static final String RECEIVERS = "streaming.receivers";
    static final String RECEIVERS_ACTIVE = "streaming.receivers.active";
    static final String BATCHES_COMPLETED = "streaming.batches.completed";
    static final String BATCHES_FAILED = "streaming.batches.failed";
    static final String POLL_ERRORS = "streaming.metrics.poll.errors";

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
        Tags tags = Tags.of(TAG, job);
        gauge(INPUT_RATE, "Average input rate of the retained batches, events per second", null, tags,
                m -> m.statistic(s -> s.avgInputRate() == null ? Double.NaN : s.avgInputRate()));
        functionCounter(RECORDS_RECEIVED, "Records received by the job's receivers since the driver started", tags,
                m -> m.total(s -> s.numReceivedRecords()));
        functionCounter(RECORDS_PROCESSED, "Records processed by completed batches since the driver started", tags,
                m -> m.total(s -> s.numProcessedRecords()));
        gauge(BATCH_PROCESSING_TIME, "Processing time of the last completed batch", SECONDS, tags,
                m -> m.lastCompletedSeconds(SparkBatch::processingTime));
        gauge(BATCH_SCHEDULING_DELAY, "Scheduling delay (queueing) of the last completed batch", SECONDS, tags,
                m -> m.lastCompletedSeconds(SparkBatch::schedulingDelay));
        gauge(BATCH_TOTAL_DELAY, "Total delay (scheduling delay plus processing time) of the last completed batch",
                SECONDS, tags, m -> m.lastCompletedSeconds(SparkBatch::totalDelay));
        gauge(BATCH_INTERVAL, "Batch interval of the job", SECONDS, tags,
                m -> m.statistic(s -> s.batchDuration() / 1000.0));
        gauge(RECEIVERS, "Receivers of the job", null, tags, m -> m.statistic(s -> s.numReceivers()));
        gauge(RECEIVERS_ACTIVE, "Receivers of the job that are active", null, tags,
                m -> m.statistic(s -> s.numActiveReceivers()));
        functionCounter(BATCHES_COMPLETED, "Batches completed since the driver started", tags,
                m -> m.total(s -> s.numTotalCompletedBatches()));
        failedBatches = register(Counter.builder(BATCHES_FAILED)
                .description("Batches seen with at least one failed output operation").tags(tags));
        pollErrors = register(Counter.builder(POLL_ERRORS)
                .description("Polls of the driver's monitoring API that failed").tags(tags));
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
        register(Gauge.builder(name, this, value).description(description).baseUnit(baseUnit).tags(tags));
    }

    private void functionCounter(String name, String description, Tags tags,
            ToDoubleFunction<StreamingMeters> value) {
        register(FunctionCounter.builder(name, this, value).description(description).tags(tags));
    }

    private Gauge register(Gauge.Builder<StreamingMeters> builder) {
        Gauge gauge = builder.register(registry);
        meters.add(gauge);
        return gauge;
    }

    private FunctionCounter register(FunctionCounter.Builder<StreamingMeters> builder) {
        FunctionCounter counter = builder.register(registry);
        meters.add(counter);
        return counter;
    }

    private Counter register(Counter.Builder builder) {
        Counter counter = builder.register(registry);
        meters.add(counter);
        return counter;
    }
}
