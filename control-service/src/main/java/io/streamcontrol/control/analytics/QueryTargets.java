package io.streamcontrol.control.analytics;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.streamcontrol.control.jobs.lifecycle.JobLookup;
import io.streamcontrol.control.system.ApiException;
import java.time.Duration;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The query targets of jobs by name, kept for a few seconds: what a query needs of a job (keyspace, dimensions,
 * granularities, top-N size) cannot change while the job exists, so the cache only delays seeing a job created or
 * deleted meanwhile.
 */
@Component
class QueryTargets {

    static final Duration KEEP = Duration.ofSeconds(10);

    private final LoadingCache<String, Optional<QueryTarget>> targets;

    QueryTargets(JobLookup jobs) {
        this.targets = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(KEEP)
                .build(name -> jobs.config(name).map(config -> QueryTarget.of(name, config)));
    }

    QueryTarget get(String job) {
        return targets.get(job).orElseThrow(() -> ApiException.notFound("No job named " + job));
    }
}
