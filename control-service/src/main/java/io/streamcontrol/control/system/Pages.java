package io.streamcontrol.control.system;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PagingState;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Paged lists behind an opaque cursor: for Cassandra queries the cursor is the driver's paging state (which the driver
 * checks belongs to the same statement), for lists spanning several partitions the partition's index and its paging
 * state, for in-memory lists the last key of the page.
 */
public final class Pages {

    /** One page of a list; {@code nextCursor} is null on the last page. */
    public record Page<T>(List<T> items, String nextCursor) {
    }

    private Pages() {
    }

    /** The statement limited to one page, continuing after {@code cursor} if given. */
    public static BoundStatement of(BoundStatement statement, int limit, String cursor, CqlSession session) {
        BoundStatement paged = statement.setPageSize(limit);
        if (cursor == null || cursor.isEmpty()) {
            return paged;
        }
        try {
            return paged.setPagingState(PagingState.fromBytes(Base64.getUrlDecoder().decode(cursor)), session);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("cursor", "not a cursor of this list");
        }
    }

    /** The rows of the current page only. */
    public static List<Row> rows(ResultSet rows) {
        int available = rows.getAvailableWithoutFetching();
        List<Row> page = new ArrayList<>(available);
        for (int i = 0; i < available; i++) {
            page.add(rows.one());
        }
        return page;
    }

    public static String next(ResultSet rows) {
        PagingState state = rows.getExecutionInfo().getSafePagingState();
        return state == null ? null : Base64.getUrlEncoder().withoutPadding().encodeToString(state.toBytes());
    }

    /**
     * One page of the rows of several single-partition statements, read in their order: the page fills from the
     * partition where the cursor left off, then from the next ones. The cursor names the partition and the paging
     * state within it.
     */
    public static <T> Page<T> across(List<BoundStatement> partitions, int limit, String cursor, CqlSession session,
            Function<Row, T> mapper) {
        int index = 0;
        PagingState resumeAt = null;
        if (cursor != null && !cursor.isEmpty()) {
            try {
                ByteBuffer bytes = ByteBuffer.wrap(Base64.getUrlDecoder().decode(cursor));
                index = bytes.getInt();
                if (bytes.hasRemaining()) {
                    byte[] state = new byte[bytes.remaining()];
                    bytes.get(state);
                    resumeAt = PagingState.fromBytes(state);
                }
            } catch (RuntimeException e) {
                throw ApiException.badRequest("cursor", "not a cursor of this list");
            }
            if (index < 0 || index >= partitions.size()) {
                throw ApiException.badRequest("cursor", "not a cursor of this list");
            }
        }
        List<T> items = new ArrayList<>(Math.min(limit, 256));
        while (index < partitions.size()) {
            BoundStatement statement = partitions.get(index).setPageSize(limit - items.size());
            if (resumeAt != null) {
                try {
                    statement = statement.setPagingState(resumeAt, session);
                } catch (RuntimeException e) {
                    throw ApiException.badRequest("cursor", "not a cursor of this list");
                }
            }
            ResultSet rows = session.execute(statement);
            rows(rows).forEach(row -> items.add(mapper.apply(row)));
            resumeAt = rows.getExecutionInfo().getSafePagingState();
            if (resumeAt == null) {
                index++;
            }
            if (items.size() >= limit) {
                break;
            }
        }
        if (index >= partitions.size()) {
            return new Page<>(items, null);
        }
        ByteBuffer next = ByteBuffer.allocate(4 + (resumeAt == null ? 0 : resumeAt.toBytes().length)).putInt(index);
        if (resumeAt != null) {
            next.put(resumeAt.toBytes());
        }
        return new Page<>(items, Base64.getUrlEncoder().withoutPadding().encodeToString(next.array()));
    }

    /** A cursor for an in-memory list ordered by a text key: the last key returned. */
    public static String keyCursor(String lastKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
    }

    public static String keyAfter(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cursor", "not a cursor of this list");
        }
    }
}
