package io.streamcontrol.control.jobs.api;

import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.streamcontrol.control.audit.AuditLog;
import io.streamcontrol.control.jobs.lifecycle.DesiredState;
import io.streamcontrol.control.jobs.lifecycle.Job;
import io.streamcontrol.control.jobs.lifecycle.JobService;
import io.streamcontrol.control.jobs.lifecycle.JobState;
import io.streamcontrol.control.jobs.lifecycle.JobStatus;
import io.streamcontrol.control.jobs.settings.JobConfig;
import io.streamcontrol.control.jobs.settings.RestartPolicy;
import io.streamcontrol.control.launcher.SparkSpec;
import io.streamcontrol.control.system.ApiException;
import io.streamcontrol.control.system.Pages.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.security.test.context.support.WithAnonymousUser;
import org.springframework.security.test.context.support.WithMockUser;
import io.streamcontrol.control.security.SecurityConfiguration;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(JobsController.class)
@Import(SecurityConfiguration.class)
@WithMockUser(username = "alice", roles = "operator")
class JobsControllerTest {

    static final Job JOB = new Job("sales", new JobConfig(Map.of("keyspace", "sales"), new SparkSpec("local[4]",
            "client", "768m", 1, "1g", 1, Map.of()), new RestartPolicy(3, Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofHours(1))),
            DesiredState.STOPPED, JobStatus.created(), 1, Instant.EPOCH, Instant.EPOCH);

    @Autowired
    MockMvc mvc;

    @MockitoBean
    JobService jobs;

    @MockitoBean
    JobViews views;

    @MockitoBean
    AuditLog audit;

    @BeforeEach
    void views() {
        when(views.job(any())).thenAnswer(call -> new io.streamcontrol.control.api.model.JobDto()
                .name(((Job) call.getArgument(0)).name()));
        when(audit.record(any())).thenAnswer(call -> CompletableFuture.completedFuture(null));
    }

    @Test
    void createAnswers201WithTheJobAndItsLocation() throws Exception {
        when(jobs.create(any(), eq("key-1"))).thenReturn(new JobService.Created(JOB, true));

        mvc.perform(post("/api/jobs").contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", "key-1")
                        .content("{\"name\":\"sales\",\"settings\":{\"batchInterval\":\"2s\",\"dimensions\":[\"product\"]}}"))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/api/jobs/sales"))
                .andExpect(jsonPath("$.name").value("sales"));
    }

    @Test
    void aBodyWithAnUnknownFieldIs400AndChangesNothing() throws Exception {
        mvc.perform(post("/api/jobs").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"sales\",\"settings\":{\"sparkHome\":\"/tmp\"}}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.detail", containsString("sparkHome")));
        verifyNoInteractions(jobs);
    }

    @Test
    void outOfRangeValuesAre400NamingEachField() throws Exception {
        mvc.perform(post("/api/jobs").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"sales\",\"settings\":{\"receivers\":0,\"batchInterval\":\"5 seconds\"},"
                                + "\"restartPolicy\":{\"maxAttempts\":-1}}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[*].field").value(org.hamcrest.Matchers.containsInAnyOrder(
                        "settings.receivers", "settings.batchInterval", "restartPolicy.maxAttempts")));
        verifyNoInteractions(jobs);
    }

    @Test
    void bodiesAreReadAsWrittenAndHeadersNamedAsInTheContract() throws Exception {
        for (String body : List.of("{\"name\":\"sales\",\"settings\":{\"receivers\":1.5}}",
                "{\"name\":\"sales\",\"settings\":{\"resume\":1}}",
                "{\"name\":\"sales\",\"settings\":{\"sourcePort\":\"9999\"}}")) {
            mvc.perform(post("/api/jobs").contentType(MediaType.APPLICATION_JSON).content(body))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        }
        mvc.perform(post("/api/jobs").header("Idempotency-Key", "has space").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"sales\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("Idempotency-Key"));
        verifyNoInteractions(jobs);
    }

    @Test
    void aNameThatIsNotAJobNameIs400() throws Exception {
        mvc.perform(post("/api/jobs").contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"../etc\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("name"));
        mvc.perform(get("/api/jobs/{name}", "bad name"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("name"));
        verifyNoInteractions(jobs);
    }

    /** The console shows this answer as "cannot reach Cassandra" rather than an internal error. */
    @Test
    void aCassandraThatCannotBeReachedIs503SayingSoAndOtherFailuresStay500() throws Exception {
        when(jobs.list(any(), org.mockito.ArgumentMatchers.anyInt(), any()))
                .thenThrow(new com.datastax.oss.driver.api.core.NoNodeAvailableException());
        mvc.perform(get("/api/jobs"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "5"))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("The control service cannot reach Cassandra"
                        + " (NoNodeAvailableException: No node was available to execute the query)"));

        when(jobs.get("sales")).thenThrow(new java.util.concurrent.CompletionException(
                new com.datastax.oss.driver.api.core.DriverTimeoutException("Query timed out after PT10S")));
        mvc.perform(get("/api/jobs/sales"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.detail", containsString("cannot reach Cassandra (DriverTimeoutException")));

        when(jobs.get("other")).thenThrow(new IllegalStateException("a bug"));
        mvc.perform(get("/api/jobs/other"))
                .andExpect(status().isInternalServerError())
                .andExpect(jsonPath("$.detail").value("Internal error: IllegalStateException"));
    }

    @Test
    void serviceRefusalsKeepTheirStatus() throws Exception {
        when(jobs.get("nope")).thenThrow(ApiException.notFound("No job named nope"));
        mvc.perform(get("/api/jobs/nope"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("No job named nope"));

        when(jobs.create(any(), isNull())).thenThrow(ApiException.conflict("Job sales exists"));
        mvc.perform(post("/api/jobs").contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"sales\"}"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.status").value(409))
                .andExpect(jsonPath("$.detail").value("Job sales exists"));

        org.mockito.Mockito.doThrow(ApiException.conflict("Job sales is RUNNING; stop it before deleting it"))
                .when(jobs).delete("sales");
        mvc.perform(delete("/api/jobs/sales")).andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString("stop it")));
    }

    @Test
    void lifecycleActionsAnswer202() throws Exception {
        when(jobs.start("sales", "k-2")).thenReturn(JOB);
        when(jobs.stop("sales", Duration.ofSeconds(30))).thenReturn(JOB);
        when(jobs.kill("sales")).thenReturn(JOB);
        when(jobs.reconfigure(eq("sales"), any())).thenReturn(JOB);

        mvc.perform(post("/api/jobs/sales/start").header("Idempotency-Key", "k-2")).andExpect(status().isAccepted())
                .andExpect(jsonPath("$.name").value("sales"));
        mvc.perform(post("/api/jobs/sales/stop").param("timeout", "30s")).andExpect(status().isAccepted());
        mvc.perform(post("/api/jobs/sales/kill")).andExpect(status().isAccepted());
        mvc.perform(put("/api/jobs/sales/configuration").contentType(MediaType.APPLICATION_JSON)
                .content("{\"settings\":{\"batchInterval\":\"2s\"}}")).andExpect(status().isAccepted());
        mvc.perform(delete("/api/jobs/sales")).andExpect(status().isNoContent());
    }

    @Test
    void badParametersAre400NamingTheParameter() throws Exception {
        mvc.perform(post("/api/jobs/sales/stop").param("timeout", "soon")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("timeout"));
        mvc.perform(get("/api/jobs").param("limit", "0")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("limit"));
        mvc.perform(get("/api/jobs").param("state", "SLEEPING")).andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("state"));
        mvc.perform(get("/api/jobs/sales/log").param("lines", "100000")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("lines"));
        mvc.perform(post("/api/jobs/sales/start").header("Idempotency-Key", "has spaces"))
                .andExpect(status().isBadRequest());
        verify(jobs, never()).start(any(), any());
    }

    @Test
    void listHistoryAndLogArePaged() throws Exception {
        when(jobs.list(JobState.RUNNING, 1, null)).thenReturn(new Page<>(List.of(JOB), "c2FsZXM"));
        mvc.perform(get("/api/jobs").param("state", "RUNNING").param("limit", "1")).andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].name").value("sales"))
                .andExpect(jsonPath("$.nextCursor").value("c2FsZXM"));

        when(jobs.history("sales", 50, null)).thenReturn(new Page<>(List.of(), null));
        when(views.transition(any())).thenReturn(new io.streamcontrol.control.api.model.TransitionDto());
        mvc.perform(get("/api/jobs/sales/history")).andExpect(status().isOk()).andExpect(jsonPath("$.items").isEmpty());

        when(jobs.get("sales")).thenReturn(JOB);
        when(jobs.log("sales", 2)).thenReturn(List.of("a", "b"));
        mvc.perform(get("/api/jobs/sales/log").param("lines", "2")).andExpect(status().isOk())
                .andExpect(jsonPath("$.lines[1]").value("b"));
    }

    @Test
    void everyMutatingCallIsAuditedWithItsOutcome() throws Exception {
        when(jobs.kill("sales")).thenThrow(ApiException.notFound("No job named sales"));
        mvc.perform(post("/api/jobs/sales/kill")).andExpect(status().isNotFound());

        ArgumentCaptor<AuditLog.Entry> entry = ArgumentCaptor.forClass(AuditLog.Entry.class);
        verify(audit, timeout(2000)).record(entry.capture());
        org.assertj.core.api.Assertions.assertThat(entry.getValue())
                .extracting(AuditLog.Entry::caller, AuditLog.Entry::action, AuditLog.Entry::job, AuditLog.Entry::outcome)
                .containsExactly("alice", "POST /api/jobs/sales/kill", "sales", 404);
        mvc.perform(get("/api/jobs").param("limit", "5"));
        verify(audit, timeout(500).times(1)).record(any());
    }

    @Test
    @WithAnonymousUser
    void lifecycleCallsWithoutCredentialsAre401() throws Exception {
        for (var request : List.of(post("/api/jobs/sales/start"), post("/api/jobs/sales/stop"),
                post("/api/jobs/sales/kill"), delete("/api/jobs/sales"), get("/api/jobs"), get("/api/audit"),
                put("/api/jobs/sales/configuration").contentType(MediaType.APPLICATION_JSON).content("{}"))) {
            mvc.perform(request)
                    .andExpect(status().isUnauthorized())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.status").value(401));
        }
        verifyNoInteractions(jobs);
    }

    @Test
    @WithAnonymousUser
    void aViewerReadsButIsRefusedTheLifecycleWith403() throws Exception {
        when(jobs.get("sales")).thenReturn(JOB);
        mvc.perform(get("/api/jobs/sales").with(httpBasic("test-viewer", "viewer-secret")))
                .andExpect(status().isOk());
        for (var request : List.of(post("/api/jobs/sales/start"), post("/api/jobs/sales/stop"),
                post("/api/jobs/sales/kill"), delete("/api/jobs/sales"),
                post("/api/jobs").contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"x\"}"),
                put("/api/jobs/sales/configuration").contentType(MediaType.APPLICATION_JSON).content("{}"))) {
            mvc.perform(request.with(httpBasic("test-viewer", "viewer-secret")))
                    .andExpect(status().isForbidden())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.detail", containsString("needs role operator")));
        }
        verify(jobs, never()).start(any(), any());
        verify(jobs, never()).kill(any());
    }

    @Test
    @WithAnonymousUser
    void anOperatorFromConfigurationMayStartAndIsTheAuditedCaller() throws Exception {
        when(jobs.start("sales", null)).thenReturn(JOB);
        mvc.perform(post("/api/jobs/sales/start").with(httpBasic("test-operator", "operator-secret")))
                .andExpect(status().isAccepted());
        ArgumentCaptor<AuditLog.Entry> entry = ArgumentCaptor.forClass(AuditLog.Entry.class);
        verify(audit, timeout(2000)).record(entry.capture());
        org.assertj.core.api.Assertions.assertThat(entry.getValue().caller()).isEqualTo("test-operator");
    }
}
