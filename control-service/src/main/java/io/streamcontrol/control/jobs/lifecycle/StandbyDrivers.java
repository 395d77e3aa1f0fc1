package io.streamcontrol.control.jobs.lifecycle;

import io.streamcontrol.contract.settings.Durations;
import io.streamcontrol.contract.settings.JobSettings;
import io.streamcontrol.contract.tables.StandbyTable;
import io.streamcontrol.control.jobs.settings.JobsProperties;
import io.streamcontrol.control.launcher.DriverHandle;
import io.streamcontrol.control.launcher.DriverState;
import io.streamcontrol.control.launcher.SparkSpec;
import jakarta.annotation.PreDestroy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Drivers launched ahead of a start ({@code streamcontrol.jobs.standby.enabled}), one per job that has no driver and
 * whose driver runs on this service's machine (local master or client mode). A standby is launched with the arguments
 * the job's next start would have and waits with its Spark context up and its session open
 * ({@code StreamingJob --standby}); a start takes it over in about a second instead of launching (spark-submit, the
 * JVM and the Spark context: about 7 s on a laptop). A standby that no longer fits its job (the configuration or the
 * Spark settings changed) is replaced. Standbys belong to the instance that launched them (their handles are here); a
 * start on another instance launches as usual. Which standby fits and when one is wanted is decided here; launching
 * and taking over are {@link JobDrivers}'.
 */
@Component
class StandbyDrivers {

    private static final Logger LOG = LoggerFactory.getLogger(StandbyDrivers.class);
    /** After a standby failed on its own, the job gets no new one for this long (a standby that cannot start). */
    static final Duration AFTER_FAILURE = Duration.ofMinutes(1);

    /** A standby driver: its launch, and what it was launched with. */
    record Standby(String job, String launchId, DriverHandle handle, SparkSpec spark, List<String> arguments,
            Path logFile, String uiUrl, Instant launchedAt) {

        /**
         * Whether this standby can run the job with {@code arguments} (the job's next launch, under this standby's
         * launch id) and {@code spark}: it is alive, its Spark settings are the same and its arguments need the same
         * driver ({@link JobSettings#sameDriver}).
         */
        boolean fits(SparkSpec spark, List<String> arguments) {
            return !handle.state().isFinal() && this.spark.equals(spark) && JobSettings.sameDriver(
                    JobSettings.parse(this.arguments.toArray(String[]::new)),
                    JobSettings.parse(arguments.toArray(String[]::new)));
        }
    }

    private final JobsProperties properties;
    private final Map<String, Standby> byJob = new ConcurrentHashMap<>();
    private final Map<String, Instant> failedAt = new ConcurrentHashMap<>();

    StandbyDrivers(JobsProperties properties) {
        this.properties = properties;
    }

    /**
     * The arguments a standby is launched with: the standby flag and its idle timeout, then {@code jobArguments}, those
     * of the launch it stands for.
     */
    List<String> standbyArguments(List<String> jobArguments) {
        List<String> arguments = new ArrayList<>(List.of(StandbyTable.ARGUMENT,
                Durations.format(properties.standby().idleTimeout())));
        arguments.addAll(jobArguments);
        return arguments;
    }

    /** Whether {@code job} should have a standby now. */
    boolean wanted(Job job, Instant now) {
        SparkSpec spark = job.config().spark();
        Instant failed = failedAt.get(job.name());
        return properties.standby().enabled() && !job.state().hasDriver() && spark.driverOnThisHost()
                && (failed == null || failed.plus(AFTER_FAILURE).isBefore(now));
    }

    Optional<Standby> of(String job) {
        return Optional.ofNullable(byJob.get(job));
    }

    void add(Standby standby) {
        byJob.put(standby.job(), standby);
        LOG.info("Standby driver {} launched for job {} (log {})", standby.launchId(), standby.job(),
                standby.logFile());
    }

    /** Takes the standby {@code launchId} of {@code job} for a start: it is no longer a standby. */
    Optional<Standby> take(String job, String launchId) {
        Standby standby = byJob.get(job);
        return standby != null && standby.launchId().equals(launchId) && byJob.remove(job, standby)
                ? Optional.of(standby) : Optional.empty();
    }

    /** Kills the standby of {@code job}, if it has one; the caller clears its row. */
    Optional<Standby> retire(String job, String why) {
        Standby standby = byJob.remove(job);
        if (standby != null) {
            LOG.info("Standby driver {} of job {} ends: {}", standby.launchId(), job, why);
            standby.handle().kill();
        }
        return Optional.ofNullable(standby);
    }

    /** The standbys of jobs not in {@code jobs} (deleted). */
    List<String> jobsOtherThan(Set<String> jobs) {
        return byJob.keySet().stream().filter(job -> !jobs.contains(job)).toList();
    }

    /** A launch's state changed; a standby that ended on its own is forgotten, and its job waits a while. */
    void stateChanged(String launchId, DriverState state, Instant now) {
        if (!state.isFinal()) {
            return;
        }
        byJob.values().stream().filter(s -> s.launchId().equals(launchId)).findFirst().ifPresent(standby -> {
            if (byJob.remove(standby.job(), standby)) {
                LOG.warn("Standby driver {} of job {} ended on its own ({}; log {})", launchId, standby.job(), state,
                        standby.logFile());
                if (state != DriverState.FINISHED) {
                    failedAt.put(standby.job(), now);
                }
            }
        });
    }

    /** A service that stops takes its standbys with it: they are its children and wait for its starts only. */
    @PreDestroy
    void killAll() {
        byJob.keySet().forEach(job -> retire(job, "the service stops"));
    }
}
