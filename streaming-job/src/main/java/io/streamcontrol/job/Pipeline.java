package io.streamcontrol.job;

import com.datastax.spark.connector.cql.CassandraConnector;
import io.streamcontrol.contract.settings.JobSettings;
import io.streamcontrol.job.batch.BatchRunner;
import io.streamcontrol.job.source.ReceivedLine;
import io.streamcontrol.job.source.ResumableSocketReceiver;
import io.streamcontrol.job.source.SourcePartitions;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * The job's DStream graph: one receiver per source partition; each batch's lines grouped one source per partition,
 * in the order received; then one output operation, {@link BatchRunner}, which does the rest and commits the batch.
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
        CassandraConnector connector = CassandraConnector.apply(conf);
        List<JavaDStream<?>> perSource = new ArrayList<>();
        for (int source = 0; source < settings.receivers(); source++) {
            perSource.add(ssc.receiverStream(new ResumableSocketReceiver(settings.sourceHost(), settings.sourcePort(),
                    source, settings.receivers(), settings.resume(), settings.maxLineLength(),
                    settings.blockInterval().toMillis(), settings.stopPollInterval().toMillis(), connector,
                    settings.keyspace(), settings.jobName())));
        }
        JavaDStream<ReceivedLine> bySource = ssc.transform(perSource,
                (rdds, time) -> SourcePartitions.oneSourcePerPartition(rdds));
        bySource.foreachRDD((rdd, time) -> runner.run(rdd, time.milliseconds()));
        return ssc;
    }
}
