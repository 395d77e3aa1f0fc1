package io.streamcontrol.control.system;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control keyspace: created at start and migrated forward by numbered steps recorded in
 * {@code schema_migrations}. A step is never edited once released; changes are new steps.
 */
public final class ControlSchema {

    private static final Logger LOG = LoggerFactory.getLogger(ControlSchema.class);

    /** One numbered migration step. */
    record Migration(int version, String description, List<String> statements) {
    }

    private ControlSchema() {
    }

    static List<Migration> migrations(String ks) {
        return List.of(
                new Migration(1, "jobs, their history, audit and idempotency keys", List.of(
                        "CREATE TABLE IF NOT EXISTS " + ks + ".jobs ("
                                + "name text PRIMARY KEY, settings map<text, text>, spark map<text, text>,"
                                + " spark_conf map<text, text>, restart_max_attempts int, restart_backoff text,"
                                + " restart_max_backoff text, desired text, state text, app_id text, ui_url text,"
                                + " attempt int, generation int, config_changed boolean, launch_id text, last_error text,"
                                + " log_file text, launched_at timestamp, running_since timestamp, stopped_at timestamp,"
                                + " next_restart_at timestamp, stop_deadline timestamp, stop_escalated_at timestamp,"
                                + " version bigint, created_at timestamp, updated_at timestamp)",
                        "CREATE TABLE IF NOT EXISTS " + ks + ".job_history ("
                                + "name text, at timeuuid, from_state text, to_state text, reason text, attempt int,"
                                + " app_id text, PRIMARY KEY ((name), at)) WITH CLUSTERING ORDER BY (at DESC)",
                        "CREATE TABLE IF NOT EXISTS " + ks + ".audit ("
                                + "day date, at timeuuid, caller text, action text, job text, outcome int, detail text,"
                                + " PRIMARY KEY ((day), at)) WITH CLUSTERING ORDER BY (at DESC)",
                        "CREATE TABLE IF NOT EXISTS " + ks + ".idempotency_keys ("
                                + "key text, operation text, job text, created_at timestamp,"
                                + " PRIMARY KEY ((key), operation)) WITH default_time_to_live = 86400")),
                new Migration(2, "the driver id a standalone master gave a cluster-mode launch", List.of(
                        "ALTER TABLE " + ks + ".jobs ADD submission_id text")),
                new Migration(3, "the reconciler's lease, and the term of the leader that last changed each job",
                        List.of("CREATE TABLE IF NOT EXISTS " + ks + ".leases (name text PRIMARY KEY, holder text,"
                                        + " term bigint, acquired_at timestamp, renewed_at timestamp)",
                                "ALTER TABLE " + ks + ".jobs ADD leader_term bigint")),
                new Migration(4, "how long a healthy run takes to reset a job's restart count", List.of(
                        "ALTER TABLE " + ks + ".jobs ADD restart_reset_after text")));
    }

    /** Creates the keyspace if needed and applies the steps not yet applied, in order. */
    public static void migrate(CqlSession session, String keyspace, String replication) {
        session.execute("CREATE KEYSPACE IF NOT EXISTS " + keyspace + " WITH replication = " + replication);
        session.execute("CREATE TABLE IF NOT EXISTS " + keyspace + ".schema_migrations ("
                + "version int PRIMARY KEY, description text, applied_at timestamp)");
        Set<Integer> applied = session.execute("SELECT version FROM " + keyspace + ".schema_migrations").all().stream()
                .map((Row row) -> row.getInt(0)).collect(Collectors.toSet());
        for (Migration migration : migrations(keyspace)) {
            if (applied.contains(migration.version())) {
                continue;
            }
            LOG.info("Migrating {} to version {}: {}", keyspace, migration.version(), migration.description());
            migration.statements().forEach(session::execute);
            session.execute(session.prepare("INSERT INTO " + keyspace
                            + ".schema_migrations (version, description, applied_at) VALUES (?, ?, ?)")
                    .bind(migration.version(), migration.description(), Instant.now()));
        }
    }
}
