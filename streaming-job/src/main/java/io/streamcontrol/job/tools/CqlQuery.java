package io.streamcontrol.job.tools;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ColumnDefinition;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one CQL statement and prints the rows as a table, for looking at the job's tables without cqlsh:
 * {@code java -cp streaming-job.jar io.streamcontrol.job.tools.CqlQuery <host> <port> "<statement>"}.
 */
public final class CqlQuery {

    private CqlQuery() {
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: CqlQuery <cassandra-host> <cassandra-port> \"<CQL statement>\"");
            System.exit(2);
        }
        try (CqlSession session = Sessions.connect(args[0], args[1])) {
            ResultSet rows = session.execute(args[2]);
            List<String> names = new ArrayList<>();
            for (ColumnDefinition column : rows.getColumnDefinitions()) {
                names.add(column.getName().asCql(true));
            }
            List<List<String>> table = new ArrayList<>();
            for (Row row : rows) {
                List<String> cells = new ArrayList<>();
                for (int i = 0; i < names.size(); i++) {
                    Object value = row.getObject(i);
                    cells.add(value == null ? "null" : value.toString());
                }
                table.add(cells);
            }
            print(names, table);
        }
    }

    private static void print(List<String> names, List<List<String>> table) {
        int[] widths = names.stream().mapToInt(String::length).toArray();
        for (List<String> row : table) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        System.out.println(line(names, widths));
        StringBuilder rule = new StringBuilder();
        for (int width : widths) {
            rule.append("-".repeat(width)).append("-+-");
        }
        System.out.println(rule.substring(0, Math.max(0, rule.length() - 3)));
        table.forEach(row -> System.out.println(line(row, widths)));
        System.out.println("(" + table.size() + " rows)");
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            out.append(String.format("%-" + widths[i] + "s", cells.get(i)));
            if (i < cells.size() - 1) {
                out.append(" | ");
            }
        }
        return out.toString();
    }
}
