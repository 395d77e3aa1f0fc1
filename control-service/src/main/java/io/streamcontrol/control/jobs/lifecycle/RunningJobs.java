package io.streamcontrol.control.jobs.lifecycle;

import io.streamcontrol.control.metrics.MonitoredJobs;
import java.util.List;
import org.springframework.stereotype.Component;

/** The running jobs whose drivers the metrics feature polls. */
@Component
class RunningJobs implements MonitoredJobs {

    private final JobStore store;

    RunningJobs(JobStore store) {
        this.store = store;
    }

    @Override
    public List<Target> running() {
        return store.all().stream()
                .filter(job -> job.state() == JobState.RUNNING || job.state() == JobState.STOPPING)
                .filter(job -> job.status().appId() != null && job.status().uiUrl() != null)
                .map(job -> new Target(job.name(), job.status().appId(), job.status().uiUrl()))
                .toList();
    }

    @Override
    public boolean exists(String job) {
        return store.find(job).isPresent();
    }
}
