package io.streamcontrol.bench.harness;

import java.util.List;

/** Markdown pieces of the benchmarks' reports. */
public final class Markdown {

    private Markdown() {
    }

    /** A pipe table; cells have their pipes escaped and line breaks flattened. */
    public static String table(List<String> headers, List<List<String>> rows) {
        StringBuilder out = new StringBuilder();
        row(out, headers);
        out.append('|');
        out.append(" --- |".repeat(headers.size()));
        out.append('\n');
        rows.forEach(r -> row(out, r));
        return out.toString();
    }

    private static void row(StringBuilder out, List<String> cells) {
        out.append('|');
        for (String cell : cells) {
            out.append(' ').append(cell(cell)).append(" |");
        }
        out.append('\n');
    }

    public static String cell(String text) {
        return text == null ? "" : text.strip().replace("|", "\\|").replace("\r", "").replace("\n", "<br>");
    }

    /** A fenced code block. */
    static String code(String text) {
        return "```\n" + text.strip() + "\n```\n";
    }
}
