package io.streamcontrol.job.source;

import io.streamcontrol.contract.settings.JobSettings;
import java.io.Serializable;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * Where a job's lines come from: the port a TCP sender implements today ({@link TcpLineSource}), and a Kafka topic or
 * a directory of files next. A source has partitions, each an ordered sequence of lines that the batch runner reads
 * in one task; it says whether it replays from the last commit.
 */
public interface LineSource extends Serializable {

    /** The source of a job's settings. */
    static LineSource of(JobSettings settings) {
        return new TcpLineSource(settings);
    }

    /** How many partitions the source has: source partition {@code i} is the job's source {@code i}. */
    int partitions();

    /**
     * Whether a restarted driver gets every line after its last commit from the source again (the TCP resume
     * handshake, Kafka offsets, files not finished). A source that cannot replay needs the receiver write-ahead log.
     */
    boolean replays();

    /**
     * Each batch's lines: partition {@code i} of every batch holds the lines of source partition {@code i} in source
     * order, after the last committed position (which the source reads from the job's {@code sources} table).
     */
    JavaDStream<ReceivedLine> lines(JavaStreamingContext ssc);
}
