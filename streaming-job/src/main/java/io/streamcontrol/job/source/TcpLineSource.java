package io.streamcontrol.job.source;

import com.datastax.spark.connector.cql.CassandraConnector;
import io.streamcontrol.contract.settings.JobSettings;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * Lines from a TCP sender, one connection (a {@link ResumableSocketReceiver}) per source partition. It replays when
 * the sender speaks the resume handshake ({@code --resume true}); a plain sender does not.
 */
final class TcpLineSource implements LineSource {

    private final JobSettings settings;

    TcpLineSource(JobSettings settings) {
        this.settings = settings;
    }

    @Override
    public int partitions() {
        return settings.receivers();
    }

    @Override
    public boolean replays() {
        return settings.resume();
    }

    @Override
    public JavaDStream<ReceivedLine> lines(JavaStreamingContext ssc) {
        CassandraConnector connector = CassandraConnector.apply(ssc.sparkContext().getConf());
        List<JavaDStream<?>> perSource = new ArrayList<>();
        for (int source = 0; source < partitions(); source++) {
            perSource.add(ssc.receiverStream(new ResumableSocketReceiver(settings, source, connector)));
        }
        return ssc.transform(perSource, (rdds, time) -> SourcePartitions.oneSourcePerPartition(rdds));
    }
}
