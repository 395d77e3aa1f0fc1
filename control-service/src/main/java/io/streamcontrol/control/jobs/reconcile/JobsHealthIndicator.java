package io.streamcontrol.control.jobs.reconcile;

import io.streamcontrol.control.jobs.lifecycle.JobStore;
import io.streamcontrol.control.jobs.settings.JobsProperties;
import java.time.Duration;
import java.time.Instant;
import io.streamcontrol.control.leader.LeaderElection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The jobs as health sees them: on the leading replica, down when the reconciliation loop has stalled (then nothing
 * watches the drivers); a replica that stands by is up (readiness never depends on leading). Failed jobs are reported
 * in the details but do not make the service unhealthy.
 */
@Component("jobs")
class JobsHealthIndicator implements HealthIndicator {

    private final Reconciler reconciler;
    private final LeaderElection leader;
    private final JobStore store;
    private final JobsProperties properties;

    JobsHealthIndicator(Reconciler reconciler, LeaderElection leader, JobStore store, JobsProperties properties) {
        this.reconciler = reconciler;
        this.leader = leader;
        this.store = store;
        this.properties = properties;
    }

    @Override
    public Health health() {
        Map<String, Integer> byState = new TreeMap<>();
        store.all().forEach(job -> byState.merge(job.state().name(), 1, Integer::sum));
        Instant last = reconciler.lastPass();
        Optional<Instant> leadingSince = leader.leadingSince();
        Duration allowed = properties.reconcileInterval().multipliedBy(3).plusSeconds(30);
        boolean stalled = leadingSince.map(since -> last == null || last.isBefore(since) ? since : last)
                .map(since -> since.plus(allowed).isBefore(Instant.now())).orElse(false);
        Health.Builder health = stalled ? Health.down() : Health.up();
        return health.withDetail("jobs", byState).withDetail("leader", leadingSince.isPresent())
                .withDetail("lastReconciliation", String.valueOf(last)).build();
    }
}
