package io.streamcontrol.control.metrics;

import static io.streamcontrol.control.metrics.SparkPayloads.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.security.test.context.support.WithMockUser;
import io.streamcontrol.control.security.SecurityConfiguration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@WebMvcTest(MetricsController.class)
@Import(SecurityConfiguration.class)
@WithMockUser(roles = "operator")
class MetricsControllerTest {

    static final String APP = "local-1795250119775";

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    MonitoredJobs jobs;

    @MockitoBean
    JobMetricsPoller poller;

    /** The audit interceptor's store (slices have no Cassandra). */
    @MockitoBean
    io.streamcontrol.control.audit.AuditLog audit;

    @Test
    void theLatestMetricsOfARunningJob() {
        SparkStreamingStatus status = new SparkStreamingStatus(SparkStreamingJson.statistics(load("statistics.json")),
                SparkStreamingJson.receivers(load("receivers-source-closed.json")),
                SparkStreamingJson.batches(load("batches.json")));
        given(jobs.exists("sales")).willReturn(true);
        given(poller.latest("sales")).willReturn(Optional.of(JobMetricsSnapshot.none("sales", APP)
                .collected(Instant.parse("2026-11-21T08:38:10Z"), status, 3)
                .failed("Driver answered 500 for batches of " + APP + ": oops")));

        MvcTestResult result = mvc.get().uri("/api/jobs/sales/metrics").accept(MediaType.APPLICATION_JSON).exchange();

        assertThat(result).hasStatusOk().hasContentTypeCompatibleWith(MediaType.APPLICATION_JSON);
        assertThat(result).bodyJson().isLenientlyEqualTo("""
                {
                  "job": "sales",
                  "appId": "local-1795250119775",
                  "collectedAt": "2026-11-21T08:38:10Z",
                  "lastError": "Driver answered 500 for batches of local-1795250119775: oops",
                  "statistics": {
                    "startTime": "2026-11-21T08:37:38.765Z",
                    "batchDurationMs": 1000,
                    "numReceivers": 2,
                    "numActiveReceivers": 2,
                    "numInactiveReceivers": 0,
                    "numTotalCompletedBatches": 9,
                    "numRetainedCompletedBatches": 9,
                    "numActiveBatches": 19,
                    "numProcessedRecords": 4585,
                    "numReceivedRecords": 5522,
                    "avgInputRate": 841.9285714285714,
                    "avgSchedulingDelayMs": 9205,
                    "avgProcessingTimeMs": 2755,
                    "avgTotalDelayMs": 11142
                  },
                  "receivers": [
                    {
                      "streamId": 0,
                      "streamName": "ResumableSocketReceiver-0",
                      "active": false,
                      "executorHost": "127.0.0.1",
                      "lastErrorTime": "2026-11-21T08:38:14.986Z"
                    },
                    { "streamId": 1, "active": false }
                  ],
                  "batches": [
                    {
                      "batchTime": "2026-11-21T08:38:06Z", "status": "QUEUED", "inputSize": 1003,
                      "numFailedOutputOps": 0
                    },
                    { "batchTime": "2026-11-21T08:38:05Z" },
                    { "batchTime": "2026-11-21T08:38:04Z" }
                  ]
                }
                """);
        assertThat(result).bodyJson().extractingPath("$.batches").asArray().hasSize(3);
        assertThat(result).bodyJson().extractingPath("$.receivers[0].lastErrorMessage").asString()
                .startsWith("Restarting receiver with delay 2000ms");
    }

    @Test
    void aJobWithoutCollectedMetricsHasEmptyParts() throws Exception {
        given(jobs.exists("sales")).willReturn(true);
        given(poller.latest("sales")).willReturn(Optional.empty());

        MvcTestResult result = mvc.get().uri("/api/jobs/sales/metrics").exchange();

        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().isLenientlyEqualTo("""
                { "job": "sales", "receivers": [], "batches": [] }
                """);
        // absent, or null when the service's Jackson writes nulls
        JsonNode body = JsonMapper.builder().build().readTree(result.getResponse().getContentAsString());
        for (String field : List.of("appId", "collectedAt", "lastError", "statistics")) {
            assertThat(body.path(field).isMissingNode() || body.path(field).isNull()).as(field).isTrue();
        }
    }

    @Test
    void anUnknownJobIsA404ProblemDetail() {
        given(jobs.exists("ghost")).willReturn(false);

        MvcTestResult result = mvc.get().uri("/api/jobs/ghost/metrics").exchange();

        assertThat(result).hasStatus(HttpStatus.NOT_FOUND).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().isLenientlyEqualTo("""
                { "status": 404, "title": "Not Found", "detail": "No job named ghost" }
                """);
    }

    @Test
    void anInvalidJobNameIsA400ProblemDetail() {
        MvcTestResult result = mvc.get().uri("/api/jobs/-sales/metrics").exchange();

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.errors").asArray().hasSize(1);
    }
}
