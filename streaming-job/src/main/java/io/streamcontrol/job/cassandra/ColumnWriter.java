package io.streamcontrol.job.cassandra;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which column of a table gets which value of a row object, for {@link BatchedInserts}. Values must be the driver's
 * types for the columns' CQL types (String, Long, Integer, BigDecimal, Instant, LocalDate); null leaves a column unset.
 */
public final class ColumnWriter<T> implements Serializable {

    /** A serializable getter. */
    public interface Column<T> extends Serializable {
        Object value(T row);
    }

    private final List<String> names;
    private final List<Column<T>> columns;

    private ColumnWriter(Map<String, Column<T>> columns) {
        this.names = List.copyOf(columns.keySet());
        this.columns = List.copyOf(columns.values());
    }

    public static <T> Builder<T> columns() {
        return new Builder<>();
    }

    public List<String> names() {
        return names;
    }

    /** Puts {@code row}'s value of each column into {@code buffer}, in the order of {@link #names()}. */
    public void values(T row, Object[] buffer) {
        for (int i = 0; i < buffer.length; i++) {
            buffer[i] = columns.get(i).value(row);
        }
    }

    public static final class Builder<T> {
        private final Map<String, Column<T>> columns = new LinkedHashMap<>();

        public Builder<T> column(String name, Column<T> getter) {
            columns.put(name, getter);
            return this;
        }

        public ColumnWriter<T> build() {
            return new ColumnWriter<>(columns);
        }
    }
}
