package io.streamcontrol.control.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamcontrol.control.metrics.MonitoredJobs.Target;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Polls the monitoring API of every running driver ({@link MonitoredJobs#running()}) and keeps, per job, the latest
 * {@link JobMetricsSnapshot} and its {@link StreamingMeters}; jobs that no longer run are dropped with their meters.
 *
 * <p>Each job is polled on its own task of a small pool, at most one task per job at a time, and each request has
 * connect and read timeouts: a slow or dead driver only delays its own job's next poll. The scheduler thread only
 * hands the polls out and never waits for a driver.
 */
@Component
class JobMetricsPoller implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(JobMetricsPoller.class);
    static final int POLL_THREADS = 4;

    private final MonitoredJobs jobs;
    private final SparkMonitoringClient client;
    private final MeterRegistry registry;
    private final int recentBatches;
    private final Clock clock;
    private final ExecutorService executor;
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();

    @Autowired
    JobMetricsPoller(MonitoredJobs jobs, SparkMonitoringClient client, MeterRegistry registry,
            MetricsProperties properties) {
        this(jobs, client, registry, properties, Clock.systemUTC());
    }

    JobMetricsPoller(MonitoredJobs jobs, SparkMonitoringClient client, MeterRegistry registry,
            MetricsProperties properties, Clock clock) {
        this.jobs = jobs;
        this.client = client;
        this.registry = registry;
        this.recentBatches = properties.recentBatches();
        this.clock = clock;
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(POLL_THREADS, POLL_THREADS, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "metrics-poll-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        this.executor = pool;
    }

    @Scheduled(fixedDelayString = "${streamcontrol.metrics.poll-interval:5s}")
    void poll() {
        pollOnce();
    }

    /**
     * Brings the set of polled jobs in line with {@link MonitoredJobs#running()} and starts a poll of each job whose
     * previous poll has ended; the future completes when this round's polls (or those still under way) end.
     */
    CompletableFuture<Void> pollOnce() {
        List<Target> running;
        try {
            running = jobs.running();
        } catch (RuntimeException e) {
            LOG.warn("Could not list the running jobs; metrics not polled this time", e);
            return CompletableFuture.completedFuture(null);
        }
        Map<String, Target> targets = new LinkedHashMap<>();
        running.forEach(target -> targets.putIfAbsent(target.job(), target));

        tracked.values().removeIf(job -> {
            if (targets.containsKey(job.name)) {
                return false;
            }
            job.close();
            LOG.info("Job {} no longer runs: its metrics are dropped", job.name);
            return true;
        });
        List<CompletableFuture<Void>> polls = new ArrayList<>();
        targets.forEach((name, target) -> polls.add(tracked.computeIfAbsent(name, n -> new Tracked(target))
                .pollUnlessBusy(target)));
        return CompletableFuture.allOf(polls.toArray(CompletableFuture[]::new));
    }

    /** The latest metrics of a running job: empty when the job does not run (or was not seen running yet). */
    Optional<JobMetricsSnapshot> latest(String job) {
        Tracked current = tracked.get(job);
        return current == null ? Optional.empty() : Optional.of(current.snapshot);
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
        tracked.values().forEach(Tracked::close);
        tracked.clear();
    }

    /** One job while it runs; its lock guards the snapshot, the meters and the poll under way. */
    private final class Tracked {
        final String name;
        final StreamingMeters meters;
        volatile Target target;
        volatile JobMetricsSnapshot snapshot;
        private @Nullable CompletableFuture<Void> poll;
        private boolean closed;
        private boolean failing;

        Tracked(Target target) {
            this.name = target.job();
            this.target = target;
            this.snapshot = JobMetricsSnapshot.none(name, target.appId());
            this.meters = new StreamingMeters(registry, name);
            LOG.info("Polling metrics of job {} ({} at {})", name, target.appId(), target.driverUiUrl());
        }

        synchronized CompletableFuture<Void> pollUnlessBusy(Target current) {
            if (!current.equals(target)) {
                LOG.info("Job {} runs in a new driver ({} at {}): its metrics start over", name, current.appId(),
                        current.driverUiUrl());
                target = current;
                snapshot = JobMetricsSnapshot.none(name, current.appId());
                meters.driverChanged();
                failing = false;
            }
            if (poll != null && !poll.isDone()) {
                return poll;
            }
            try {
                poll = CompletableFuture.runAsync(() -> pollNow(current), executor);
            } catch (RejectedExecutionException e) {
                poll = CompletableFuture.completedFuture(null);
            }
            return poll;
        }

        private void pollNow(Target polled) {
            SparkStreamingStatus status;
            try {
                status = client.fetch(polled.driverUiUrl(), polled.appId());
            } catch (RuntimeException e) {
                failed(polled, e);
                return;
            }
            collected(polled, status);
        }

        private synchronized void collected(Target polled, SparkStreamingStatus status) {
            if (closed || !polled.equals(target)) {
                return;
            }
            snapshot = snapshot.collected(clock.instant(), status, recentBatches);
            meters.update(status);
            if (failing) {
                LOG.info("Metrics of job {} ({}) are read again", name, polled.appId());
                failing = false;
            }
        }

        private synchronized void failed(Target polled, RuntimeException e) {
            if (closed || !polled.equals(target)) {
                return;
            }
            String error = e instanceof SparkMonitoringException ? e.getMessage() : e.toString();
            snapshot = snapshot.failed(error);
            meters.pollFailed();
            if (!failing) {
                LOG.warn("Metrics of job {} ({}) could not be read: {}", name, polled.appId(), error);
                failing = true;
            } else {
                LOG.debug("Metrics of job {} ({}) still cannot be read: {}", name, polled.appId(), error);
            }
        }

        synchronized void close() {
            closed = true;
            meters.remove();
        }
    }
}
