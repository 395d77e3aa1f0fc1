package io.streamcontrol.control.jobs.api;

import io.streamcontrol.contract.settings.Durations;
import io.streamcontrol.control.api.JobsApi;
import io.streamcontrol.control.api.model.DriverLogDto;
import io.streamcontrol.control.api.model.JobDto;
import io.streamcontrol.control.api.model.JobChangesDto;
import io.streamcontrol.control.api.model.JobDefinitionDto;
import io.streamcontrol.control.api.model.JobPageDto;
import io.streamcontrol.control.api.model.JobStateDto;
import io.streamcontrol.control.api.model.TransitionPageDto;
import io.streamcontrol.control.jobs.lifecycle.JobService;
import io.streamcontrol.control.jobs.lifecycle.JobStore;
import io.streamcontrol.control.system.Pages.Page;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

@RestController
class JobsController implements JobsApi {

    private final JobService jobs;
    private final JobViews views;

    JobsController(JobService jobs, JobViews views) {
        this.jobs = jobs;
        this.views = views;
    }

    @Override
    public ResponseEntity<JobDto> createJob(JobDefinitionDto definition, String idempotencyKey) {
        JobService.Created created = jobs.create(definition, idempotencyKey);
        return ResponseEntity.created(URI.create("/api/jobs/" + created.job().name()))
                .body(views.job(created.job()));
    }

    @Override
    public ResponseEntity<JobPageDto> listJobs(JobStateDto state, Integer limit, String cursor) {
        Page<io.streamcontrol.control.jobs.lifecycle.Job> page = jobs.list(
                state == null ? null : io.streamcontrol.control.jobs.lifecycle.JobState.valueOf(state.getValue()), limit, cursor);
        return ResponseEntity.ok(new JobPageDto().items(page.items().stream().map(views::job).toList())
                .nextCursor(page.nextCursor()));
    }

    @Override
    public ResponseEntity<JobDto> getJob(String name) {
        return ResponseEntity.ok(views.job(jobs.get(name)));
    }

    @Override
    public ResponseEntity<JobDto> startJob(String name, String idempotencyKey) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(views.job(jobs.start(name, idempotencyKey)));
    }

    @Override
    public ResponseEntity<JobDto> stopJob(String name, String timeout) {
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(views.job(jobs.stop(name, timeout == null ? null : Durations.parse(timeout))));
    }

    @Override
    public ResponseEntity<JobDto> killJob(String name) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(views.job(jobs.kill(name)));
    }

    @Override
    public ResponseEntity<JobDto> reconfigureJob(String name, JobChangesDto changes) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(views.job(jobs.reconfigure(name, changes)));
    }

    @Override
    public ResponseEntity<Void> deleteJob(String name) {
        jobs.delete(name);
        return ResponseEntity.noContent().build();
    }

    @Override
    public ResponseEntity<TransitionPageDto> getJobHistory(String name, Integer limit, String cursor) {
        Page<JobStore.Transition> page = jobs.history(name, limit, cursor);
        return ResponseEntity.ok(new TransitionPageDto().items(page.items().stream().map(views::transition).toList())
                .nextCursor(page.nextCursor()));
    }

    @Override
    public ResponseEntity<DriverLogDto> getDriverLog(String name, Integer lines) {
        io.streamcontrol.control.jobs.lifecycle.Job job = jobs.get(name);
        return ResponseEntity.ok(new DriverLogDto().job(name).attempt(job.status().attempt())
                .lines(jobs.log(name, lines)));
    }
}
