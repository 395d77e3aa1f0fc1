package io.streamcontrol.job.rollup;

import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import it.unimi.dsi.fastutil.objects.ObjectArrayList;
import java.io.Serializable;

/**
 * The keys of one dimension, numbered 0, 1, 2... in the order first seen: the state refers to a key by its number and
 * holds its string once, however many buckets, slides and totals it is in. Keys are never dropped: the running totals
 * keep every key ever seen anyway. Mutable; one thread.
 */
final class KeyDictionary implements Serializable {

    /** What {@link #find} gives for a key without a number. */
    static final int ABSENT = -1;

    private final Object2IntOpenHashMap<String> ids = new Object2IntOpenHashMap<>();
    private final ObjectArrayList<String> keys = new ObjectArrayList<>();

    KeyDictionary() {
        ids.defaultReturnValue(ABSENT);
    }

    /** The number of {@code key}, a new one if it has none yet. */
    int id(String key) {
        int id = ids.getInt(key);
        if (id == ABSENT) {
            id = keys.size();
            keys.add(key);
            ids.put(key, id);
        }
        return id;
    }

    /** The number of {@code key}, or {@link #ABSENT}. */
    int find(Object key) {
        return ids.getInt(key);
    }

    /** The key numbered {@code id}: the one string the state holds for it. */
    String key(int id) {
        return keys.get(id);
    }

    int size() {
        return keys.size();
    }
}
