package io.streamcontrol.control.jobs;

import io.streamcontrol.contract.settings.Durations;
import io.streamcontrol.control.api.JobsApi;
import io.streamcontrol.control.api.model.DriverLog;
import io.streamcontrol.control.api.model.Job;
import io.streamcontrol.control.api.model.JobChanges;
import io.streamcontrol.control.api.model.JobDefinition;
import io.streamcontrol.control.api.model.JobPage;
import io.streamcontrol.control.api.model.JobState;
import io.streamcontrol.control.api.model.TransitionPage;
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
    public ResponseEntity<Job> createJob(JobDefinition definition, String idempotencyKey) {
        JobService.Created created = jobs.create(definition, idempotencyKey);
        return ResponseEntity.created(URI.create("/api/jobs/" + created.job().name()))
                .body(views.job(created.job()));
    }

    @Override
    public ResponseEntity<JobPage> listJobs(JobState state, Integer limit, String cursor) {
        Page<io.streamcontrol.control.jobs.Job> page = jobs.list(
                state == null ? null : io.streamcontrol.control.jobs.JobState.valueOf(state.getValue()), limit, cursor);
        return ResponseEntity.ok(new JobPage().items(page.items().stream().map(views::job).toList())
                .nextCursor(page.nextCursor()));
    }

    @Override
    public ResponseEntity<Job> getJob(String name) {
        return ResponseEntity.ok(views.job(jobs.get(name)));
    }

    @Override
    public ResponseEntity<Job> startJob(String name, String idempotencyKey) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(views.job(jobs.start(name, idempotencyKey)));
    }

    @Override
    public ResponseEntity<Job> stopJob(String name, String timeout) {
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(views.job(jobs.stop(name, timeout == null ? null : Durations.parse(timeout))));
    }

    @Override
    public ResponseEntity<Job> killJob(String name) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(views.job(jobs.kill(name)));
    }

    @Override
    public ResponseEntity<Job> reconfigureJob(String name, JobChanges changes) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(views.job(jobs.reconfigure(name, changes)));
    }

    @Override
    public ResponseEntity<Void> deleteJob(String name) {
        jobs.delete(name);
        return ResponseEntity.noContent().build();
    }

    @Override
    public ResponseEntity<TransitionPage> getJobHistory(String name, Integer limit, String cursor) {
        Page<JobStore.Transition> page = jobs.history(name, limit, cursor);
        return ResponseEntity.ok(new TransitionPage().items(page.items().stream().map(views::transition).toList())
                .nextCursor(page.nextCursor()));
    }

    @Override
    public ResponseEntity<DriverLog> getDriverLog(String name, Integer lines) {
        io.streamcontrol.control.jobs.Job job = jobs.get(name);
        return ResponseEntity.ok(new DriverLog().job(name).attempt(job.status().attempt()).lines(jobs.log(name, lines)));
    }
}
