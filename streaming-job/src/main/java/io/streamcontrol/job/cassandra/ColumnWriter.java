package io.streamcontrol.job.cassandra;

import com.datastax.spark.connector.ColumnRef;
import com.datastax.spark.connector.cql.TableDef;
import com.datastax.spark.connector.writer.RowWriter;
import com.datastax.spark.connector.writer.RowWriterFactory;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import scala.collection.IndexedSeq;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * Tells the connector's writer which column gets which value of a row object, so rows are written by the connector's
 * prepared statements without JavaBeans. Values must be driver types (Long, Integer, BigDecimal, Instant, LocalDate,
 * String).
 */
public final class ColumnWriter<T> implements RowWriterFactory<T>, Serializable {

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

    @Override
    public RowWriter<T> rowWriter(TableDef table, IndexedSeq<ColumnRef> selectedColumns) {
        Seq<String> columnNames = JavaConverters.asScalaBuffer(new ArrayList<>(names)).toSeq();
        List<Column<T>> getters = columns;
        return new RowWriter<>() {
            @Override
            public Seq<String> columnNames() {
                return columnNames;
            }

            @Override
            public void readColumnValues(T row, Object[] buffer) {
                for (int i = 0; i < buffer.length; i++) {
                    buffer[i] = getters.get(i).value(row);
                }
            }
        };
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
