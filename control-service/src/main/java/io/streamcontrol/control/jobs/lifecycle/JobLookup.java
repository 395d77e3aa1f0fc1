package io.streamcontrol.control.jobs.lifecycle;

import io.streamcontrol.control.jobs.settings.JobConfig;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Read access to the jobs' configurations for the other features. */
@Component
public class JobLookup {

    private final JobStore store;

    JobLookup(JobStore store) {
        this.store = store;
    }

    public Optional<JobConfig> config(String name) {
        return store.find(name).map(Job::config);
    }
}
