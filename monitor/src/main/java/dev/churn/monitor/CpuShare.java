package dev.churn.monitor;

import java.util.Locale;

/**
 * What share of the machine's CPU time went where between two {@link LoadReading}s: to this
 * process ({@code own}), to every other process ({@code others}), and to the hypervisor
 * ({@code steal}, time a virtual CPU wanted to run and could not). Shares are fractions of all the
 * CPUs' time over the span, so 0.5 on a 2-CPU machine is one CPU's worth. A run whose
 * {@code others} exceeds {@link #BUSY_OTHERS} (or whose steal exceeds {@link #BUSY_STEAL})
 * measured a machine it shared, and its figures say as much about the neighbours as about churn.
 */
public record CpuShare(double own, double others, double steal, double machineSeconds) {

    /** Other processes above a quarter of the machine's CPU time: a busy machine. */
    public static final double BUSY_OTHERS = 0.25;

    /** Steal above a tenth of the machine's CPU time: a crowded host under the VM. */
    public static final double BUSY_STEAL = 0.10;

    /** Linux's USER_HZ, the unit of /proc/stat and /proc/self/stat everywhere. */
    static final double TICKS_PER_SECOND = 100.0;

    /** The shares between two readings of the same machine, or null when no time passed. */
    public static CpuShare between(LoadReading before, LoadReading after) {
        if (before == null || after == null) {
            return null;
        }
        long total = after.totalTicks() - before.totalTicks();
        if (total <= 0) {
            return null;
        }
        long steal = Math.max(0, after.stealTicks() - before.stealTicks());
        long busy = Math.max(0, total - (after.idleTicks() - before.idleTicks()) - steal);
        long own = Math.clamp(after.selfTicks() - before.selfTicks(), 0, busy);
        return new CpuShare((double) own / total, (double) (busy - own) / total, (double) steal / total,
                total / TICKS_PER_SECOND);
    }

    /** True when other processes or the hypervisor took enough to doubt the figures. */
    public boolean busy() {
        return others > BUSY_OTHERS || steal > BUSY_STEAL;
    }

    /** One line for a user when {@link #busy()}, else null. */
    public String warning(LoadReading after) {
        if (!busy()) {
            return null;
        }
        String what = others > BUSY_OTHERS
                ? String.format(Locale.ROOT, "other processes took %.0f%% of the machine's CPU time during the run", others * 100)
                : String.format(Locale.ROOT, "the hypervisor stole %.0f%% of the machine's CPU time during the run", steal * 100);
        String load = after == null ? "" : " (load average " + after.loadAverages() + ")";
        return what + load + ": a busy machine, so these figures are not churn's alone";
    }
}
