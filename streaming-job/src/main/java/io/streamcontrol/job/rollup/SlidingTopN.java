package io.streamcontrol.job.rollup;

import io.streamcontrol.contract.rollups.Dimension;
import io.streamcontrol.job.rollup.AnalyticsChanges.Ranked;
import io.streamcontrol.job.rollup.AnalyticsChanges.TopNWindow;
import it.unimi.dsi.fastutil.ints.IntCollection;
import it.unimi.dsi.fastutil.ints.IntOpenHashSet;
import it.unimi.dsi.fastutil.ints.IntSet;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The top-N of one dimension: the sale sum of each key per slide, by slide start, and the last ranking of each window
 * that can still change, by window end. A window {@code [end - window, end)} is made of the slides that start in it.
 *
 * <p>Sale amounts are never negative, so a key's sum in a window only grows. A key outside a window's ranking that a
 * batch did not touch therefore still ranks after every key of that ranking, and the new ranking is the best of the
 * previous one and the keys the batch touched: a batch ranks what it touched, not every key of the window.
 *
 * <p>A slide holds its sums by key number ({@link KeyDictionary}, shared with the rest of the state) in
 * {@link DecimalSums}: about 20 bytes a key and slide instead of a map entry, a key string and a {@link BigDecimal};
 * 12 once no event can change the slide any more and it is frozen, which it is for most of the window.
 *
 * <p>The rankings only spare work: they are what the slides determine, so two instances with the same slides are
 * equal whichever windows each has ranked so far. Mutable, like the {@link AnalyticsState} it is part of.
 */
public final class SlidingTopN implements Serializable {

    private final KeyDictionary keys;
    private final TreeMap<Long, DecimalSums> slides = new TreeMap<>();
    private final TreeMap<Long, List<Ranked>> rankings = new TreeMap<>();

    /** A top-N with keys of its own. */
    public SlidingTopN() {
        this(new KeyDictionary());
    }

    /** A top-N whose keys are numbered by {@code keys}. */
    SlidingTopN(KeyDictionary keys) {
        this.keys = keys;
    }

    /**
     * Adds {@code saleSum} to {@code key}'s sum in the slide that starts at {@code start}; the windows holding that slide
     * are then to be ranked again with {@code key} among their changed keys ({@link #rankWindowsChanged}).
     */
    public void add(long start, String key, BigDecimal saleSum) {
        add(start, keys.id(key), saleSum);
    }

    /** {@link #add(long, String, BigDecimal)} by key number. */
    void add(long start, int id, BigDecimal saleSum) {
        slides.computeIfAbsent(start, s -> new DecimalSums()).add(id, saleSum);
    }

    /** Each slide's sum per key, by slide start: a read-only view, for tests and logs. */
    public NavigableMap<Long, Map<String, BigDecimal>> slides() {
        TreeMap<Long, Map<String, BigDecimal>> views = new TreeMap<>();
        slides.forEach((start, sums) -> views.put(start, new SlideView(sums)));
        return Collections.unmodifiableNavigableMap(views);
    }

    /** The starts of the slides held. */
    public NavigableSet<Long> slideStarts() {
        return Collections.unmodifiableNavigableSet(slides.navigableKeySet());
    }

    /** The starts of the slides frozen: no event can change them any more. */
    NavigableSet<Long> frozenSlideStarts() {
        TreeSet<Long> frozen = new TreeSet<>();
        slides.forEach((start, sums) -> {
            if (sums.isFrozen()) {
                frozen.add(start);
            }
        });
        return frozen;
    }

    /** How many sale sums the slides hold: a key's in one slide is one. */
    public int slideSums() {
        return slides.values().stream().mapToInt(DecimalSums::size).sum();
    }

    /** The last ranking of each window that can still change and was ranked, by window end. */
    public NavigableMap<Long, List<Ranked>> rankings() {
        return Collections.unmodifiableNavigableMap(rankings);
    }

    /**
     * Ranks again the windows that hold a slide a batch changed ({@code changed}: the numbers of the keys it changed,
     * by slide start), up to the window that ends right after the newest slide (windows further ahead would only repeat
     * it).
     */
    List<TopNWindow> rankWindowsChanged(Dimension dimension, NavigableMap<Long, IntSet> changed,
            AnalyticsConfig config) {
        long slide = config.slideMillis();
        long window = config.windowMillis();
        long lastEnd = slides.lastKey() + slide;
        TreeSet<Long> ends = new TreeSet<>();
        for (long start : changed.keySet()) {
            for (long end = start + slide; end <= start + window && end <= lastEnd; end += slide) {
                ends.add(end);
            }
        }
        List<TopNWindow> windows = new ArrayList<>(ends.size());
        for (long end : ends) {
            IntOpenHashSet changedIds = new IntOpenHashSet();
            changed.subMap(end - window, end).values().forEach(changedIds::addAll);
            windows.add(new TopNWindow(dimension, end - window, end, rank(end, config, changedIds)));
        }
        return windows;
    }

    /**
     * The best {@link AnalyticsConfig#topN} keys of the window that ends at {@code end}, best first (sale sum
     * descending, then key), kept for the next time it changes. {@code changedKeys}: the keys whose sums in the window
     * grew since it was last ranked; without a ranking of the window, every key of its slides is ranked.
     */
    public List<Ranked> rank(long end, AnalyticsConfig config, Stream<String> changedKeys) {
        IntOpenHashSet changed = new IntOpenHashSet();
        changedKeys.mapToInt(keys::find).filter(id -> id != KeyDictionary.ABSENT).forEach(changed::add);
        return rank(end, config, changed);
    }

    private List<Ranked> rank(long end, AnalyticsConfig config, IntCollection changed) {
        NavigableMap<Long, DecimalSums> window = slides.subMap(end - config.windowMillis(), true, end, false);
        List<Ranked> previous = rankings.get(end);
        DecimalSums sums;
        if (previous == null) {
            sums = new DecimalSums(window.values().stream().mapToInt(DecimalSums::size).max().orElse(0));
            window.values().forEach(sums::addAll);
        } else {
            IntOpenHashSet candidates = new IntOpenHashSet(changed);
            previous.forEach(ranked -> candidates.add(keys.find(ranked.key())));
            int[] ids = candidates.toIntArray();
            Arrays.sort(ids);
            DecimalSums candidateSums = new DecimalSums(ids.length);
            window.values().forEach(slide -> candidateSums.addFrom(slide, ids));
            sums = candidateSums;
        }
        List<Ranked> ranking = best(sums, config.topN());
        rankings.put(end, ranking);
        return ranking;
    }

    private List<Ranked> best(DecimalSums sums, int n) {
        Best best = new Best(n);
        sums.forEach(best::offer);
        return best.ranking();
    }

    /**
     * Drops the rankings of the windows that end at {@code closedBefore} or before (no accepted event can change them
     * any more) and the slides that only windows ending before it hold, and freezes the slides that end at
     * {@code closedBefore} or before: windows still read them, but no event can change them any more.
     */
    void closeBefore(long closedBefore, AnalyticsConfig config) {
        slides.headMap(closedBefore - config.windowMillis()).clear();
        rankings.headMap(closedBefore, true).clear();
        for (DecimalSums closed : slides.headMap(closedBefore - config.slideMillis(), true).descendingMap().values()) {
            if (closed.isFrozen()) {
                break; // so are the older ones
            }
            closed.freeze();
        }
    }

    boolean isEmpty() {
        return slides.isEmpty() && rankings.isEmpty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SlidingTopN topN && slides().equals(topN.slides());
    }

    @Override
    public int hashCode() {
        return slides().hashCode();
    }

    @Override
    public String toString() {
        return "slides " + slides() + ", rankings " + rankings;
    }

    /**
     * The best {@code n} sums offered, best first (sale sum descending, then key), kept in arrays in order; a sum is
     * made a {@link BigDecimal} only if it ranks.
     */
    private final class Best {
        private final int[] ids;
        private final long[] packed;
        private final BigDecimal[] unpacked;
        private int size;

        Best(int n) {
            ids = new int[n];
            packed = new long[n];
            unpacked = new BigDecimal[n];
        }

        /** Offers the sum of {@code id}, {@code packed} or (if that is {@link PackedDecimal#NONE}) {@code unpacked}. */
        void offer(int id, long value, BigDecimal big) {
            if (size == ids.length && (size == 0 || !before(id, value, big, size - 1))) {
                return;
            }
            int at = size == ids.length ? size - 1 : size++;
            for (; at > 0 && before(id, value, big, at - 1); at--) {
                ids[at] = ids[at - 1];
                packed[at] = packed[at - 1];
                unpacked[at] = unpacked[at - 1];
            }
            ids[at] = id;
            packed[at] = value;
            unpacked[at] = big;
        }

        /** Whether the sum offered ranks before the one at {@code index}. */
        private boolean before(int id, long value, BigDecimal big, int index) {
            int bySum = big == null && unpacked[index] == null ? PackedDecimal.compare(value, packed[index])
                    : decimal(value, big).compareTo(decimal(packed[index], unpacked[index]));
            return bySum != 0 ? bySum > 0 : keys.key(id).compareTo(keys.key(ids[index])) < 0;
        }

        List<Ranked> ranking() {
            List<Ranked> ranking = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                ranking.add(new Ranked(keys.key(ids[i]), decimal(packed[i], unpacked[i])));
            }
            return ranking;
        }

        private static BigDecimal decimal(long packed, BigDecimal unpacked) {
            return unpacked != null ? unpacked : PackedDecimal.toBigDecimal(packed);
        }
    }

    /** A slide as a map from key to sum, read-only. */
    private final class SlideView extends AbstractMap<String, BigDecimal> {
        private final DecimalSums sums;

        SlideView(DecimalSums sums) {
            this.sums = sums;
        }

        @Override
        public BigDecimal get(Object key) {
            int id = keys.find(key);
            return id == KeyDictionary.ABSENT ? null : sums.get(id);
        }

        @Override
        public boolean containsKey(Object key) {
            int id = keys.find(key);
            return id != KeyDictionary.ABSENT && sums.containsKey(id);
        }

        @Override
        public int size() {
            return sums.size();
        }

        @Override
        public Set<Entry<String, BigDecimal>> entrySet() {
            List<Entry<String, BigDecimal>> entries = new ArrayList<>(sums.size());
            sums.forEach((id, packed, unpacked) -> entries.add(Map.entry(keys.key(id),
                    unpacked != null ? unpacked : PackedDecimal.toBigDecimal(packed))));
            return Set.copyOf(entries);
        }
    }
}
