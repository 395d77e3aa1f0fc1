package io.streamcontrol.control.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The jobs as health sees them: down when the reconciliation loop has stalled (then nothing watches the drivers);
 * failed jobs are reported in the details but do not make the service unhealthy.
 */
@Component("jobs")
class JobsHealthIndicator implements HealthIndicator {

    private final Reconciler reconciler;
    private final JobStore store;
    private final JobsProperties properties;
    private final Instant startedAt = Instant.now();

    JobsHealthIndicator(Reconciler reconciler, JobStore store, JobsProperties properties) {
        this.reconciler = reconciler;
        this.store = store;
        this.properties = properties;
    }

    @Override
    public Health health() {
        Map<String, Integer> byState = new TreeMap<>();
        store.all().forEach(job -> byState.merge(job.state().name(), 1, Integer::sum));
        Instant last = reconciler.lastPass();
        Duration allowed = properties.reconcileInterval().multipliedBy(3).plusSeconds(30);
        boolean stalled = (last == null ? startedAt : last).plus(allowed).isBefore(Instant.now());
        Health.Builder health = stalled ? Health.down() : Health.up();
        return health.withDetail("jobs", byState).withDetail("lastReconciliation", String.valueOf(last)).build();
    }
}
