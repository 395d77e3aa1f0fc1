package io.streamcontrol.job.rollup;

import it.unimi.dsi.fastutil.ints.Int2IntMap;
import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import java.io.Serializable;
import java.util.Arrays;
import java.util.function.ObjIntConsumer;

/**
 * {@link Aggregate}s by key id, merged in place as {@link Aggregate#merge} merges them: per key five longs (count,
 * quantity, and the sale sum, min and max {@link PackedDecimal packed}) in pages of rows, about 60 bytes a key with
 * no object per key; an aggregate whose sale amounts do not pack is kept as it is. Mutable; one thread.
 */
final class AggregateTable implements Serializable {

    private static final int FIELDS = 5;
    private static final int COUNT = 0;
    private static final int QUANTITY = 1;
    private static final int SUM = 2;
    private static final int MIN = 3;
    private static final int MAX = 4;
    private static final int PAGE_SHIFT = 9;
    private static final int PAGE_ROWS = 1 << PAGE_SHIFT;
    private static final int FIRST_PAGE_ROWS = 8;

    /** Key id to row. */
    private final Int2IntOpenHashMap rows = new Int2IntOpenHashMap();
    /** Row r's fields at {@code pages[r / PAGE_ROWS][r % PAGE_ROWS * FIELDS]}; a page grows up to PAGE_ROWS rows. */
    private long[][] pages = new long[0][];
    private int rowCount;
    /** The aggregates that do not pack, by key id (not in {@link #rows}); null while there is none. */
    private Int2ObjectOpenHashMap<Aggregate> unpacked;

    AggregateTable() {
        rows.defaultReturnValue(-1);
    }

    /** The aggregate of {@code id}; null if it has none. */
    Aggregate get(int id) {
        int row = rows.get(id);
        if (row >= 0) {
            long[] page = pages[row >>> PAGE_SHIFT];
            int at = (row & (PAGE_ROWS - 1)) * FIELDS;
            return new Aggregate(page[at + COUNT], page[at + QUANTITY], PackedDecimal.toBigDecimal(page[at + SUM]),
                    PackedDecimal.toBigDecimal(page[at + MIN]), PackedDecimal.toBigDecimal(page[at + MAX]));
        }
        return unpacked == null ? null : unpacked.get(id);
    }

    /** Merges {@code aggregate} into the aggregate of {@code id} (which it becomes if there is none). */
    void add(int id, Packed aggregate) {
        int row = rows.get(id);
        if (row < 0) {
            Aggregate before = unpacked == null ? null : unpacked.get(id);
            if (before != null) {
                unpacked.put(id, before.merge(aggregate.aggregate()));
            } else if (aggregate.packs()) {
                write(newRow(id), aggregate.aggregate().count(), aggregate.aggregate().quantity(), aggregate.sum(),
                        aggregate.min(), aggregate.max());
            } else {
                unpacked().put(id, aggregate.aggregate());
            }
            return;
        }
        long[] page = pages[row >>> PAGE_SHIFT];
        int at = (row & (PAGE_ROWS - 1)) * FIELDS;
        long sum = aggregate.packs() ? PackedDecimal.add(page[at + SUM], aggregate.sum()) : PackedDecimal.NONE;
        if (sum == PackedDecimal.NONE) {
            Aggregate before = get(id);
            rows.remove(id); // its row stays unused
            unpacked().put(id, before.merge(aggregate.aggregate()));
            return;
        }
        page[at + COUNT] += aggregate.aggregate().count();
        page[at + QUANTITY] += aggregate.aggregate().quantity();
        page[at + SUM] = sum;
        // as BigDecimal#min and #max: the value held stays on a tie
        if (PackedDecimal.compare(aggregate.min(), page[at + MIN]) < 0) {
            page[at + MIN] = aggregate.min();
        }
        if (PackedDecimal.compare(aggregate.max(), page[at + MAX]) > 0) {
            page[at + MAX] = aggregate.max();
        }
    }

    /** Replaces the aggregate of {@code id}. */
    void put(int id, Aggregate aggregate) {
        Packed packed = Packed.of(aggregate);
        int row = rows.get(id);
        if (packed.packs()) {
            if (unpacked != null) {
                unpacked.remove(id);
            }
            write(row < 0 ? newRow(id) : row, aggregate.count(), aggregate.quantity(), packed.sum(), packed.min(),
                    packed.max());
        } else {
            rows.remove(id);
            unpacked().put(id, aggregate);
        }
    }

    int size() {
        return rows.size() + (unpacked == null ? 0 : unpacked.size());
    }

    boolean isEmpty() {
        return size() == 0;
    }

    /** Each aggregate with its key id. */
    void forEach(ObjIntConsumer<Aggregate> action) {
        for (Int2IntMap.Entry entry : rows.int2IntEntrySet()) {
            action.accept(get(entry.getIntKey()), entry.getIntKey());
        }
        if (unpacked != null) {
            unpacked.forEach((id, aggregate) -> action.accept(aggregate, id));
        }
    }

    private int newRow(int id) {
        int row = rowCount++;
        int page = row >>> PAGE_SHIFT;
        if (page == pages.length) {
            pages = Arrays.copyOf(pages, page + 1);
            pages[page] = new long[FIRST_PAGE_ROWS * FIELDS];
        }
        int needed = ((row & (PAGE_ROWS - 1)) + 1) * FIELDS;
        if (pages[page].length < needed) {
            pages[page] = Arrays.copyOf(pages[page], Math.min(PAGE_ROWS * FIELDS, pages[page].length * 2));
        }
        rows.put(id, row);
        return row;
    }

    private void write(int row, long count, long quantity, long sum, long min, long max) {
        long[] page = pages[row >>> PAGE_SHIFT];
        int at = (row & (PAGE_ROWS - 1)) * FIELDS;
        page[at + COUNT] = count;
        page[at + QUANTITY] = quantity;
        page[at + SUM] = sum;
        page[at + MIN] = min;
        page[at + MAX] = max;
    }

    private Int2ObjectOpenHashMap<Aggregate> unpacked() {
        if (unpacked == null) {
            unpacked = new Int2ObjectOpenHashMap<>();
        }
        return unpacked;
    }

    /** An aggregate with its sale sum, min and max packed once, to be added to several tables. */
    record Packed(Aggregate aggregate, long sum, long min, long max) {

        static Packed of(Aggregate aggregate) {
            return new Packed(aggregate, PackedDecimal.pack(aggregate.saleSum()),
                    PackedDecimal.pack(aggregate.saleMin()), PackedDecimal.pack(aggregate.saleMax()));
        }

        boolean packs() {
            return sum != PackedDecimal.NONE && min != PackedDecimal.NONE && max != PackedDecimal.NONE;
        }
    }
}
