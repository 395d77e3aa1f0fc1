package io.streamcontrol.control.metrics;

import io.streamcontrol.control.api.MetricsApi;
import io.streamcontrol.control.api.model.BatchInfoDto;
import io.streamcontrol.control.api.model.JobMetricsDto;
import io.streamcontrol.control.api.model.ReceiverInfoDto;
import io.streamcontrol.control.api.model.StreamingStatisticsDto;
import io.streamcontrol.control.system.ApiException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/** The latest batch metrics of a job, as the poller last read them from its driver. */
@RestController
class MetricsController implements MetricsApi {

    private final MonitoredJobs jobs;
    private final JobMetricsPoller poller;

    MetricsController(MonitoredJobs jobs, JobMetricsPoller poller) {
        this.jobs = jobs;
        this.poller = poller;
    }

    @Override
    public ResponseEntity<JobMetricsDto> getJobMetrics(String name) {
        if (!jobs.exists(name)) {
            throw ApiException.notFound("No job named " + name);
        }
        JobMetricsDto metrics = poller.latest(name)
                .map(MetricsController::toApi)
                .orElseGet(() -> new JobMetricsDto(name, new ArrayList<>(), new ArrayList<>()));
        return ResponseEntity.ok(metrics);
    }

    static JobMetricsDto toApi(JobMetricsSnapshot snapshot) {
        List<ReceiverInfoDto> receivers = new ArrayList<>(snapshot.receivers().stream().map(MetricsController::toApi)
                .toList());
        List<BatchInfoDto> batches = new ArrayList<>(snapshot.batches().stream()
                .map(MetricsController::toApi).toList());
        return new JobMetricsDto(snapshot.job(), receivers, batches)
                .appId(snapshot.appId())
                .collectedAt(utc(snapshot.collectedAt()))
                .lastError(snapshot.lastError())
                .statistics(snapshot.statistics() == null ? null : toApi(snapshot.statistics()));
    }

    private static StreamingStatisticsDto toApi(SparkStatistics s) {
        return new StreamingStatisticsDto()
                .startTime(utc(s.startTime()))
                .batchDurationMs(s.batchDuration())
                .numReceivers(s.numReceivers())
                .numActiveReceivers(s.numActiveReceivers())
                .numInactiveReceivers(s.numInactiveReceivers())
                .numTotalCompletedBatches(s.numTotalCompletedBatches())
                .numRetainedCompletedBatches(s.numRetainedCompletedBatches())
                .numActiveBatches(s.numActiveBatches())
                .numProcessedRecords(s.numProcessedRecords())
                .numReceivedRecords(s.numReceivedRecords())
                .avgInputRate(s.avgInputRate())
                .avgSchedulingDelayMs(s.avgSchedulingDelay())
                .avgProcessingTimeMs(s.avgProcessingTime())
                .avgTotalDelayMs(s.avgTotalDelay());
    }

    private static ReceiverInfoDto toApi(SparkReceiver r) {
        return new ReceiverInfoDto()
                .streamId(r.streamId())
                .streamName(r.streamName())
                .active(r.active())
                .executorHost(r.executorHost())
                .avgEventRate(r.avgEventRate())
                .lastErrorMessage(r.lastErrorMessage())
                .lastErrorTime(utc(r.lastErrorTime()));
    }

    private static BatchInfoDto toApi(SparkBatch b) {
        return new BatchInfoDto()
                .batchTime(utc(b.batchTime()))
                .status(b.status())
                .inputSize(b.inputSize())
                .schedulingDelayMs(b.schedulingDelay())
                .processingTimeMs(b.processingTime())
                .totalDelayMs(b.totalDelay())
                .numFailedOutputOps(b.numFailedOutputOps())
                .firstFailureReason(b.firstFailureReason());
    }

    private static @Nullable OffsetDateTime utc(@Nullable Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
