package io.streamcontrol.job.source;

import java.util.List;
import org.apache.spark.Partition;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.PartitionCoalescer;
import org.apache.spark.rdd.PartitionGroup;
import org.apache.spark.rdd.RDD;
import scala.Option;
import scala.collection.Seq;
import scala.reflect.ClassTag$;

/**
 * A batch's lines with partition {@code i} holding every line of source {@code i}, in the order they were received:
 * the blocks of each receiver concatenated in order, without a shuffle (a coalesce by a fixed grouping). One task per
 * source can then decide duplicates and lateness in one pass.
 */
public final class SourcePartitions {

    private SourcePartitions() {
    }

    /** {@code perSource.get(i)}: the batch's blocks of source {@code i}, as its receiver stream made them. */
    @SuppressWarnings("unchecked")
    public static JavaRDD<ReceivedLine> oneSourcePerPartition(List<JavaRDD<?>> perSource) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(perSource.get(0).context());
        int[] blocks = perSource.stream().mapToInt(JavaRDD::getNumPartitions).toArray();
        JavaRDD<ReceivedLine> union = sc.union(perSource.stream().map(rdd -> (JavaRDD<ReceivedLine>) rdd)
                .toArray(JavaRDD[]::new));
        RDD<ReceivedLine> grouped = union.rdd().coalesce(blocks.length, false,
                Option.apply(new InOrderBySource(blocks)), null);
        return JavaRDD.fromRDD(grouped, ClassTag$.MODULE$.apply(ReceivedLine.class));
    }

    /** Groups consecutive partitions of the union, {@code blocks[i]} of them for source {@code i}, keeping their order. */
    static final class InOrderBySource implements PartitionCoalescer, scala.Serializable { // Spark checks the Scala type
        private final int[] blocks;

        InOrderBySource(int[] blocks) {
            this.blocks = blocks;
        }

        @Override
        public PartitionGroup[] coalesce(int maxPartitions, RDD<?> parent) {
            Partition[] partitions = parent.partitions();
            PartitionGroup[] groups = new PartitionGroup[blocks.length];
            int next = 0;
            for (int source = 0; source < blocks.length; source++) {
                Option<String> location = Option.empty();
                if (blocks[source] > 0) {
                    Seq<String> preferred = parent.preferredLocations(partitions[next]);
                    location = preferred.headOption();
                }
                groups[source] = new PartitionGroup(location);
                for (int block = 0; block < blocks[source]; block++) {
                    groups[source].partitions().$plus$eq(partitions[next++]);
                }
            }
            return groups;
        }
    }
}
