package io.streamcontrol.control.jobs.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

    @Test
    void theLastErrorIsAMessageNotAStackFrame(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("driver.log"), String.join("\n",
                "26/01/01 10:00:00 INFO StreamingJob: starting",
                "Exception in thread \"main\" java.io.IOException: Failed to open native connection",
                "\tat com.datastax.spark.connector.cql.CassandraConnector.openSession(CassandraConnector.scala:80)",
                "Caused by: com.datastax.oss.driver.api.core.AllNodesFailedException: Could not reach any contact point",
                "\tat com.datastax.oss.driver.api.core.AllNodesFailedException.copy(AllNodesFailedException.java:141)",
                "\t... 12 more",
                "26/01/01 10:00:01 INFO ShutdownHookManager: Shutdown hook called",
                ""));

        assertThat(LogTail.lastError(log.toString())).contains(
                "Caused by: com.datastax.oss.driver.api.core.AllNodesFailedException: Could not reach any contact point");
    }
}
