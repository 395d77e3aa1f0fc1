package io.streamcontrol.job;

import io.streamcontrol.contract.settings.JobSettings;
import io.streamcontrol.job.batch.BatchRunner;
import io.streamcontrol.job.source.LineSource;
import io.streamcontrol.job.source.ReceivedLine;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * The job's DStream graph: the source's lines ({@link LineSource}), one source partition per batch partition, in
 * source order; then one output operation, {@link BatchRunner}, which does the rest and commits the batch.
 * No event is kept in Spark state or shuffled: the only state is the rollup aggregates, in the driver.
 */
public final class Pipeline {

    private Pipeline() {
    }

    /**
     * A new streaming context with the whole graph, whose batches {@code runner} processes. With the receiver
     * write-ahead log (plain senders, which cannot replay) it checkpoints to {@code settings.checkpoint()}, so a
     * restarted driver processes what the log holds.
     */
    public static JavaStreamingContext createContext(SparkConf conf, JobSettings settings, BatchRunner runner) {
        // the driver's Spark context, if it has one: a streaming context restarted with new settings runs on it
        JavaStreamingContext ssc = new JavaStreamingContext(
                JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(conf)),
                Durations.milliseconds(settings.batchInterval().toMillis()));
        if (StreamingJob.writeAheadLog(settings)) {
            ssc.checkpoint(settings.checkpoint());
        }
        JavaDStream<ReceivedLine> bySource = LineSource.of(settings).lines(ssc);
        bySource.foreachRDD((rdd, time) -> runner.run(rdd, time.milliseconds()));
        return ssc;
    }
}
