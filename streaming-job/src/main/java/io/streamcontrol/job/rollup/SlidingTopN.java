package io.streamcontrol.job.rollup;

import io.streamcontrol.job.event.Dimension;
import io.streamcontrol.job.rollup.AnalyticsChanges.Ranked;
import io.streamcontrol.job.rollup.AnalyticsChanges.TopNWindow;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.PriorityQueue;
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
 * <p>The rankings only spare work: they are what the slides determine, so two instances with the same slides are
 * equal whichever windows each has ranked so far. Mutable, like the {@link AnalyticsState} it is part of.
 */
public final class SlidingTopN implements Serializable {

    private static final Comparator<Ranked> BEST_FIRST =
            Comparator.comparing(Ranked::saleSum).reversed().thenComparing(Ranked::key);
    private static final Comparator<Ranked> WORST_FIRST = BEST_FIRST.reversed();

    private final TreeMap<Long, Map<String, BigDecimal>> slides = new TreeMap<>();
    private final TreeMap<Long, List<Ranked>> rankings = new TreeMap<>();

    /**
     * Adds {@code saleSum} to {@code key}'s sum in the slide that starts at {@code start}; the windows holding that slide
     * are then to be ranked again with {@code key} among their changed keys ({@link #rankWindowsChanged}).
     */
    public void add(long start, String key, BigDecimal saleSum) {
        slides.computeIfAbsent(start, s -> new HashMap<>()).merge(key, saleSum, BigDecimal::add);
    }

    /** Each slide's sum per key, by slide start. */
    public NavigableMap<Long, Map<String, BigDecimal>> slides() {
        return Collections.unmodifiableNavigableMap(slides);
    }

    /** The last ranking of each window that can still change and was ranked, by window end. */
    public NavigableMap<Long, List<Ranked>> rankings() {
        return Collections.unmodifiableNavigableMap(rankings);
    }

    /**
     * Ranks again the windows that hold a slide a batch changed ({@code changed}: the keys it changed, by slide start),
     * up to the window that ends right after the newest slide (windows further ahead would only repeat it).
     */
    List<TopNWindow> rankWindowsChanged(Dimension dimension, NavigableMap<Long, Set<String>> changed,
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
            Stream<String> changedKeys = changed.subMap(end - window, end).values().stream().flatMap(Set::stream);
            windows.add(new TopNWindow(dimension, end - window, end, rank(end, config, changedKeys)));
        }
        return windows;
    }

    /**
     * The best {@link AnalyticsConfig#topN} keys of the window that ends at {@code end}, best first (sale sum
     * descending, then key), kept for the next time it changes. {@code changedKeys}: the keys whose sums in the window
     * grew since it was last ranked; without a ranking of the window, every key of its slides is ranked.
     */
    public List<Ranked> rank(long end, AnalyticsConfig config, Stream<String> changedKeys) {
        NavigableMap<Long, Map<String, BigDecimal>> window = slides.subMap(end - config.windowMillis(), true, end,
                false);
        List<Ranked> previous = rankings.get(end);
        Map<String, BigDecimal> sums = new HashMap<>();
        if (previous == null) {
            window.values().forEach(slide -> slide.forEach((key, sum) -> sums.merge(key, sum, BigDecimal::add)));
        } else {
            Stream.concat(previous.stream().map(Ranked::key), changedKeys)
                    .forEach(key -> sums.computeIfAbsent(key, k -> sumOf(k, window)));
        }
        List<Ranked> ranking = best(sums, config.topN());
        rankings.put(end, ranking);
        return ranking;
    }

    private static BigDecimal sumOf(String key, NavigableMap<Long, Map<String, BigDecimal>> window) {
        BigDecimal total = null;
        for (Map<String, BigDecimal> slide : window.values()) {
            BigDecimal sum = slide.get(key);
            if (sum != null) {
                total = total == null ? sum : total.add(sum);
            }
        }
        return total;
    }

    private static List<Ranked> best(Map<String, BigDecimal> sums, int n) {
        PriorityQueue<Ranked> best = new PriorityQueue<>(n, WORST_FIRST);
        sums.forEach((key, sum) -> {
            Ranked ranked = new Ranked(key, sum);
            if (best.size() < n) {
                best.add(ranked);
            } else if (BEST_FIRST.compare(ranked, best.peek()) < 0) {
                best.poll();
                best.add(ranked);
            }
        });
        List<Ranked> ranking = new ArrayList<>(best);
        ranking.sort(BEST_FIRST);
        return ranking;
    }

    /**
     * Drops the rankings of the windows that end at {@code closedBefore} or before (no accepted event can change them
     * any more) and the slides that only windows ending before it hold.
     */
    void closeBefore(long closedBefore, long windowMillis) {
        slides.headMap(closedBefore - windowMillis).clear();
        rankings.headMap(closedBefore, true).clear();
    }

    boolean isEmpty() {
        return slides.isEmpty() && rankings.isEmpty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SlidingTopN topN && slides.equals(topN.slides);
    }

    @Override
    public int hashCode() {
        return slides.hashCode();
    }

    @Override
    public String toString() {
        return "slides " + slides + ", rankings " + rankings;
    }
}
