package io.streamcontrol.job.rollup;

import it.unimi.dsi.fastutil.ints.Int2LongMap;
import it.unimi.dsi.fastutil.ints.Int2LongOpenHashMap;
import it.unimi.dsi.fastutil.ints.Int2ObjectMap;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import java.io.Serializable;
import java.math.BigDecimal;

/**
 * Exact decimal sums by key id, as {@link BigDecimal#add} gives them (value and scale): a primitive map of
 * {@link PackedDecimal packed} sums, about 20 bytes a key, and {@link BigDecimal}s for the rare sums that do not pack.
 * A key is in one of the two. Mutable; one thread.
 */
final class DecimalSums implements Serializable {

    private final Int2LongOpenHashMap packed;
    /** The sums that do not pack; null while there is none. */
    private Int2ObjectOpenHashMap<BigDecimal> unpacked;

    DecimalSums() {
        this(Int2LongOpenHashMap.DEFAULT_INITIAL_SIZE);
    }

    DecimalSums(int expectedKeys) {
        packed = new Int2LongOpenHashMap(expectedKeys);
        packed.defaultReturnValue(PackedDecimal.NONE);
    }

    /** Adds {@code amount} to the sum of {@code id}. */
    void add(int id, BigDecimal amount) {
        long value = PackedDecimal.pack(amount);
        if (value == PackedDecimal.NONE) {
            unpack(id, amount);
        } else {
            addPacked(id, value);
        }
    }

    /** Adds the sum {@code other} holds for {@code id}, if any. */
    void addFrom(DecimalSums other, int id) {
        long value = other.packed.get(id);
        if (value != PackedDecimal.NONE) {
            addPacked(id, value);
        } else if (other.unpacked != null && other.unpacked.containsKey(id)) {
            add(id, other.unpacked.get(id));
        }
    }

    /** Adds every sum of {@code other}. */
    void addAll(DecimalSums other) {
        for (Int2LongMap.Entry entry : other.packed.int2LongEntrySet()) {
            addPacked(entry.getIntKey(), entry.getLongValue());
        }
        if (other.unpacked != null) {
            other.unpacked.forEach(this::add);
        }
    }

    /** The sum of {@code id}; null if it has none. */
    BigDecimal get(int id) {
        long value = packed.get(id);
        if (value != PackedDecimal.NONE) {
            return PackedDecimal.toBigDecimal(value);
        }
        return unpacked == null ? null : unpacked.get(id);
    }

    boolean containsKey(int id) {
        return packed.containsKey(id) || unpacked != null && unpacked.containsKey(id);
    }

    int size() {
        return packed.size() + (unpacked == null ? 0 : unpacked.size());
    }

    boolean isEmpty() {
        return size() == 0;
    }

    /** Each sum, packed ({@code unpacked} null) or not ({@code packed} {@link PackedDecimal#NONE}). */
    void forEach(SumConsumer action) {
        for (Int2LongMap.Entry entry : packed.int2LongEntrySet()) {
            action.accept(entry.getIntKey(), entry.getLongValue(), null);
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
