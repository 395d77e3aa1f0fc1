package io.streamcontrol.control.leader;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@code leases} row of one lease in the control keyspace, changed only by lightweight transactions. The holder is
 * written with a TTL (it expires unless renewed), the term without one: a term is never given twice, also after the
 * lease expired or was released. Taking a free lease writes both in one conditional batch.
 */
final class LeaseTable {

    /** The outcome of a conditional write: whether it applied, and the lease as it is now. */
    record Outcome(boolean applied, Lease lease) {
    }

    private final CqlSession session;
    private final String name;
    private final PreparedStatement read;
    private final PreparedStatement takeHolder;
    private final PreparedStatement takeTerm;
    private final PreparedStatement renew;
    private final PreparedStatement release;

    LeaseTable(CqlSession session, String table, String name) {
        this.session = session;
        this.name = name;
        session.execute(session.prepare("INSERT INTO " + table + " (name, term) VALUES (?, 0) IF NOT EXISTS").bind(name));
        read = session.prepare("SELECT holder, term FROM " + table + " WHERE name = ?");
        takeHolder = session.prepare("UPDATE " + table + " USING TTL ? SET holder = ?, renewed_at = ? WHERE name = ?"
                + " IF holder = null AND term = ?");
        takeTerm = session.prepare("UPDATE " + table + " SET term = ?, acquired_at = ? WHERE name = ?");
        renew = session.prepare("UPDATE " + table + " USING TTL ? SET holder = ?, renewed_at = ? WHERE name = ?"
                + " IF holder = ? AND term = ?");
        release = session.prepare("UPDATE " + table + " SET holder = null WHERE name = ? IF holder = ? AND term = ?");
    }

    Lease read() {
        Row row = session.execute(read.bind(name)).one();
        return row == null ? new Lease(null, 0) : lease(row);
    }

    /** Takes the lease for {@code holder} as {@code term} if it is free and its term is {@code previousTerm}. */
    Outcome acquire(String holder, long term, long previousTerm, Duration ttl) {
        Instant now = Instant.now();
        BatchStatement batch = BatchStatement.newInstance(BatchType.LOGGED,
                takeHolder.bind(seconds(ttl), holder, now, name, previousTerm),
                takeTerm.bind(term, now, name));
        return outcome(session.execute(batch), new Lease(holder, term));
    }

    /** Extends the lease of {@code holder} for {@code term} by {@code ttl}, if it still holds it. */
    Outcome renew(String holder, long term, Duration ttl) {
        return outcome(session.execute(renew.bind(seconds(ttl), holder, Instant.now(), name, holder, term)),
                new Lease(holder, term));
    }

    /** Frees the lease of {@code holder} for {@code term} at once, if it still holds it. */
    Outcome release(String holder, long term) {
        return outcome(session.execute(release.bind(name, holder, term)), new Lease(null, term));
    }

    private static Outcome outcome(ResultSet result, Lease ifApplied) {
        return result.wasApplied() ? new Outcome(true, ifApplied) : new Outcome(false, lease(result.one()));
    }

    private static Lease lease(Row row) {
        return new Lease(row.getString("holder"), row.isNull("term") ? 0 : row.getLong("term"));
    }

    private static int seconds(Duration ttl) {
        return Math.toIntExact(ttl.toSeconds());
    }
}
