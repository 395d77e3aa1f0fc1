package io.streamcontrol.job.cassandra;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Gathers rows into the unlogged batches Cassandra takes fastest: the rows of one partition together, up to a batch's
 * size. A partition's rows leave as soon as they fill a batch. When more partitions are open than the buffer holds, and
 * at the end, the rest leave together by replica set: one batch then carries several small partitions that the same
 * nodes own (a partition's rows stay next to each other), still up to a batch's size and to {@code maxPartitions}
 * partitions.
 *
 * @param <R> a row (a bound statement)
 */
final class PartitionBatcher<R> {

    private final int maxSize;
    private final int maxPartitions;
    private final ToIntFunction<R> sizeOf;
    private final int maxOpenPartitions;
    private final Function<Object, Object> replicaSetOf;
    private final Consumer<List<R>> send;
    private final Map<Object, Group<R>> open = new LinkedHashMap<>();

    /** The rows of one partition not sent yet, and their size. */
    private static final class Group<R> {
        final List<R> rows = new ArrayList<>();
        int size;
    }

    /**
     * @param maxSize a batch's size: rows, or bytes, as {@code sizeOf} measures a row
     * @param maxPartitions partitions one batch may carry
     * @param maxOpenPartitions how many partitions may hold rows not sent yet
     * @param replicaSetOf the nodes that own a partition (anything with equals), by partition key
     * @param send takes each batch, in the order they are made
     */
    PartitionBatcher(int maxSize, int maxPartitions, ToIntFunction<R> sizeOf, int maxOpenPartitions,
            Function<Object, Object> replicaSetOf, Consumer<List<R>> send) {
        if (maxSize < 1 || maxPartitions < 1 || maxOpenPartitions < 1) {
            throw new IllegalArgumentException("a batch's size, its partitions and the open partitions must be at"
                    + " least 1");
        }
        this.maxSize = maxSize;
        this.maxPartitions = maxPartitions;
        this.sizeOf = sizeOf;
        this.maxOpenPartitions = maxOpenPartitions;
        this.replicaSetOf = replicaSetOf;
        this.send = send;
    }

    void add(Object partition, R row) {
        int size = sizeOf.applyAsInt(row);
        Group<R> group = open.get(partition);
        if (group == null) {
            group = new Group<>();
            open.put(partition, group);
        } else if (group.size + size > maxSize) {
            send.accept(List.copyOf(group.rows));
            group.rows.clear();
            group.size = 0;
        }
        group.rows.add(row);
        group.size += size;
        if (group.size >= maxSize) {
            send.accept(List.copyOf(group.rows));
            open.remove(partition);
        } else if (open.size() > maxOpenPartitions) {
            flush();
        }
    }

    /** Sends every row not sent yet, partitions of one replica set together. */
    void flush() {
        Map<Object, List<Group<R>>> byReplicas = new HashMap<>();
        List<List<Group<R>>> inOrder = new ArrayList<>();
        open.forEach((partition, group) -> byReplicas.computeIfAbsent(replicaSetOf.apply(partition), replicas -> {
            List<Group<R>> groups = new ArrayList<>();
            inOrder.add(groups);
            return groups;
        }).add(group));
        open.clear();
        for (List<Group<R>> groups : inOrder) {
            List<R> batch = new ArrayList<>();
            int batchSize = 0;
            int partitions = 0;
            for (Group<R> group : groups) {
                boolean inBatch = false;
                for (R row : group.rows) {
                    int size = sizeOf.applyAsInt(row);
                    if (!batch.isEmpty() && (batchSize + size > maxSize || !inBatch && partitions == maxPartitions)) {
                        send.accept(batch);
                        batch = new ArrayList<>();
                        batchSize = 0;
                        partitions = 0;
                        inBatch = false;
                    }
                    if (!inBatch) {
                        partitions++;
                        inBatch = true;
                    }
                    batch.add(row);
                    batchSize += size;
                }
            }
            if (!batch.isEmpty()) {
                send.accept(batch);
            }
        }
    }
}
