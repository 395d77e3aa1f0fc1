package io.streamcontrol.control.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/** Jobs as a test says they are: which exist, and which run where. */
final class TestMonitoredJobs implements MonitoredJobs {

    private final Map<String, Target> running = new ConcurrentHashMap<>();
    private final CopyOnWriteArraySet<String> existing = new CopyOnWriteArraySet<>();

    TestMonitoredJobs run(String job, String appId, String driverUiUrl) {
        existing.add(job);
        running.put(job, new Target(job, appId, driverUiUrl));
        return this;
    }

    TestMonitoredJobs stop(String job) {
        running.remove(job);
        return this;
    }

    @Override
    public List<Target> running() {
        return List.copyOf(running.values());
    }

    @Override
    public boolean exists(String job) {
        return existing.contains(job);
    }
}
