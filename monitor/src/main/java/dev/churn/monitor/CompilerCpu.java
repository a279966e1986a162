package dev.churn.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The CPU time this JVM's JIT compiler threads have run, in nanoseconds: the first field of
 * {@code /proc/self/task/<tid>/schedstat} (time on a CPU) summed over the tasks whose name
 * ({@code comm}, cut to 15 characters by the kernel) is a compiler thread's: HotSpot's
 * "C1 CompilerThread0", "C2 CompilerThread0" and so on, and "JVMCI CompilerThread" under Graal.
 *
 * <p>CPU time, not {@link java.lang.management.CompilationMXBean#getTotalCompilationTime}: that one
 * is the wall time of the compilations, which on a machine whose CPUs the run keeps busy counts the
 * time a compiler thread waited for one (a C2 compilation that got a third of a CPU counts three
 * times over). The threads are found by {@link #rescan}, which lists every task (a run of thousands
 * of platform threads has thousands), and {@link #cpuNanos} reads only the ones found, so read it
 * as often as needed and rescan at the few points where new compiler threads may have come (the
 * JVM starts more under load on a machine with many CPUs). A compiler thread that ended keeps the
 * time last read from it. The proc root is a parameter so tests read fixtures.
 */
public final class CompilerCpu {

    private final Path tasks;
    /** Per compiler task: its schedstat file and the CPU time last read from it. */
    private final Map<Path, Long> lastRead = new LinkedHashMap<>();
    /** Tasks already looked at, so a rescan reads the name of new ones only (a run may have thousands). */
    private final Set<Path> seen = new HashSet<>();

    private CompilerCpu(Path tasks) {
        this.tasks = tasks;
    }

    /** This process's compiler threads under this proc root, found now; none where it has no task list. */
    public static CompilerCpu of(Path procRoot) {
        CompilerCpu c = new CompilerCpu(procRoot.resolve("self").resolve("task"));
        c.rescan();
        return c;
    }

    /** True when a thread a compiler's name was found (false on a JVM without a JIT, or with no /proc). */
    public synchronized boolean found() {
        return !lastRead.isEmpty();
    }

    /**
     * Looks for compiler threads again, keeping the ones already known; a new one counts from the
     * next {@link #cpuNanos}, which every caller reads right after.
     */
    public synchronized void rescan() {
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path task : dir) {
                if (seen.add(task) && isCompiler(task)) {
                    lastRead.put(task.resolve("schedstat"), 0L);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no task list here (not Linux, a restricted /proc): none found, and cpuNanos() stays 0
        }
    }

    /** The compiler threads' CPU time so far, in nanoseconds (0 when none were found). */
    public synchronized long cpuNanos() {
        long sum = 0;
        for (Map.Entry<Path, Long> e : lastRead.entrySet()) {
            long ns = runNanos(e.getKey());
            if (ns >= e.getValue()) {
                e.setValue(ns);
            }
            sum += e.getValue();
        }
        return sum;
    }

    /** Whether a comm is a JIT compiler thread's: "C1 CompilerThre", "C2 CompilerThre", "JVMCI CompilerT". */
    static boolean isCompilerName(String comm) {
        String c = comm.strip();
        return c.startsWith("C1 Compiler") || c.startsWith("C2 Compiler") || c.startsWith("JVMCI Compiler");
    }

    private static boolean isCompiler(Path task) {
        try {
            return isCompilerName(Files.readString(task.resolve("comm"), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return false; // the thread ended between the listing and the read
        }
    }

    /** The first field of a schedstat file, or -1 when it cannot be read (the thread ended). */
    private static long runNanos(Path schedstat) {
        try {
            String s = Files.readString(schedstat, StandardCharsets.US_ASCII).strip();
            int space = s.indexOf(' ');
            return Long.parseLong(space < 0 ? s : s.substring(0, space));
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
