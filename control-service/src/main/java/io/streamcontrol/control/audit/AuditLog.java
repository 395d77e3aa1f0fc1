package io.streamcontrol.control.audit;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import io.streamcontrol.control.system.ControlKeyspace;
import io.streamcontrol.control.system.Pages;
import io.streamcontrol.control.system.Pages.Page;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.springframework.stereotype.Component;

/** Every mutating API call: who, what, when and the outcome, by day (UTC), newest first. */
@Component
public class AuditLog {

    /** One audited call. */
    public record Entry(Instant at, String caller, String action, String job, int outcome, String detail) {
    }

    private final CqlSession session;
    private final PreparedStatement insert;
    private final PreparedStatement select;

    AuditLog(CqlSession session, ControlKeyspace keyspace) {
        this.session = session;
        String table = keyspace.table("audit");
        insert = session.prepare("INSERT INTO " + table
                + " (day, at, caller, action, job, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?)");
        select = session.prepare("SELECT at, caller, action, job, outcome, detail FROM " + table + " WHERE day = ?");
    }

    public CompletionStage<?> record(Entry entry) {
        UUID at = Uuids.startOf(entry.at().toEpochMilli());
        at = new UUID(at.getMostSignificantBits(), Uuids.timeBased().getLeastSignificantBits());
        return session.executeAsync(insert.bind(entry.at().atZone(ZoneOffset.UTC).toLocalDate(), at, entry.caller(),
                entry.action(), entry.job(), entry.outcome(), entry.detail()));
    }

    Page<Entry> day(LocalDate day, int limit, String cursor) {
        ResultSet rows = session.execute(Pages.of(select.bind(day), limit, cursor, session));
        List<Entry> entries = new ArrayList<>();
        for (Row row : Pages.rows(rows)) {
            entries.add(new Entry(Instant.ofEpochMilli(Uuids.unixTimestamp(row.getUuid(0))), row.getString(1),
                    row.getString(2), row.getString(3), row.getInt(4), row.getString(5)));
        }
        return new Page<>(entries, Pages.next(rows));
    }
}
