package dev.churn.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many more tasks (threads, each one) this process's cgroup lets it start: {@code pids.max} less {@code
 * pids.current}, the tightest of its own cgroup and every one above it (a pod's limit sits above a container's). A
 * container's pids limit refused a run's threads mid-start while the run's capacity check read only {@code ulimit -u}
 * and {@code kernel.threads-max} (QA, 2026-12-06).
 */
public final class CgroupPids {

    private CgroupPids() {}

    /** Tasks left to start, or {@code Long.MAX_VALUE} for no limit (or none readable). */
    public static long tasksLeft() {
        try {
            return tasksLeft(StateSources.DEFAULT_PROC_ROOT, Path.of("/"));
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    /** As above, under these roots (tests give fixtures). */
    static long tasksLeft(Path proc, Path root) throws IOException {
        Path own = CgroupCpu.folder(proc, root, "pids");
        long left = Long.MAX_VALUE;
        for (Path d = own; d != null && Files.isRegularFile(d.resolve("pids.current")); d = d.getParent()) {
            Path max = d.resolve("pids.max");
            if (!Files.isRegularFile(max)) {
                continue; // v2's root has pids.current but no limit
            }
            String v = Files.readString(max, StandardCharsets.US_ASCII).strip();
            if (!v.equals("max")) {
                long current = Long.parseLong(Files.readString(d.resolve("pids.current"), StandardCharsets.US_ASCII).strip());
                left = Math.min(left, Math.max(0, Long.parseLong(v) - current));
            }
        }
        return left;
    }
}
