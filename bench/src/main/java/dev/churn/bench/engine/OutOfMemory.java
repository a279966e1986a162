package dev.churn.bench.engine;

import java.io.IOException;
import java.util.Locale;

/**
 * An OutOfMemoryError said in one line with what to do: in a heap too small for a run (QA, 2026-12-06: -Xmx24m with a
 * latency log) it was nine stack traces and a lost run, or a run that waited for good.
 */
public final class OutOfMemory {

    private OutOfMemory() {}

    /** The line to print: the heap's size and how to give the JVM more. */
    public static String message() {
        return String.format(Locale.ROOT, "out of memory: the JVM's heap (at most %,d MiB) is too small for this run; give it"
                + " more, e.g. JAVA_TOOL_OPTIONS=-Xmx512m (a default run needs about 32 MiB)",
                Runtime.getRuntime().maxMemory() >> 20);
    }

    /** The same as an IOException, as the engine's faults are. */
    static IOException explained() {
        return new IOException(message());
    }
}
