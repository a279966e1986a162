package dev.churn.bench.result;

import dev.churn.monitor.CgroupCpu;
import dev.churn.monitor.CpuShare;
import dev.churn.monitor.LoadReading;
import dev.churn.monitor.StateSources;
import dev.churn.monitor.Sysctls;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a run ran: kernel, OS, JDK, CPUs, host and the sysctls that shape churn (keys as in
 * {@link Sysctls#NAMES}, absent when the kernel lacks them), and how busy the machine was
 * ({@link Load}, null until {@link #withLoad} adds it), and which build of churn measured
 * ({@link ChurnBuild}). Take one with {@link #capture()} and
 * save it beside the results, so two runs can be compared knowing what differed.
 */
public record Environment(
        String kernelRelease,
        String os,
        String jdkVendor,
        String jdkVersion,
        int cpus,
        String hostname,
        Map<String, String> sysctls,
        Load load,
        ChurnBuild build) {

    public Environment {
        // Kept in the order given (Sysctls.NAMES) so the JSON lists them as the kernel docs do.
        sysctls = Collections.unmodifiableMap(new LinkedHashMap<>(sysctls));
    }

    /** An environment without a load reading, measured by this build of churn. */
    public Environment(String kernelRelease, String os, String jdkVendor, String jdkVersion, int cpus, String hostname,
                       Map<String, String> sysctls) {
        this(kernelRelease, os, jdkVendor, jdkVersion, cpus, hostname, sysctls, null, ChurnBuild.current());
    }

    /**
     * The machine's load before and after the run ({@link LoadReading}s, either null where /proc
     * has none) and the CPU shares between them ({@link CpuShare}, null without both readings).
     */
    public record Load(LoadReading before, LoadReading after, CpuShare share, CgroupCpu.Throttle throttle) {

        /** The line to warn with when other processes (or the hypervisor) took a large share, else null. */
        public String warning() {
            return share == null ? null : share.warning(after);
        }
    }

    /** This environment with the load read before and after the run. */
    public Environment withLoad(LoadReading before, LoadReading after) {
        return withLoad(before, after, null, null);
    }

    /**
     * This environment with the load read before and after the run, and the process's cgroup CPU quota's throttling in
     * between ({@link CgroupCpu}, null where there is none).
     */
    public Environment withLoad(LoadReading before, LoadReading after, CgroupCpu cgroupBefore, CgroupCpu cgroupAfter) {
        return new Environment(kernelRelease, os, jdkVendor, jdkVersion, cpus, hostname, sysctls,
                new Load(before, after, CpuShare.between(before, after), CgroupCpu.between(cgroupBefore, cgroupAfter)), build);
    }

    /** This machine, now. */
    public static Environment capture() {
        Path proc = StateSources.DEFAULT_PROC_ROOT;
        String kernel = orElse(Sysctls.readOne(proc, "kernel.osrelease"), System.getProperty("os.version"));
        return new Environment(
                kernel,
                osName(),
                System.getProperty("java.vendor", "unknown"),
                System.getProperty("java.runtime.version", System.getProperty("java.version", "unknown")),
                Runtime.getRuntime().availableProcessors(),
                hostname(proc),
                Sysctls.read(proc));
    }

    private static String osName() {
        String os = System.getProperty("os.name", "unknown") + " " + System.getProperty("os.arch", "");
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return os.strip() + " (" + line.substring("PRETTY_NAME=".length()).replace("\"", "") + ")";
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or a minimal image: the JDK's name for the OS is enough
        }
        return os.strip();
    }

    private static String hostname(Path proc) {
        // The kernel's name first: InetAddress may wait on DNS, which a benchmark should not.
        String h = Sysctls.readOne(proc, "kernel.hostname");
        if (h != null) {
            return h;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return orElse(System.getenv("HOSTNAME"), "unknown");
        }
    }

    private static String orElse(String v, String fallback) {
        return v == null || v.isBlank() ? fallback : v;
    }
}
