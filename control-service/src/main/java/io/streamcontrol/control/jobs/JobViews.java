package io.streamcontrol.control.jobs;

import io.streamcontrol.control.api.model.DesiredState;
import io.streamcontrol.control.api.model.Job;
import io.streamcontrol.control.api.model.JobState;
import io.streamcontrol.control.api.model.JobStatus;
import io.streamcontrol.control.api.model.Transition;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.stereotype.Component;

/** Jobs and their history as the API shows them. */
@Component
class JobViews {

    private final JobConfigs configs;

    JobViews(JobConfigs configs) {
        this.configs = configs;
    }

    Job job(io.streamcontrol.control.jobs.Job job) {
        io.streamcontrol.control.jobs.JobStatus s = job.status();
        JobStatus status = new JobStatus()
                .state(JobState.fromValue(s.state().name()))
                .appId(s.appId())
                .driverUiUrl(s.uiUrl())
                .submissionId(s.submissionId())
                .attempt(s.attempt())
                .generation(s.generation())
                .checkpoint(JobConfigs.checkpoint(job.config(), s.generation()))
                .lastError(s.lastError())
                .launchedAt(time(s.launchedAt()))
                .runningSince(time(s.runningSince()))
                .stoppedAt(time(s.stoppedAt()))
                .nextRestartAt(time(s.nextRestartAt()));
        return new Job()
                .name(job.name())
                ._configuration(configs.toApi(job.config()))
                .desiredState(DesiredState.fromValue(job.desired().name()))
                .status(status)
                .createdAt(time(job.createdAt()))
                .updatedAt(time(job.updatedAt()));
    }

    Transition transition(JobStore.Transition t) {
        return new Transition()
                .at(time(t.at()))
                .from(t.from() == null ? null : JobState.fromValue(t.from().name()))
                .to(JobState.fromValue(t.to().name()))
                .reason(t.reason())
                .attempt(t.attempt())
                .appId(t.appId());
    }

    static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
