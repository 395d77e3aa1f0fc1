package io.streamcontrol.control.it;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import io.streamcontrol.contract.settings.LineFormat;
import io.streamcontrol.generator.GeneratorSettings;
import io.streamcontrol.generator.SalesEventSource;
import io.streamcontrol.testkit.ExpectedResults;
import io.streamcontrol.testkit.JobTables;
import io.streamcontrol.testkit.KnownLines;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One job of an integration test: the generator's known lines (malformed, late and too-late ones included), the job
 * definition sent to the service, and the check of the job's tables against the independent recomputation.
 */
record JobScenario(String name, long count, int rate) {

    static final int PARTITIONS = 2;
    static final long LATENESS_MS = 30_000;
    static final long WINDOW_MS = 180_000;
    static final long SLIDE_MS = 60_000;
    static final int TOP_N = 5;

    String keyspace() {
        return "it_" + name.replace('-', '_');
    }

    GeneratorSettings generatorSettings() {
        return KnownLines.settings(name.hashCode(), count, rate, LineFormat.CSV);
    }

    Map<String, Object> definition(int sourcePort, Map<String, Object> spark, Map<String, Object> restartPolicy) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("sourcePort", sourcePort);
        settings.put("receivers", PARTITIONS);
        settings.put("batchInterval", "2s");
        settings.put("lateness", "30s");
        settings.put("topN", TOP_N);
        settings.put("topNWindow", "3m");
        settings.put("topNSlide", "1m");
        settings.put("keyspace", keyspace());
        settings.put("stopPollInterval", "200ms");
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("name", name);
        definition.put("settings", settings);
        definition.put("spark", spark);
        definition.put("restartPolicy", restartPolicy);
        return definition;
    }

    long[] allSeqs() {
        return ExpectedResults.lastSeqs(count, PARTITIONS);
    }

    /** processed_seq of each source partition (-1 where none yet, empty while the tables do not exist). */
    long[] processed(CqlSession session) {
        long[] values = new long[PARTITIONS];
        Arrays.fill(values, -1);
        try {
            List<Row> rows = session.execute("SELECT source, processed_seq FROM " + keyspace()
                    + ".sources WHERE job_name = ?", name).all();
            for (Row row : rows) {
                if (!row.isNull(1)) {
                    values[row.getInt(0)] = row.getLong(1);
                }
            }
            return values;
        } catch (InvalidQueryException e) {
            return new long[0];
        }
    }

    long sumProcessed(CqlSession session) {
        return Arrays.stream(processed(session)).map(s -> Math.max(0, s)).sum();
    }

    boolean processedAll(CqlSession session) {
        return Arrays.equals(processed(session), allSeqs());
    }

    /** What the job computes from all the lines, recomputed independently. */
    ExpectedResults expected() {
        SalesEventSource source = new SalesEventSource(generatorSettings());
        return new ExpectedResults(n -> source.line(n).event(), allSeqs(), LATENESS_MS);
    }

    void assertTablesMatchAllLines(CqlSession session) {
        JobTables.assertMatch(session, keyspace(), name, expected(), WINDOW_MS, SLIDE_MS, TOP_N);
    }
}
