package dev.churn.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How busy the machine is at one instant, as the kernel counts it: the load averages of
 * {@code /proc/loadavg}, the machine's CPU time from the {@code cpu} line of {@code /proc/stat}
 * (all CPUs, in clock ticks: total, idle and steal), and this process's own CPU time from
 * {@code /proc/self/stat}. Take one before and one after a run and hand both to
 * {@link CpuShare#between} to learn what share of the machine other processes took meanwhile.
 * The proc root is a parameter so tests read fixtures.
 */
public record LoadReading(
        double load1,
        double load5,
        double load15,
        long totalTicks,
        long idleTicks,
        long stealTicks,
        long selfTicks) {

    /** Reads {@code loadavg}, {@code stat} and {@code self/stat} under this proc root. */
    public static LoadReading read(Path procRoot) throws IOException {
        String[] load = Words.of(firstLine(procRoot.resolve("loadavg")));
        if (load.length < 3) {
            throw new IOException(procRoot.resolve("loadavg") + ": expected three load averages, got '" + String.join(" ", load) + "'");
        }
        long[] cpu = cpuLine(procRoot.resolve("stat"));
        long self = selfTicks(procRoot.resolve("self").resolve("stat"));
        try {
            // user nice system idle iowait irq softirq steal; guest and guest_nice are already in user and nice
            long total = 0;
            for (int i = 0; i < Math.min(cpu.length, 8); i++) {
                total += cpu[i];
            }
            long idle = cpu[3] + (cpu.length > 4 ? cpu[4] : 0);
            long steal = cpu.length > 7 ? cpu[7] : 0;
            return new LoadReading(Double.parseDouble(load[0]), Double.parseDouble(load[1]), Double.parseDouble(load[2]),
                    total, idle, steal, self);
        } catch (NumberFormatException e) {
            throw new IOException(procRoot.resolve("loadavg") + ": not load averages: " + e.getMessage(), e);
        }
    }

    /** The reading now of the real /proc, or null where there is none (not Linux, a restricted container). */
    public static LoadReading now() {
        try {
            return read(StateSources.DEFAULT_PROC_ROOT);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** "1.20 0.80 0.50", as uptime prints them. */
    public String loadAverages() {
        return String.format(Locale.ROOT, "%.2f %.2f %.2f", load1, load5, load15);
    }

    private static String firstLine(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"
    private static long[] cpuLine(Path stat) throws IOException {
        String line = firstLine(stat);
        String[] f = Words.of(line);
        if (f.length < 5 || !f[0].equals("cpu")) {
            throw new IOException(stat + ": the first line is not the 'cpu' totals: '" + line + "'");
        }
        long[] v = new long[f.length - 1];
        try {
            for (int i = 1; i < f.length; i++) {
                v[i - 1] = Long.parseLong(f[i]);
            }
        } catch (NumberFormatException e) {
            throw new IOException(stat + ": not a number in the 'cpu' line: " + e.getMessage(), e);
        }
        return v;
    }

    /** Linux's USER_HZ, 100 on every architecture churn runs on: a tick of {@link #selfTicksNow} is 10 ms. */
    public static final double MILLIS_PER_TICK = 10.0;

    /** This process's CPU time so far (user + system, all threads) in clock ticks, or -1 where /proc has none. */
    public static long selfTicksNow() {
        try {
            return selfTicks(StateSources.DEFAULT_PROC_ROOT.resolve("self").resolve("stat"));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    // utime and stime are fields 14 and 15; the command name (field 2) is in parentheses and may hold spaces.
    private static long selfTicks(Path selfStat) throws IOException {
        String line = firstLine(selfStat);
        int close = line.lastIndexOf(')');
        String[] f = Words.of(line.substring(close + 1));
        if (close < 0 || f.length < 13) {
            throw new IOException(selfStat + ": not a process stat line");
        }
        try {
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 3.. start at index 0
        } catch (NumberFormatException e) {
            throw new IOException(selfStat + ": utime/stime are not numbers: " + e.getMessage(), e);
        }
    }
}
