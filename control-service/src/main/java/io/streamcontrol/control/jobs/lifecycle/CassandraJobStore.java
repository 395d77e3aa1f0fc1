package io.streamcontrol.control.jobs.lifecycle;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import io.streamcontrol.contract.settings.Durations;
import io.streamcontrol.control.jobs.settings.JobConfig;
import io.streamcontrol.control.jobs.settings.RestartPolicy;
import io.streamcontrol.control.launcher.SparkSpec;
import io.streamcontrol.control.system.ControlKeyspace;
import io.streamcontrol.control.system.Pages;
import io.streamcontrol.control.system.Pages.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The {@link JobStore} in the control keyspace: every update is a lightweight transaction on the job's version (and,
 * for the reconciliation loop's, fenced by its lease term).
 */
@Component
class CassandraJobStore implements JobStore {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CassandraJobStore.class);

    private static final String COLUMNS = "name, settings, spark, spark_conf, restart_max_attempts, restart_backoff,"
            + " restart_max_backoff, desired, state, app_id, ui_url, attempt, generation, config_changed, launch_id,"
            + " last_error, log_file, launched_at, running_since, stopped_at, next_restart_at, stop_deadline,"
            + " stop_escalated_at, version, created_at, updated_at, submission_id, leader_term, restart_reset_after";

    private final CqlSession session;
    private final PreparedStatement insert;
    private final PreparedStatement update;
    private final PreparedStatement select;
    private final PreparedStatement selectAll;
    private final PreparedStatement delete;
    private final PreparedStatement insertHistory;
    private final PreparedStatement selectHistory;
    private final PreparedStatement deleteHistory;
    private final PreparedStatement claimKey;

    CassandraJobStore(CqlSession session, ControlKeyspace keyspace) {
        this.session = session;
        String jobs = keyspace.table("jobs");
        String history = keyspace.table("job_history");
        insert = session.prepare("INSERT INTO " + jobs + " (" + COLUMNS + ") VALUES (" + "?, ".repeat(28) + "?)"
                + " IF NOT EXISTS");
        update = session.prepare("UPDATE " + jobs + " SET settings = ?, spark = ?, spark_conf = ?,"
                + " restart_max_attempts = ?, restart_backoff = ?, restart_max_backoff = ?, desired = ?, state = ?,"
                + " app_id = ?, ui_url = ?, attempt = ?, generation = ?, config_changed = ?, launch_id = ?,"
                + " last_error = ?, log_file = ?, launched_at = ?, running_since = ?, stopped_at = ?,"
                + " next_restart_at = ?, stop_deadline = ?, stop_escalated_at = ?, version = ?, created_at = ?,"
                + " updated_at = ?, submission_id = ?, leader_term = ?, restart_reset_after = ? WHERE name = ? IF version = ?");
        select = session.prepare("SELECT " + COLUMNS + " FROM " + jobs + " WHERE name = ?");
        selectAll = session.prepare("SELECT " + COLUMNS + " FROM " + jobs);
        delete = session.prepare("DELETE FROM " + jobs + " WHERE name = ? IF version = ?");
        insertHistory = session.prepare("INSERT INTO " + history
                + " (name, at, from_state, to_state, reason, attempt, app_id) VALUES (?, ?, ?, ?, ?, ?, ?)");
        selectHistory = session.prepare("SELECT at, from_state, to_state, reason, attempt, app_id FROM " + history
                + " WHERE name = ?");
        deleteHistory = session.prepare("DELETE FROM " + history + " WHERE name = ?");
        claimKey = session.prepare("INSERT INTO " + keyspace.table("idempotency_keys")
                + " (key, operation, job, created_at) VALUES (?, ?, ?, ?) IF NOT EXISTS");
    }

    @Override
    public boolean insert(Job job, String reason) {
        boolean applied = session.execute(insert.bind(values(job).toArray())).wasApplied();
        if (applied) {
            recordTransition(job.name(), null, job.status(), reason);
        }
        return applied;
    }

    @Override
    public Optional<Job> find(String name) {
        return Optional.ofNullable(session.execute(select.bind(name)).one()).map(CassandraJobStore::toJob);
    }

    @Override
    public List<Job> all() {
        List<Job> jobs = new ArrayList<>();
        session.execute(selectAll.bind()).forEach(row -> jobs.add(toJob(row)));
        return jobs;
    }

    @Override
    public Optional<Job> update(Job current, Job next, String reason) {
        return write(current, next, reason, current.leaderTerm());
    }

    /**
     * The check of the term is sound although made here: the term read with {@code current} is the stored one for as
     * long as the job's version is, and the write is conditional on that version.
     */
    @Override
    public Optional<Job> update(Job current, Job next, String reason, long leaderTerm) {
        if (current.leaderTerm() > leaderTerm) {
            return Optional.empty();
        }
        return write(current, next, reason, leaderTerm);
    }

    private Optional<Job> write(Job current, Job next, String reason, long leaderTerm) {
        Instant now = Instant.now();
        Job stored = new Job(next.name(), next.config(), next.desired(), next.status(), current.version() + 1,
                current.createdAt(), now, leaderTerm);
        List<Object> values = values(stored);
        values.remove(0); // name goes into the WHERE clause
        values.add(stored.name());
        values.add(current.version());
        if (!session.execute(update.bind(values.toArray())).wasApplied()) {
            return Optional.empty();
        }
        if (current.state() != next.state()) {
            recordTransition(next.name(), current.state(), next.status(), reason);
        }
        return Optional.of(stored);
    }

    @Override
    public void note(Job job, String reason) {
        recordTransition(job.name(), job.state(), job.status(), reason);
    }

    @Override
    public boolean delete(Job job) {
        boolean applied = session.execute(delete.bind(job.name(), job.version())).wasApplied();
        if (applied) {
            session.execute(deleteHistory.bind(job.name()));
        }
        return applied;
    }

    @Override
    public Page<Transition> history(String name, int limit, String cursor) {
        BoundStatement statement = Pages.of(selectHistory.bind(name), limit, cursor, session);
        ResultSet rows = session.execute(statement);
        List<Transition> items = new ArrayList<>();
        for (Row row : Pages.rows(rows)) {
            items.add(new Transition(Instant.ofEpochMilli(Uuids.unixTimestamp(row.getUuid(0))),
                    row.isNull(1) ? null : JobState.valueOf(row.getString(1)), JobState.valueOf(row.getString(2)),
                    row.getString(3), row.getInt(4), row.getString(5)));
        }
        return new Page<>(items, Pages.next(rows));
    }

    /** The key is kept for a day. */
    @Override
    public Optional<String> claimIdempotencyKey(String key, String operation, String job) {
        Row row = session.execute(claimKey.bind(key, operation, job, Instant.now())).one();
        if (row == null || row.getBoolean("[applied]")) {
            return Optional.empty();
        }
        return Optional.ofNullable(row.getString("job"));
    }

    private void recordTransition(String name, JobState from, JobStatus to, String reason) {
        LOG.info("Job {}: {} -> {} (attempt {}): {}", name, from, to.state(), to.attempt(), reason);
        session.execute(insertHistory.bind(name, Uuids.timeBased(), from == null ? null : from.name(),
                to.state().name(), reason, to.attempt(), to.appId()));
    }

    private static List<Object> values(Job job) {
        JobConfig config = job.config();
        SparkSpec spark = config.spark();
        JobStatus s = job.status();
        Map<String, String> sparkColumns = new HashMap<>();
        sparkColumns.put("master", spark.master());
        sparkColumns.put("deploy-mode", spark.deployMode());
        sparkColumns.put("driver-memory", spark.driverMemory());
        sparkColumns.put("driver-cores", String.valueOf(spark.driverCores()));
        sparkColumns.put("executor-memory", spark.executorMemory());
        sparkColumns.put("executor-cores", String.valueOf(spark.executorCores()));
        List<Object> values = new ArrayList<>(List.of(job.name(), config.settings(), sparkColumns, spark.conf(),
                config.restartPolicy().maxAttempts(), Durations.format(config.restartPolicy().backoff()),
                Durations.format(config.restartPolicy().maxBackoff()), job.desired().name(), s.state().name()));
        values.add(s.appId());
        values.add(s.uiUrl());
        values.add(s.attempt());
        values.add(s.generation());
        values.add(s.configChanged());
        values.add(s.launchId());
        values.add(s.lastError());
        values.add(s.logFile());
        values.add(s.launchedAt());
        values.add(s.runningSince());
        values.add(s.stoppedAt());
        values.add(s.nextRestartAt());
        values.add(s.stopDeadline());
        values.add(s.stopEscalatedAt());
        values.add(job.version());
        values.add(job.createdAt());
        values.add(job.updatedAt());
        values.add(s.submissionId());
        values.add(job.leaderTerm());
        values.add(Durations.format(config.restartPolicy().resetAfter()));
        return values;
    }

    private static Job toJob(Row row) {
        Map<String, String> spark = row.getMap("spark", String.class, String.class);
        SparkSpec sparkSpec = new SparkSpec(spark.get("master"), spark.get("deploy-mode"), spark.get("driver-memory"),
                Integer.parseInt(spark.get("driver-cores")), spark.get("executor-memory"),
                Integer.parseInt(spark.get("executor-cores")), row.getMap("spark_conf", String.class, String.class));
        String resetAfter = row.getString("restart_reset_after");
        RestartPolicy policy = new RestartPolicy(row.getInt("restart_max_attempts"),
                Durations.parse(row.getString("restart_backoff")), Durations.parse(row.getString("restart_max_backoff")),
                resetAfter == null ? Duration.ZERO : Durations.parse(resetAfter));
        JobConfig config = new JobConfig(row.getMap("settings", String.class, String.class), sparkSpec, policy);
        JobStatus status = new JobStatus(JobState.valueOf(row.getString("state")), row.getString("app_id"),
                row.getString("ui_url"), row.getInt("attempt"), row.getInt("generation"),
                row.getBoolean("config_changed"), row.getString("launch_id"), row.getString("last_error"),
                row.getString("log_file"), row.getInstant("launched_at"), row.getInstant("running_since"),
                row.getInstant("stopped_at"), row.getInstant("next_restart_at"), row.getInstant("stop_deadline"),
                row.getInstant("stop_escalated_at"), row.getString("submission_id"));
        return new Job(row.getString("name"), config, DesiredState.valueOf(row.getString("desired")), status,
                row.getLong("version"), row.getInstant("created_at"), row.getInstant("updated_at"),
                row.getLong("leader_term"));
    }
}
