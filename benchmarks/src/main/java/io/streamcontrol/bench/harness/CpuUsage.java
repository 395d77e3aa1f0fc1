package io.streamcontrol.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time from /proc, in ms: of named processes (a name may stand for several pids) and of the whole machine, so that
 * a report can tell how much of the machine its processes had while it measured, on a machine shared with others.
 */
public final class CpuUsage {

    /** USER_HZ: /proc counts CPU time in ticks of 10 ms on Linux. */
    static final long MS_PER_TICK = 10;

    /** CPU time used so far: per name, and by the whole machine (busy and idle, over all cores). */
    public record Snapshot(long atMillis, Map<String, Long> processes, long machineBusy, long machineIdle) {

        public static Snapshot take(Map<String, List<Long>> pids) {
            return take(pids, Map.of());
        }

        /** Also the named thread groups of other processes (counted within their process's figure too). */
        public static Snapshot take(Map<String, List<Long>> pids, Map<String, Threads> threads) {
            Map<String, Long> processes = new LinkedHashMap<>();
            pids.forEach((name, list) -> processes.put(name, list.stream().mapToLong(CpuUsage::processMillis).sum()));
            threads.forEach((name, t) -> processes.put(name, processThreadsMillis(t.pid(), t.namePrefix())));
            long[] machine = machineMillis();
            return new Snapshot(System.currentTimeMillis(), processes, machine[0], machine[1]);
        }
    }

    /** The threads of process {@code pid} whose name starts with {@code namePrefix}. */
    public record Threads(long pid, String namePrefix) {
    }

    /**
     * What each named process (and {@code extra} part) used over a window, and the machine's busy and idle time, in
     * CPU ms.
     */
    public record Usage(Map<String, Long> millis, long machineBusyMillis, long machineIdleMillis, long wallMillis) {

        public static Usage between(Snapshot before, Snapshot after, Map<String, Long> extraMillis) {
            Map<String, Long> used = new LinkedHashMap<>();
            after.processes().forEach((name, ms) -> used.put(name, ms - before.processes().getOrDefault(name, 0L)));
            used.putAll(extraMillis);
            return new Usage(used, after.machineBusy() - before.machineBusy(),
                    after.machineIdle() - before.machineIdle(), after.atMillis() - before.atMillis());
        }

        /** The share of all cores' time that stayed idle. */
        public double idleShare() {
            long total = machineBusyMillis + machineIdleMillis;
            return total <= 0 ? Double.NaN : machineIdleMillis / (double) total;
        }
    }

    private CpuUsage() {
    }

    /** CPU time (user + system) of this JVM's live threads whose name starts with {@code prefix}. */
    public static long threadsMillis(String prefix) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long nanos = 0;
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(prefix)) {
                nanos += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return nanos / 1_000_000;
    }

    /**
     * What each named process used between two snapshots, what the rest of the machine used (other processes,
     * including other users'), and what stayed idle, in CPU seconds; {@code extra} adds processes measured otherwise.
     */
    public static String between(Snapshot before, Snapshot after, Map<String, Long> extraMillis) {
        List<String> parts = new ArrayList<>();
        long ours = 0;
        for (Map.Entry<String, Long> e : after.processes().entrySet()) {
            long used = e.getValue() - before.processes().getOrDefault(e.getKey(), 0L);
            ours += used;
            parts.add(String.format(Locale.ROOT, "%s %.1f", e.getKey(), used / 1000.0));
        }
        for (Map.Entry<String, Long> e : extraMillis.entrySet()) {
            ours += e.getValue();
            parts.add(String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue() / 1000.0));
        }
        long busy = after.machineBusy() - before.machineBusy();
        long idle = after.machineIdle() - before.machineIdle();
        parts.add(String.format(Locale.ROOT, "everything else on the machine %.1f", Math.max(0, busy - ours) / 1000.0));
        parts.add(String.format(Locale.ROOT, "idle %.1f", idle / 1000.0));
        return String.format(Locale.ROOT, "CPU s of %d cores x %.0f s: %s", Runtime.getRuntime().availableProcessors(),
                (after.atMillis() - before.atMillis()) / 1000.0, String.join(", ", parts));
    }

    /** utime + stime of a process (all its threads), 0 when it is gone. */
    public static long processMillis(long pid) {
        return statMillis(Path.of("/proc", String.valueOf(pid), "stat"));
    }

    /**
     * utime + stime of another process's live threads whose name starts with {@code prefix} (as /proc keeps it: at
     * most 15 characters). Only for threads that keep their name: Cassandra's request workers take the name of the
     * stage they serve at the moment, its compaction threads do not.
     */
    private static long processThreadsMillis(long pid, String prefix) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            return tasks.filter(task -> threadName(task).startsWith(prefix))
                    .mapToLong(task -> statMillis(task.resolve("stat"))).sum();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String threadName(Path task) {
        try {
            return Files.readString(task.resolve("comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static long statMillis(Path stat) {
        try {
            String line = Files.readString(stat);
            // fields after the command name, which is in parentheses and may hold spaces: state is field 3
            String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * MS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** [busy, idle] of all cores since boot: the first line of /proc/stat. */
    private static long[] machineMillis() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long user = Long.parseLong(f[1]);
            long nice = Long.parseLong(f[2]);
            long system = Long.parseLong(f[3]);
            long idle = Long.parseLong(f[4]);
            long iowait = Long.parseLong(f[5]);
            long irq = Long.parseLong(f[6]);
            long softirq = Long.parseLong(f[7]);
            long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            return new long[] {(user + nice + system + irq + softirq + steal) * MS_PER_TICK, (idle + iowait) * MS_PER_TICK};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }
}
