package io.streamcontrol.control.jobs.settings;

import io.streamcontrol.control.api.model.JobConfigurationDto;
import io.streamcontrol.control.api.model.JobDefinitionDto;
import io.streamcontrol.control.api.model.JobSettingsDto;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * What a job created with no settings gets: the job's own defaults (from its settings parser, the one authority) and
 * the service's Spark and restart defaults, as the API shows a configuration. The console's create form shows them.
 */
@Component
public class JobDefaults {

    private final JobConfigs configs;

    JobDefaults(JobConfigs configs) {
        this.configs = configs;
    }

    /** Every setting's default; the checkpoint is left out (each job gets its own directory under the base). */
    public JobConfigurationDto configuration() {
        JobConfigurationDto configuration = configs.toApi(configs.fromDefinition(
                new JobDefinitionDto().name("defaults").settings(new JobSettingsDto()), Instant.EPOCH));
        configuration.getSettings().setCheckpoint(null);
        return configuration;
    }
}
