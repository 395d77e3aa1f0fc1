package io.streamcontrol.control.jobs.lifecycle;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The service's own meters: launch latency, jobs by state, restarts, reconciliation passes and errors. Jobs by state
 * are counted by the reconciler, so only the leading replica exports them (a dashboard's sum counts each job once).
 */
@Component
public class JobMeters {

    private final MeterRegistry registry;
    private final Timer launchLatency;
    private final Counter reconciliationErrors;
    private final Counter reconciliationPasses;
    private final MultiGauge jobsByState;

    JobMeters(MeterRegistry registry) {
        this.registry = registry;
        this.launchLatency = Timer.builder("streamcontrol.launch.latency")
                .description("Time from a launch to its driver running").register(registry);
        this.reconciliationErrors = Counter.builder("streamcontrol.reconciliation.errors")
                .description("Reconciliation passes or job reconciliations that failed").register(registry);
        this.reconciliationPasses = Counter.builder("streamcontrol.reconciliation.passes")
                .description("Reconciliation passes over every job this replica made as the leader").register(registry);
        this.jobsByState = MultiGauge.builder("streamcontrol.jobs")
                .description("Jobs by observed state (on the leader)").register(registry);
    }

    /** A launch reached RUNNING; the job's restart counter is exported from then on, at 0 until a restart. */
    public void launched(String job, Duration untilRunning) {
        launchLatency.record(untilRunning);
        restarts(job);
    }

    public void restarted(String job) {
        restarts(job).increment();
    }

    private Counter restarts(String job) {
        return Counter.builder("streamcontrol.job.restarts").description("Launches by the restart policy")
                .tag("job", job).register(registry);
    }

    public void reconciliationFailed() {
        reconciliationErrors.increment();
    }

    /** A pass over every job ended, with the jobs as it left them. */
    public void reconciled(List<Job> jobs) {
        reconciliationPasses.increment();
        countStates(jobs);
    }

    /** This replica does not lead: it counts no jobs. */
    public void standingBy() {
        jobsByState.register(List.of(), true);
    }

    private void countStates(List<Job> jobs) {
        Map<JobState, Integer> counts = new EnumMap<>(JobState.class);
        Arrays.stream(JobState.values()).forEach(state -> counts.put(state, 0));
        jobs.forEach(job -> counts.merge(job.state(), 1, Integer::sum));
        jobsByState.register(counts.entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("state", e.getKey().name()), e.getValue()))
                .toList(), true);
    }
}
