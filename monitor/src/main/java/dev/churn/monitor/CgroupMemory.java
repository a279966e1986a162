package dev.churn.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * This process's cgroup memory limit ({@code memory.max} in v2, {@code memory.limit_in_bytes} in v1's memory
 * controller). Past it the kernel kills the process without a word: under 64 MiB every churn command but --help died
 * with exit 137 within a second, and under 128 MiB an open loop's 1,000 threads did (QA, 2026-12-06), though the JVM
 * sized its heap for the container. A run says so before it starts ({@link #warning}).
 */
public final class CgroupMemory {

    private CgroupMemory() {}

    /** What a run takes beside its heap and with it, measured: a default run peaked at 92 MB, an open loop's at 240. */
    static final long WARN_BELOW_BYTES = 256L << 20;

    /** The limit in bytes, or -1 for none (or none readable). */
    public static long limitBytes() {
        try {
            return limitBytes(StateSources.DEFAULT_PROC_ROOT, Path.of("/"));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The limit under these roots (tests give fixtures), -1 for none. */
    static long limitBytes(Path proc, Path root) throws IOException {
        Path dir = CgroupCpu.folder(proc, root, "memory");
        if (dir == null) {
            return -1;
        }
        for (String file : new String[] {"memory.max", "memory.limit_in_bytes"}) {
            Path f = dir.resolve(file);
            if (Files.isRegularFile(f)) {
                String v = Files.readString(f, StandardCharsets.US_ASCII).strip();
                // v2 says "max"; v1 says a page-rounded Long.MAX_VALUE for none
                long bytes = v.equals("max") ? -1 : Long.parseLong(v);
                return bytes <= 0 || bytes >= (1L << 62) ? -1 : bytes;
            }
        }
        return -1;
    }

    /** The line to warn with before a run when the limit is tight, else null. */
    public static String warning(long limitBytes) {
        if (limitBytes < 0 || limitBytes >= WARN_BELOW_BYTES) {
            return null;
        }
        return String.format(Locale.ROOT, "this process's cgroup allows it %,d MiB of memory; a run takes about 100 MiB with"
                + " its heap, an open loop with its 1,000 threads about 250, and past the limit the kernel kills it without"
                + " a word (exit 137): raise the limit (a container's memory limit) to 256 MiB or more", limitBytes >> 20);
    }
}
