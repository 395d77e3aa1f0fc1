package io.streamcontrol.control.jobs.api;

import io.streamcontrol.control.api.model.DesiredStateDto;
import io.streamcontrol.control.api.model.JobDto;
import io.streamcontrol.control.api.model.JobStateDto;
import io.streamcontrol.control.api.model.JobStatusDto;
import io.streamcontrol.control.api.model.TransitionDto;
import io.streamcontrol.control.jobs.lifecycle.JobStore;
import io.streamcontrol.control.jobs.settings.JobConfigs;
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

    JobDto job(io.streamcontrol.control.jobs.lifecycle.Job job) {
        io.streamcontrol.control.jobs.lifecycle.JobStatus s = job.status();
        JobStatusDto status = new JobStatusDto()
                .state(JobStateDto.fromValue(s.state().name()))
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
        return new JobDto()
                .name(job.name())
                ._configuration(configs.toApi(job.config()))
                .desiredState(DesiredStateDto.fromValue(job.desired().name()))
                .status(status)
                .createdAt(time(job.createdAt()))
                .updatedAt(time(job.updatedAt()));
    }

    TransitionDto transition(JobStore.Transition t) {
        return new TransitionDto()
                .at(time(t.at()))
                .from(t.from() == null ? null : JobStateDto.fromValue(t.from().name()))
                .to(JobStateDto.fromValue(t.to().name()))
                .reason(t.reason())
                .attempt(t.attempt())
                .appId(t.appId());
    }

    static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
