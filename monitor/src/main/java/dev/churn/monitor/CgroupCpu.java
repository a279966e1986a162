package dev.churn.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * This process's cgroup CPU quota and how often it throttled the process, as the kernel counts them ({@code cpu.stat}:
 * {@code nr_periods}, {@code nr_throttled} and {@code throttled_usec} in cgroup v2, {@code throttled_time} in
 * nanoseconds in v1's cpu controller; the quota from {@code cpu.max} or {@code cpu.cfs_quota_us}). A run in a container
 * limited to a fifth of a CPU was throttled in 102 of 106 periods, and its table blamed other processes and the JIT
 * (QA, 2026-12-06): read before and after a run, {@link #between} says so. The cgroup read is the nearest one up
 * from the process's own that has a quota (a quota on an ancestor throttles it too), else its own.
 *
 * @param dir             the cgroup's folder
 * @param periods         enforcement periods with the quota in force so far
 * @param throttled       periods in which the quota ran out
 * @param throttledNanos  time the cgroup's threads waited for the next period
 * @param quotaMicros     CPU time allowed per period, -1 for none
 * @param periodMicros    the period
 */
public record CgroupCpu(Path dir, long periods, long throttled, long throttledNanos, long quotaMicros, long periodMicros) {

    /** The reading now, or null where there is none (no cpu controller, not Linux, a restricted container). */
    public static CgroupCpu now() {
        try {
            return read(StateSources.DEFAULT_PROC_ROOT, Path.of("/"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Reads {@code proc/self/cgroup} and {@code proc/self/mountinfo}, then the cgroup's files under {@code root} (the
     * real one is {@code /}; tests give a folder of fixtures); null when the process has no cpu controller.
     */
    public static CgroupCpu read(Path proc, Path root) throws IOException {
        Path own = folder(proc, root, "cpu");
        if (own == null || !Files.isRegularFile(own.resolve("cpu.stat"))) {
            return null;
        }
        // The nearest cgroup up from the process's own that has a quota: a systemd slice's or a pod's sits above the
        // container's, and a quota on a parent throttled a run that said nothing of it (QA, 2026-12-06).
        Path dir = own;
        long[] qp = quotaAndPeriod(own);
        for (Path d = own.getParent(); qp[0] < 0 && d != null && Files.isRegularFile(d.resolve("cpu.stat")); d = d.getParent()) {
            long[] up = quotaAndPeriod(d);
            if (up[0] >= 0) {
                dir = d;
                qp = up;
            }
        }
        Map<String, Long> stat = pairs(dir.resolve("cpu.stat"));
        long throttledNanos = stat.containsKey("throttled_usec") ? stat.get("throttled_usec") * 1_000
                : stat.getOrDefault("throttled_time", 0L);
        return new CgroupCpu(dir, stat.getOrDefault("nr_periods", 0L), stat.getOrDefault("nr_throttled", 0L), throttledNanos,
                qp[0], qp[1]);
    }

    // {quota, period} in microseconds, quota -1 for none.
    private static long[] quotaAndPeriod(Path dir) throws IOException {
        long quota = -1;
        long period = 100_000;
        boolean v2 = Files.isRegularFile(dir.resolve("cpu.max"));
        if (v2) {
            // "max 100000" or "20000 100000"
            String[] max = Words.of(Files.readString(dir.resolve("cpu.max"), StandardCharsets.US_ASCII).strip());
            if (max.length == 2) {
                quota = max[0].equals("max") ? -1 : Long.parseLong(max[0]);
                period = Long.parseLong(max[1]);
            }
        } else if (Files.isRegularFile(dir.resolve("cpu.cfs_quota_us"))) {
            quota = Long.parseLong(Files.readString(dir.resolve("cpu.cfs_quota_us"), StandardCharsets.US_ASCII).strip());
            period = Long.parseLong(Files.readString(dir.resolve("cpu.cfs_period_us"), StandardCharsets.US_ASCII).strip());
        }
        return new long[] {quota < 0 ? -1 : quota, period};
    }

    /**
     * What the quota did between two readings of one cgroup, or null without both (or of two cgroups: the process was
     * moved).
     */
    public static Throttle between(CgroupCpu before, CgroupCpu after) {
        if (before == null || after == null || !before.dir.equals(after.dir)) {
            return null;
        }
        return new Throttle(after.quotaMicros < 0 ? -1 : (double) after.quotaMicros / after.periodMicros,
                Math.max(0, after.periods - before.periods), Math.max(0, after.throttled - before.throttled),
                Math.max(0, after.throttledNanos - before.throttledNanos) / 1e9);
    }

    /**
     * The quota's effect over a span: {@code quotaCpus} CPUs allowed (-1 for no quota), and in how many of the span's
     * periods it ran out, for how long in all.
     */
    public record Throttle(double quotaCpus, long periods, long throttledPeriods, double throttledSeconds) {

        /** More than a tenth of a percent of the periods (any at all when there were few): less changed nothing. */
        public boolean mattered() {
            return throttledPeriods > 0 && throttledPeriods * 1000 > periods;
        }

        /** The line to warn with when the quota throttled the process, else null. */
        public String warning() {
            if (!mattered()) {
                return null;
            }
            return String.format(Locale.ROOT, "this process's cgroup CPU quota (%s of a CPU) throttled it in %,d of %,d"
                    + " scheduling periods (%.2f s throttled, summed over CPUs): the rates and latencies here are what that quota allows, not"
                    + " what the machine does; raise or lift the quota (cpu.max, or a container's CPU limit) to measure"
                    + " the machine", quotaCpus < 0 ? "no longer set," : String.format(Locale.ROOT, "%.2f", quotaCpus),
                    throttledPeriods, periods, throttledSeconds);
        }
    }

    /**
     * The process's cgroup folder for a controller ({@code cpu}, {@code memory}): v1's when the process has that
     * controller there, else the v2 hierarchy's, found where its mount is; null for neither.
     */
    static Path folder(Path proc, Path root, String controller) throws IOException {
        String v1 = null;
        String v2 = null;
        for (String line : Files.readAllLines(proc.resolve("self").resolve("cgroup"), StandardCharsets.UTF_8)) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            if (f[0].equals("0") && f[1].isEmpty()) {
                v2 = f[2];
            } else if (List.of(f[1].split(",")).contains(controller)) {
                v1 = f[2];
            }
        }
        for (String line : Files.readAllLines(proc.resolve("self").resolve("mountinfo"), StandardCharsets.UTF_8)) {
            // "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu": root, mount point, then after " - "
            // the type, the source and the super options (v1's controllers).
            int dash = line.indexOf(" - ");
            String[] head = Words.of(line.substring(0, Math.max(0, dash)));
            String[] tail = Words.of(line.substring(dash + 3));
            if (dash < 0 || head.length < 5 || tail.length < 3) {
                continue;
            }
            String mountRoot = head[3];
            String mountPoint = head[4];
            String path = tail[0].equals("cgroup") && v1 != null && List.of(tail[2].split(",")).contains(controller) ? v1
                    : tail[0].equals("cgroup2") && v1 == null && v2 != null ? v2 : null;
            if (path != null) {
                // In a cgroup namespace, or a container's mount of its own cgroup, the mount's root is part of the path.
                String rel = path.startsWith(mountRoot) ? path.substring(mountRoot.length()) : path;
                return root.resolve(mountPoint.substring(1)).resolve(rel.startsWith("/") ? rel.substring(1) : rel);
            }
        }
        return null;
    }

    private static Map<String, Long> pairs(Path file) throws IOException {
        Map<String, Long> m = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String[] f = Words.of(line);
            if (f.length == 2) {
                try {
                    m.put(f[0], Long.parseLong(f[1]));
                } catch (NumberFormatException e) {
                    // a field of another kind: not one read here
                }
            }
        }
        return m;
    }
}
