package io.streamcontrol.job.rollup;

import it.unimi.dsi.fastutil.ints.Int2LongMap;
import it.unimi.dsi.fastutil.ints.Int2LongOpenHashMap;
import it.unimi.dsi.fastutil.ints.Int2ObjectMap;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Arrays;

/**
 * Exact decimal sums by key id, as {@link BigDecimal#add} gives them (value and scale): a primitive map of
 * {@link PackedDecimal packed} sums, about 20 bytes a key, and {@link BigDecimal}s for the rare sums that do not pack.
 * A key is in one of the two. Mutable; one thread.
 *
 * <p>Sums that no longer change can be {@link #freeze frozen}: the packed ones move to two sorted arrays, 12 bytes a
 * key, read by binary search. A top-N slide spends most of its life so (an hour's window of slides, written only while
 * events can still fall into them). A change to frozen sums makes them a map again.
 */
final class DecimalSums implements Serializable {

    /** The packed sums while not frozen; null while frozen. */
    private Int2LongOpenHashMap packed;
    /** The packed sums while frozen: ids ascending, and each one's sum; null while not frozen. */
    private int[] frozenIds;
    private long[] frozenSums;
    /** The sums that do not pack; null while there is none. */
    private Int2ObjectOpenHashMap<BigDecimal> unpacked;

    DecimalSums() {
        this(Int2LongOpenHashMap.DEFAULT_INITIAL_SIZE);
    }

    DecimalSums(int expectedKeys) {
        packed = newMap(expectedKeys);
    }

    private static Int2LongOpenHashMap newMap(int expectedKeys) {
        Int2LongOpenHashMap map = new Int2LongOpenHashMap(expectedKeys);
        map.defaultReturnValue(PackedDecimal.NONE);
        return map;
    }

    /** Keeps the packed sums in sorted arrays until the next change: for sums that no longer change. */
    void freeze() {
        if (packed == null) {
            return;
        }
        int[] ids = packed.keySet().toIntArray();
        Arrays.sort(ids);
        long[] sums = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            sums[i] = packed.get(ids[i]);
        }
        frozenIds = ids;
        frozenSums = sums;
        packed = null;
    }

    boolean isFrozen() {
        return packed == null;
    }

    /** The map again, for a change. */
    private void thaw() {
        if (packed != null) {
            return;
        }
        packed = newMap(frozenIds.length);
        for (int i = 0; i < frozenIds.length; i++) {
            packed.put(frozenIds[i], frozenSums[i]);
        }
        frozenIds = null;
        frozenSums = null;
    }

    /** The packed sum of {@code id}; {@link PackedDecimal#NONE} if it has none or its sum does not pack. */
    private long packedOf(int id) {
        if (packed != null) {
            return packed.get(id);
        }
        int at = Arrays.binarySearch(frozenIds, id);
        return at < 0 ? PackedDecimal.NONE : frozenSums[at];
    }

    private int packedSize() {
        return packed != null ? packed.size() : frozenIds.length;
    }

    /** Adds {@code amount} to the sum of {@code id}. */
    void add(int id, BigDecimal amount) {
        thaw();
        long value = PackedDecimal.pack(amount);
        if (value == PackedDecimal.NONE) {
            unpack(id, amount);
        } else {
            addPacked(id, value);
        }
    }

    /** Adds the sum {@code other} holds for {@code id}, if any. */
    void addFrom(DecimalSums other, int id) {
        long value = other.packedOf(id);
        if (value != PackedDecimal.NONE) {
            addPacked(id, value);
        } else if (other.unpacked != null && other.unpacked.containsKey(id)) {
            add(id, other.unpacked.get(id));
        }
    }

    /**
     * Adds the sums {@code other} holds for {@code sortedIds} (ascending, distinct): {@link #addFrom(DecimalSums, int)}
     * for each, but over frozen sums a walk along both sorted arrays when that costs fewer steps than a binary search
     * per id.
     */
    void addFrom(DecimalSums other, int[] sortedIds) {
        if (!other.isFrozen() || (long) sortedIds.length * (32 - Integer.numberOfLeadingZeros(other.frozenIds.length))
                < other.frozenIds.length) {
            for (int id : sortedIds) {
                addFrom(other, id);
            }
            return;
        }
        int[] ids = other.frozenIds;
        for (int i = 0, j = 0; i < sortedIds.length && j < ids.length; ) {
            if (sortedIds[i] < ids[j]) {
                i++;
            } else if (sortedIds[i] > ids[j]) {
                j++;
            } else {
                addPacked(ids[j], other.frozenSums[j]);
                i++;
                j++;
            }
        }
        if (other.unpacked != null) {
            for (int id : sortedIds) {
                BigDecimal sum = other.unpacked.get(id);
                if (sum != null) {
                    add(id, sum);
                }
            }
        }
    }

    /** Adds every sum of {@code other}. */
    void addAll(DecimalSums other) {
        other.forEach((id, value, big) -> {
            if (big == null) {
                addPacked(id, value);
            } else {
                add(id, big);
            }
        });
    }

    /** The sum of {@code id}; null if it has none. */
    BigDecimal get(int id) {
        long value = packedOf(id);
        if (value != PackedDecimal.NONE) {
            return PackedDecimal.toBigDecimal(value);
        }
        return unpacked == null ? null : unpacked.get(id);
    }

    boolean containsKey(int id) {
        return packedOf(id) != PackedDecimal.NONE || unpacked != null && unpacked.containsKey(id);
    }

    int size() {
        return packedSize() + (unpacked == null ? 0 : unpacked.size());
    }

    boolean isEmpty() {
        return size() == 0;
    }

    /** Each sum, packed ({@code unpacked} null) or not ({@code packed} {@link PackedDecimal#NONE}). */
    void forEach(SumConsumer action) {
        if (packed != null) {
            for (Int2LongMap.Entry entry : packed.int2LongEntrySet()) {
                action.accept(entry.getIntKey(), entry.getLongValue(), null);
            }
        } else {
            for (int i = 0; i < frozenIds.length; i++) {
                action.accept(frozenIds[i], frozenSums[i], null);
            }
        }
        if (unpacked != null) {
            for (Int2ObjectMap.Entry<BigDecimal> entry : unpacked.int2ObjectEntrySet()) {
                action.accept(entry.getIntKey(), PackedDecimal.NONE, entry.getValue());
            }
        }
    }

    @FunctionalInterface
    interface SumConsumer {
        void accept(int id, long packed, BigDecimal unpacked);
    }

    private void addPacked(int id, long value) {
        thaw();
        if (unpacked != null && unpacked.containsKey(id)) {
            unpack(id, PackedDecimal.toBigDecimal(value));
            return;
        }
        long before = packed.get(id);
        if (before == PackedDecimal.NONE) {
            packed.put(id, value);
            return;
        }
        long sum = PackedDecimal.add(before, value);
        if (sum == PackedDecimal.NONE) {
            unpack(id, PackedDecimal.toBigDecimal(value));
        } else {
            packed.put(id, sum);
        }
    }

    /** Adds {@code amount} to the sum of {@code id}, which is then kept unpacked. */
    private void unpack(int id, BigDecimal amount) {
        long before = packed.remove(id);
        if (unpacked == null) {
            unpacked = new Int2ObjectOpenHashMap<>();
        }
        unpacked.merge(id, before == PackedDecimal.NONE ? amount : PackedDecimal.toBigDecimal(before).add(amount),
                BigDecimal::add);
    }
}
