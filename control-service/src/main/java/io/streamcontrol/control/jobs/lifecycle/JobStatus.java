package io.streamcontrol.control.jobs.lifecycle;

import java.time.Instant;

/**
 * What is known of a job's driver. {@code generation} numbers the checkpoint directory in use: a reconfigured job
 * starts a new one (its state is rebuilt from its tables), other launches recover from the current one.
 * {@code submissionId} is the id a standalone master gave a cluster-mode driver ({@code driver-...}): with it the
 * driver can be watched and killed through the master, also by a restarted service.
 */
public record JobStatus(
        JobState state,
        String appId,
        String uiUrl,
        int attempt,
        int generation,
        boolean configChanged,
        String launchId,
        String lastError,
        String logFile,
        Instant launchedAt,
        Instant runningSince,
        Instant stoppedAt,
        Instant nextRestartAt,
        Instant stopDeadline,
        Instant stopEscalatedAt,
        String submissionId) {

    public static JobStatus created() {
        return new JobStatus(JobState.STOPPED, null, null, 0, 1, false, null, null, null, null, null, null, null, null,
                null, null);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The status of a new launch. A new checkpoint generation starts only when the configuration changed and the last
     * driver stopped gracefully: then its tables are complete and the new driver rebuilds its state from them. After a
     * failure the driver must recover from its checkpoint, which keeps the old settings of the job.
     */
    public JobStatus launching(int attempt, Instant now, String launchId, String logFile) {
        boolean newGeneration = configChanged && state == JobState.STOPPED;
        return toBuilder()
                .state(JobState.SUBMITTED)
                .attempt(attempt)
                .generation(newGeneration ? generation + 1 : generation)
                .configChanged(configChanged && !newGeneration)
                .launchId(launchId)
                .submissionId(null)
                .appId(null)
                .uiUrl(null)
                .lastError(null)
                .logFile(logFile)
                .launchedAt(now)
                .runningSince(null)
                .stoppedAt(null)
                .nextRestartAt(null)
                .stopDeadline(null)
                .stopEscalatedAt(null)
                .build();
    }

    /** The status once the driver ended in {@code state}; a failure keeps the last error line of its log. */
    public JobStatus ended(JobState state, String reason, Instant now) {
        String error = switch (state) {
            case FAILED, LOST -> reason + LogTail.lastError(logFile).map(line -> ": " + line).orElse("");
            case KILLED -> reason;
            default -> null;
        };
        return toBuilder().state(state).stoppedAt(now).lastError(error).stopDeadline(null).stopEscalatedAt(null)
                .build();
    }

    /** Changes of a status; every field starts as it was. */
    public static final class Builder {
        private JobState state;
        private String appId;
        private String uiUrl;
        private int attempt;
        private int generation;
        private boolean configChanged;
        private String launchId;
        private String lastError;
        private String logFile;
        private Instant launchedAt;
        private Instant runningSince;
        private Instant stoppedAt;
        private Instant nextRestartAt;
        private Instant stopDeadline;
        private Instant stopEscalatedAt;
        private String submissionId;

        private Builder(JobStatus s) {
            state = s.state;
            appId = s.appId;
            uiUrl = s.uiUrl;
            attempt = s.attempt;
            generation = s.generation;
            configChanged = s.configChanged;
            launchId = s.launchId;
            lastError = s.lastError;
            logFile = s.logFile;
            launchedAt = s.launchedAt;
            runningSince = s.runningSince;
            stoppedAt = s.stoppedAt;
            nextRestartAt = s.nextRestartAt;
            stopDeadline = s.stopDeadline;
            stopEscalatedAt = s.stopEscalatedAt;
            submissionId = s.submissionId;
        }

        public Builder state(JobState value) {
            state = value;
            return this;
        }

        public Builder appId(String value) {
            appId = value;
            return this;
        }

        public Builder uiUrl(String value) {
            uiUrl = value;
            return this;
        }

        public Builder attempt(int value) {
            attempt = value;
            return this;
        }

        public Builder generation(int value) {
            generation = value;
            return this;
        }

        public Builder configChanged(boolean value) {
            configChanged = value;
            return this;
        }

        public Builder launchId(String value) {
            launchId = value;
            return this;
        }

        public Builder lastError(String value) {
            lastError = value;
            return this;
        }

        public Builder logFile(String value) {
            logFile = value;
            return this;
        }

        public Builder launchedAt(Instant value) {
            launchedAt = value;
            return this;
        }

        public Builder runningSince(Instant value) {
            runningSince = value;
            return this;
        }

        public Builder stoppedAt(Instant value) {
            stoppedAt = value;
            return this;
        }

        public Builder nextRestartAt(Instant value) {
            nextRestartAt = value;
            return this;
        }

        public Builder stopDeadline(Instant value) {
            stopDeadline = value;
            return this;
        }

        public Builder stopEscalatedAt(Instant value) {
            stopEscalatedAt = value;
            return this;
        }

        public Builder submissionId(String value) {
            submissionId = value;
            return this;
        }

        public JobStatus build() {
            return new JobStatus(state, appId, uiUrl, attempt, generation, configChanged, launchId, lastError, logFile,
                    launchedAt, runningSince, stoppedAt, nextRestartAt, stopDeadline, stopEscalatedAt, submissionId);
        }
    }
}
