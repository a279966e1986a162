package dev.churn.bench.engine;

import dev.churn.bench.config.Closer;
import dev.churn.monitor.CgroupPids;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Refuses, before anything starts, a run this process cannot serve: more cycles in flight than it
 * may open descriptors for, or, on transports with a platform thread per cycle in flight, than it
 * may start threads. Call {@link #check} with the spec; it throws IllegalArgumentException with one
 * line saying what does not fit and what to change.
 */
public final class RunCapacity {

    /** Descriptors and threads left for the JVM itself, the monitor and the results files. */
    static final long RESERVE = 64;

    /**
     * What this process may use: its soft limits ({@code Long.MAX_VALUE} when unlimited) and what it
     * uses now.
     */
    record Limits(long openFiles, long openFilesInUse, long threads, long threadsInUse) {}

    private RunCapacity() {}

    /** Throws IllegalArgumentException (one line) when this process cannot serve the spec's concurrency. */
    public static void check(RunSpec spec) {
        check(spec, current());
    }

    static void check(RunSpec spec, Limits l) {
        int c = spec.effectiveConcurrency();
        long descriptors = descriptorsNeeded(spec);
        long freeFiles = l.openFiles() - l.openFilesInUse() - RESERVE;
        if (descriptors > freeFiles) {
            // The reserve is said too: without it "needs 110, may open 160, has 9 open" reads as if it fitted.
            String per = !spec.builtInSink() ? "one per connection"
                    : spec.closer() == Closer.NEVER ? "a client socket per connection in flight, and a sink socket per "
                            + "connection made: the sink never closes"
                    : "a client and a sink socket per connection";
            // A sink that never closes holds every connection made: then --connections is what to lower.
            boolean heldByNever = spec.closer() == Closer.NEVER && spec.builtInSink() && spec.connections() > c;
            String option = heldByNever ? "--connections" : "--concurrency";
            String what = heldByNever ? String.format(Locale.ROOT, "--connections %,d with --closer never", spec.connections())
                    : String.format(Locale.ROOT, "--concurrency %,d", c);
            // With not even one connection's worth left, lowering the option cannot help: say only what can.
            long one = spec.builtInSink() ? 2 : 1;
            String advice = freeFiles < one && !heldByNever
                    ? String.format(Locale.ROOT, "raise ulimit -n to at least %,d", l.openFilesInUse() + RESERVE + descriptors)
                    : "lower " + option + " or raise ulimit -n";
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s needs about %,d file descriptors (%s), but this process may open %,d "
                            + "(ulimit -n), has %,d open and keeps %d for the JVM, the monitor and the results files: "
                            + "%,d are left; %s",
                    what, descriptors, per, l.openFiles(), l.openFilesInUse(), RESERVE, Math.max(0, freeFiles), advice));
        }
        if (spec.transport().platformThreadPerConnection()) {
            long freeThreads = l.threads() - l.threadsInUse() - RESERVE;
            if (c > freeThreads) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--concurrency %,d needs %,d threads with --transport %s, but this process may start %,d more "
                                + "(ulimit -u, kernel.threads-max, the cgroup's pids.max): lower --concurrency or use --transport virtual or selector",
                        c, c, spec.transport().label(), Math.max(0, freeThreads)));
            }
        }
    }

    /**
     * The largest bound of cycles in flight, up to {@code most}, whose run this process can serve (descriptors, and
     * threads where each cycle has one; a sink that never closes holding what it accepted), or 0 when not even one
     * fits: for a bound the user did not choose (an open loop's default), so a lower ulimit shrinks it instead of
     * refusing the run. {@code withBound} makes the spec for a bound; one it refuses does not fit either.
     */
    public static int largestFitting(int most, IntFunction<RunSpec> withBound) {
        return largestFitting(most, withBound, current());
    }

    static int largestFitting(int most, IntFunction<RunSpec> withBound, Limits l) {
        int lo = 0; // fits (0: nothing known to)
        int hi = most + 1; // does not
        while (hi - lo > 1) {
            int mid = lo + (hi - lo) / 2;
            if (fits(withBound, mid, l)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static boolean fits(IntFunction<RunSpec> withBound, int bound, Limits l) {
        try {
            check(withBound.apply(bound), l);
            return true;
        } catch (IllegalArgumentException tooMany) {
            return false;
        }
    }

    /**
     * How many sockets {@code churn serve --closer never} may keep open at once: what this process may
     * still open, less {@link #holdReserve} for the connections being served, the control channels, the
     * monitor and a session's results files. {@code Long.MAX_VALUE} when the limit is unknown or none.
     */
    public static long holdable() {
        return holdable(current());
    }

    static long holdable(Limits l) {
        if (l.openFiles() == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, l.openFiles() - l.openFilesInUse() - holdReserve(l.openFiles()));
    }

    /**
     * Descriptors a server that holds connections keeps free: an eighth of its limit, at least
     * {@link #RESERVE}. Its clients' connections in flight are not known in advance, as a run's are.
     */
    public static long holdReserve(long openFiles) {
        return Math.max(RESERVE, openFiles / 8);
    }

    /** The soft limit on open files ({@code ulimit -n}), {@code Long.MAX_VALUE} when unknown or none. */
    public static long openFilesLimit() {
        return current().openFiles();
    }

    /** Client sockets in flight, plus the sink's side of each (all of them, when the sink never closes). */
    static long descriptorsNeeded(RunSpec spec) {
        long c = spec.effectiveConcurrency();
        if (!spec.builtInSink()) {
            return c;
        }
        long held = spec.closer() == Closer.NEVER ? Math.max(c, spec.connections()) : c;
        return c + held;
    }

    /** This process's limits as /proc says; unlimited where it cannot tell (not Linux). */
    static Limits current() {
        List<String> limits = lines(Path.of("/proc/self/limits"));
        long files = limit(limits, "Max open files");
        long processes = limit(limits, "Max processes");
        long threadsMax = number(lines(Path.of("/proc/sys/kernel/threads-max")).stream().findFirst().orElse(""));
        long filesInUse;
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            filesInUse = fds.count();
        } catch (IOException | RuntimeException e) {
            filesInUse = 0;
        }
        long threadsInUse = ManagementFactory.getThreadMXBean().getThreadCount();
        long threads = Math.min(processes, threadsMax);
        // A cgroup's pids.max counts every task in it, this process's threads among them: what it leaves is what may start.
        long pidsLeft = CgroupPids.tasksLeft();
        if (pidsLeft != Long.MAX_VALUE && (threads == Long.MAX_VALUE || pidsLeft < threads - threadsInUse)) {
            threads = threadsInUse + pidsLeft;
        }
        return new Limits(files, filesInUse, threads, threadsInUse);
    }

    /** The soft limit of the /proc/self/limits line starting with {@code name}. */
    static long limit(List<String> limits, String name) {
        for (String line : limits) {
            if (line.startsWith(name)) {
                String[] f = line.substring(name.length()).trim().split("\\s+");
                return f.length == 0 ? Long.MAX_VALUE : number(f[0]);
            }
        }
        return Long.MAX_VALUE;
    }

    private static long number(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // "unlimited", or unknown
        }
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
