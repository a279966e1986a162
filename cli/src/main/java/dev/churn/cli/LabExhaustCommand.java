package dev.churn.cli;

import dev.churn.bench.lab.ExhaustLab;
import dev.churn.bench.lab.Fix;
import dev.churn.bench.lab.FixResult;
import dev.churn.bench.lab.NetNamespace;
import dev.churn.bench.report.WordWrap;
import dev.churn.monitor.Sysctls;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code churn lab exhaust}: in private namespaces with a narrow ip_local_port_range and
 * tcp_tw_reuse=0, churns to one destination port until connect fails with EADDRNOTAVAIL, then
 * runs the same load under each fix and prints what each did to rate, failures and TIME_WAIT.
 * Needs root; exits 1 when the baseline does not run out, a fix does not help or cycles fail some other way.
 */
@Command(name = "exhaust", mixinStandardHelpOptions = true,
        description = {"Runs out of ephemeral ports on purpose, then shows each fix: tcp_tw_reuse=1, linger 0, "
                + "server closes first, more destination ports, client bind with SO_REUSEADDR.",
            "Every run has its own network namespace (root); the host's sysctls are never touched.",
            "",
            "Examples:",
            "  churn lab exhaust                             100 ports, 160 cycles at 80/s, then each fix",
            "  churn lab exhaust --rate 40 --cycles 120      under tcp_tw_reuse's ceiling: half the range",
            "  churn lab exhaust --format json",
            "",
            "Exit codes: 0 when the baseline ran out, every fix helped and no cycle failed some other way, 1 when the kernel disagreed or the work "
                    + "failed, 2 on bad input or without root, 130 when stopped by Ctrl-C and 143 by SIGTERM (the runs "
                    + "that finished are printed)."})
public final class LabExhaustCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--format", paramLabel = "FMT", converter = LabCommand.FormatName.class,
            description = "table (the default) or json.")
    LabCommand.Format format = LabCommand.Format.TABLE;

    // No PositiveInt: its "1 to 2147483647" contradicted the range check below, which says the real bounds.
    @Option(names = "--ports", paramLabel = "N",
            description = "Ports in the namespace's ip_local_port_range, from 40000 (default 100; 8 to " + MAX_PORTS
                    + ", since --cycles, at most " + MAX + ", must be a tenth more).")
    int ports = ExhaustLab.Load.DEFAULT.ports();

    @Option(names = "--cycles", paramLabel = "N",
            description = "Connect-close cycles per run, a tenth more than --ports (8 more at least) so the baseline "
                    + "runs out, and at most 4 x --ports, which the fix of 4 destination ports does not (default 160; "
                    + "at most " + MAX + ").")
    int cycles = ExhaustLab.Load.DEFAULT.cycles();

    @Option(names = "--rate", paramLabel = "R",
            description = "Cycles per second (default 80: slow enough that tcp_tw_reuse's 1 s rule can act, fast enough "
                    + "that --ports are spent within 50 s, before the first TIME_WAIT expires; at most " + MAX + ").")
    int rate = ExhaustLab.Load.DEFAULT.perSecond();

    /** Runs of a lab, not a load test: ten thousand cycles, or a second's worth at most. */
    static final int MAX = 10_000;
    /** The most ports that many cycles can run out ({@link ExhaustLab#leastCycles}). */
    static final int MAX_PORTS = 9_090;

    // Each option named with its own bounds: one message for both left the user to guess which was out.
    private static void inRange(String option, int value) {
        if (value < 1 || value > MAX) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be 1 to %,d, got %,d", option, MAX, value));
        }
    }

    @Override
    public Integer call() throws Exception {
        ExhaustLab.Load load = RunCommand.usage(() -> {
            inRange("--cycles", cycles);
            inRange("--rate", rate);
            if (ports < 8 || ports > MAX_PORTS) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "--ports must be 8 to %,d (--cycles, at most"
                        + " %,d, must be a tenth more than --ports to run them out), got %,d", MAX_PORTS, MAX, ports));
            }
            return new ExhaustLab.Load(ExhaustLab.Load.DEFAULT.firstPort(), ports, cycles, rate);
        });
        if (!NetNamespace.permitted()) {
            throw LabCommand.needsRoot();
        }
        PrintWriter err = spec.commandLine().getErr();
        ExhaustLab lab = new ExhaustLab(load);
        List<FixResult> results = new CopyOnWriteArrayList<>();
        // Ctrl-C: the runs that finished are still shown, and say they are not all.
        StopHook hook = StopHook.install("lab-exhaust-stop", () -> print(load, List.copyOf(results), true));
        try {
            // How long before it starts, and which of how many each line is: a run of 10,000 cycles at a slow --rate went
            // 20 s and more without a word past its "running:" line (QA, 2026-12-07).
            int runs = Fix.values().length;
            err.println(String.format(Locale.ROOT, "lab exhaust: %d runs of %,d cycles at %,d/s, about %s each (%s in all)",
                    runs, load.cycles(), load.perSecond(), seconds((double) load.cycles() / load.perSecond()),
                    seconds(runs * (double) load.cycles() / load.perSecond())));
            int n = 0;
            for (Fix f : Fix.values()) {
                err.println(String.format(Locale.ROOT, "running %d of %d: %s", ++n, runs, f.label()));
                err.flush();
                results.add(lab.run(f));
            }
            // Printed while the hook is in place: a Ctrl-C now waits until the table is out.
            return print(load, results, false) ? ExitCodes.OK : ExitCodes.FAILURE;
        } finally {
            hook.remove();
        }
    }

    /** "2.5 s", "25 s", "2 min 5 s": a paced run's length, as a person reads it. */
    static String seconds(double s) {
        if (s < 10) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        long whole = Math.round(s);
        return whole < 120 ? whole + " s" : whole / 60 + " min " + whole % 60 + " s";
    }

    /**
     * Which runs did not do what TCP says, or "" when all did: the baseline that did not run out, the fixes that still
     * did, and any run with other failures. A fix whose cycles failed some other way (refused, reset, a bind refused)
     * did not remove the shortage, it hid it: the lab had passed with such runs, their count in the table's "other"
     * column and nothing said of it.
     */
    static String disagreements(List<FixResult> results) {
        List<String> said = new ArrayList<>();
        if (results.getFirst().addrNotAvail() == 0) {
            said.add("the baseline did not run out of ports");
        }
        for (FixResult r : results.subList(1, results.size())) {
            if (r.addrNotAvail() > 0) {
                said.add(String.format(Locale.ROOT, "%s still hit EADDRNOTAVAIL (%,d)", r.fix().label(), r.addrNotAvail()));
            }
        }
        for (FixResult r : results) {
            if (r.otherFailures() > 0) {
                said.add(String.format(Locale.ROOT, "%s failed %s otherwise (first: %s)",
                        r.fix() == Fix.NONE ? "the baseline" : r.fix().label(),
                        TableText.counted(r.otherFailures(), "cycle"), r.firstOtherFailure()));
            }
        }
        return String.join("; ", said);
    }

    /** net.ipv4.tcp_tw_reuse_delay in a new namespace (kernel 6.13 on), and the fixed second before it. */
    static final long REUSE_DELAY_MILLIS = 1000;

    /**
     * The runs that fell behind --rate, and why, or null when none did. Paced by its schedule, a run that falls behind
     * takes longer and spends its ports more slowly. A run whose connects search the port range (the baseline's spent
     * range before each EADDRNOTAVAIL, tcp_tw_reuse's for a TIME_WAIT old enough to take over) spends that time in the
     * kernel: the baseline kept 1,336 of 7,000 a second on a machine where the other runs kept 6,766-7,000, and the
     * note put it down to "a busy machine" (review, 2026-12-07).
     */
    static String paceNote(ExhaustLab.Load load, List<FixResult> results) {
        List<String> searched = new ArrayList<>();
        List<String> busy = new ArrayList<>();
        for (FixResult r : results) {
            if (r.perSecond() < load.perSecond() * 0.8) {
                String kept = String.format(Locale.ROOT, "%s %,.0f", r.fix().label(), r.perSecond());
                (r.addrNotAvail() > 0 || r.fix() == Fix.TW_REUSE ? searched : busy).add(kept);
            }
        }
        if (searched.isEmpty() && busy.isEmpty()) {
            return null;
        }
        StringBuilder note = new StringBuilder(String.format(Locale.ROOT,
                "note: cycles a second kept below the %,d --rate asked (such a run took that much longer)", load.perSecond()));
        if (!searched.isEmpty()) {
            note.append(": ").append(String.join(", ", searched))
                    .append(searched.size() == 1 ? ", whose connects" : ", whose connects each")
                    .append(" searched the port range in the kernel for one to take, the cost of a range nearly spent");
        }
        if (!busy.isEmpty()) {
            note.append(searched.isEmpty() ? ": " : "; ").append(String.join(", ", busy)).append(", a busy machine");
        }
        return note.toString();
    }

    /**
     * What tcp_tw_reuse=1 can do at this pace: connect() searches every other port first, and takes
     * a TIME_WAIT over only once it is a second old, so it keeps to that half up to about half the
     * range a second, and spills into the other half past it. Measured 2026-12-05 with 100 ports:
     * TIME_WAIT peak 50 at 40/s, 96 at 80/s.
     */
    static String reuseNote(ExhaustLab.Load load, FixResult r) {
        long ceiling = Sysctls.reuseCeilingPerSecond(load.ports(), REUSE_DELAY_MILLIS);
        // What happened, from the run's own figures: the pace it kept (a busy machine keeps less than --rate asks)
        // and whether its TIME_WAIT went past the half the search leaves alone.
        String pace = r.timeWaitPeak() > load.ports() / 2
                ? String.format(Locale.ROOT, "At %,.0f/s connect() took ports of the other half too", r.perSecond())
                : String.format(Locale.ROOT, "At %,.0f/s it kept to that half", r.perSecond());
        return String.format(Locale.ROOT, "tcp_tw_reuse=1 takes a TIME_WAIT over once it is 1 s old"
                + " (tcp_tw_reuse_delay), and connect() searches every other port of the range first: %,d ports, so about"
                + " %,d connections a second to one destination. %s: TIME_WAIT peak %,d of %,d.",
                load.ports() / 2, ceiling, pace, r.timeWaitPeak(), load.ports());
    }

    private final PrintOnce once = new PrintOnce();

    /** Prints the runs (all, or those before a stop) once; true when they show what TCP says. */
    private boolean print(ExhaustLab.Load load, List<FixResult> results, boolean stopped) {
        // false when the other caller, the run's end or Ctrl-C's hook, printed them
        return once.print(() -> printNow(load, results, stopped));
    }

    private boolean printNow(ExhaustLab.Load load, List<FixResult> results, boolean stopped) {
        PrintWriter out = spec.commandLine().getOut();
        if (results.isEmpty()) {
            out.println("stopped before the first run finished: nothing measured");
            out.flush();
            return false;
        }
        boolean ok = !stopped && disagreements(results).isEmpty();
        String stop = stopped ? String.format(Locale.ROOT, "stopped after %d of %d runs", results.size(), Fix.values().length) : null;
        if (format == LabCommand.Format.JSON) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("schema", "churn.lab.exhaust/1");
            doc.put("ok", ok);
            doc.put("load", load);
            doc.put("runs", results);
            doc.put("twReuseCeilingPerSecond", Sysctls.reuseCeilingPerSecond(load.ports(), REUSE_DELAY_MILLIS));
            if (stop != null) {
                doc.put("stopped", stop);
            }
            LabCommand.printJson(out, doc);
        } else {
            out.println(String.format(Locale.ROOT, "ip_local_port_range %d-%d, tcp_tw_reuse=0, %s at %,d/s per run",
                    load.firstPort(), load.firstPort() + load.ports() - 1, TableText.counted(load.cycles(), "cycle"),
                    load.perSecond()));
            out.println("fix                          cycles ok  EADDRNOTAVAIL  other   rate/s  TIME_WAIT peak");
            for (FixResult r : results) {
                out.println(String.format(Locale.ROOT, "%-28s %,9d  %,13d  %,5d  %,7.1f  %,14d", r.fix().label(), r.ok(),
                        r.addrNotAvail(), r.otherFailures(), r.perSecond(), r.timeWaitPeak()));
            }
            String pace = paceNote(load, results);
            if (pace != null) {
                WordWrap.lines(pace, 95).forEach(out::println);
            }
            for (FixResult r : results) {
                if (r.fix() == Fix.TW_REUSE) {
                    WordWrap.lines(reuseNote(load, r), 95).forEach(out::println);
                }
            }
            out.println(stop != null ? stop + " (Ctrl-C or SIGTERM); the run in progress is not shown"
                    : ok ? "the baseline ran out of ports; every fix removed EADDRNOTAVAIL"
                    : "unexpected: " + disagreements(results));
        }
        out.flush();
        return ok;
    }
}
