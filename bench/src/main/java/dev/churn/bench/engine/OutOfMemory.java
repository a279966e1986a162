package dev.churn.bench.engine;

import java.io.IOException;
import java.util.Locale;

/**
 * An OutOfMemoryError said in one line with what to do: in a heap too small for a run (QA, 2026-12-06: -Xmx24m with a
 * latency log) it was nine stack traces and a lost run, or a run that waited for good.
 */
public final class OutOfMemory {

    private OutOfMemory() {}

    /**
     * The line to print for this error: a thread the JVM could not start (the same Error, "unable to create native
     * thread") is a limit on threads, not the heap: under a cgroup's pids.max the heap advice made it worse (QA,
     * 2026-12-06); else the heap's size and how to give the JVM more.
     */
    public static String message(OutOfMemoryError e) {
        String m = e.getMessage();
        if (m != null && m.contains("native thread")) {
            return "out of threads: the JVM could not start another (" + m.strip() + "); a limit on threads or processes"
                    + " stopped it: ulimit -u, the cgroup's pids.max (a container's pids limit) or kernel.threads-max."
                    + " Fewer --concurrency, or --transport virtual or selector, which need no thread per connection";
        }
        return message();
    }

    /** The line to print: the heap's size and how to give the JVM more. */
    public static String message() {
        return String.format(Locale.ROOT, "out of memory: the JVM's heap (at most %,d MiB) is too small for this run; give it"
                + " more, e.g. JAVA_TOOL_OPTIONS=-Xmx512m (64 MiB at least: with 32-40 MiB a run's JVM may collect without"
                + " end instead, and then even a SIGTERM finds no memory to act on)",
                Runtime.getRuntime().maxMemory() >> 20);
    }

    /** The same as an IOException, as the engine's faults are. */
    static IOException explained(OutOfMemoryError e) {
        return new IOException(message(e));
    }
}
