package io.streamcontrol.job.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PartitionBatcherTest {

    /** A row: its partition and its size. */
    record Row(String partition, int size, int id) {
    }

    private final List<List<Row>> sent = new ArrayList<>();

    private PartitionBatcher<Row> batcher(int maxSize, int maxOpen, Function<Object, Object> replicaSetOf) {
        return batcher(maxSize, 100, maxOpen, replicaSetOf);
    }

    private PartitionBatcher<Row> batcher(int maxSize, int maxPartitions, int maxOpen,
            Function<Object, Object> replicaSetOf) {
        return new PartitionBatcher<>(maxSize, maxPartitions, Row::size, maxOpen, replicaSetOf,
                batch -> sent.add(List.copyOf(batch)));
    }

    private static void add(PartitionBatcher<Row> batcher, Row... rows) {
        for (Row row : rows) {
            batcher.add(row.partition(), row);
        }
    }

    @Test
    void aPartitionLeavesAsSoonAsItFillsABatch() {
        PartitionBatcher<Row> batcher = batcher(3, 100, p -> "node");
        Row a1 = new Row("a", 1, 1), b1 = new Row("b", 1, 2), a2 = new Row("a", 1, 3), a3 = new Row("a", 1, 4);
        add(batcher, a1, b1, a2, a3);

        assertThat(sent).containsExactly(List.of(a1, a2, a3));
    }

    @Test
    void aRowThatWouldOverfillItsPartitionsBatchStartsTheNextOne() {
        PartitionBatcher<Row> batcher = batcher(10, 100, p -> "node");
        Row a1 = new Row("a", 6, 1), a2 = new Row("a", 6, 2), a3 = new Row("a", 4, 3);
        add(batcher, a1, a2, a3);

        assertThat(sent).containsExactly(List.of(a1), List.of(a2, a3));
    }

    @Test
    void theRestLeavesAtTheFlushTogetherByReplicaSetUpToABatchsSize() {
        PartitionBatcher<Row> batcher = batcher(3, 100, p -> p.equals("c") ? "node2" : "node1");
        Row a1 = new Row("a", 1, 1), b1 = new Row("b", 1, 2), c1 = new Row("c", 1, 3), a2 = new Row("a", 1, 4),
                b2 = new Row("b", 1, 5);
        add(batcher, a1, b1, c1, a2, b2);
        assertThat(sent).isEmpty();

        batcher.flush();

        assertThat(sent).containsExactly(List.of(a1, a2, b1), List.of(b2), List.of(c1));
        sent.clear();
        batcher.flush();
        assertThat(sent).isEmpty();
    }

    @Test
    void aBatchOfSeveralPartitionsCarriesAtMostTheirLimit() {
        PartitionBatcher<Row> batcher = batcher(10, 2, 100, p -> "node");
        Row a1 = new Row("a", 1, 1), b1 = new Row("b", 1, 2), c1 = new Row("c", 1, 3), a2 = new Row("a", 1, 4),
                d1 = new Row("d", 1, 5), c2 = new Row("c", 1, 6);
        add(batcher, a1, b1, c1, a2, d1, c2);

        batcher.flush();

        assertThat(sent).containsExactly(List.of(a1, a2, b1), List.of(c1, c2, d1));
    }

    @Test
    void morePartitionsOpenThanTheBufferHoldsFlushesThem() {
        PartitionBatcher<Row> batcher = batcher(10, 2, p -> "node");
        Row a = new Row("a", 1, 1), b = new Row("b", 1, 2), c = new Row("c", 1, 3), d = new Row("d", 1, 4);
        add(batcher, a, b);
        assertThat(sent).isEmpty();

        add(batcher, c, d);

        assertThat(sent).containsExactly(List.of(a, b, c));
        batcher.flush();
        assertThat(sent).containsExactly(List.of(a, b, c), List.of(d));
    }

    @Test
    void everyRowIsSentExactlyOnce() {
        PartitionBatcher<Row> batcher = batcher(7, 3, 5, p -> ((String) p).hashCode() % 3);
        List<Row> rows = new ArrayList<>();
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 10_000; i++) {
            rows.add(new Row("p" + random.nextInt(20), 1 + random.nextInt(3), i));
        }
        rows.forEach(row -> batcher.add(row.partition(), row));
        batcher.flush();

        assertThat(sent.stream().flatMap(List::stream)).containsExactlyInAnyOrderElementsOf(rows);
        assertThat(sent).allSatisfy(batch -> assertThat(batch.stream().mapToInt(Row::size).sum()).isBetween(1, 7));
        assertThat(sent).allSatisfy(batch -> assertThat(batch.stream().map(Row::partition).distinct().count())
                .isBetween(1L, 3L));
    }

    @Test
    void sizesBelowOneAreRefused() {
        assertThatThrownBy(() -> batcher(0, 1, p -> "node")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> batcher(1, 0, p -> "node")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> batcher(1, 0, 1, p -> "node")).isInstanceOf(IllegalArgumentException.class);
    }
}
