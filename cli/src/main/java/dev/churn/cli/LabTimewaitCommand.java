package dev.churn.cli;

import dev.churn.bench.lab.NetNamespace;
import dev.churn.bench.lab.TimeWaitLab;
import dev.churn.bench.lab.TimerReading;
import dev.churn.monitor.TcpState;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code churn lab timewait}: reads the kernel's own timers right after a close, in a private
 * namespace per tcp_fin_timeout, to show TIME_WAIT lasts 60 s whatever fin_timeout says while an
 * orphaned FIN_WAIT2 follows fin_timeout. Needs root; exits 1 when the kernel disagrees.
 */
@Command(name = "timewait", mixinStandardHelpOptions = true,
        description = {"Reads the time left on a TIME_WAIT's and an orphaned FIN_WAIT2's kernel timers right after a close, "
                + "with tcp_fin_timeout 60 and 5 set inside private network namespaces (root; the host's sysctls "
                + "are never touched).",
            "",
            "Examples:",
            "  churn lab timewait                            TIME_WAIT, FIN_WAIT2 at fin_timeout 60 and 5",
            "  churn lab timewait --format json",
            "",
            "Exit codes: 0 when the timers matched the kernel's constants, 1 when they did not or the work failed, 2 on "
                    + "bad input or without root, 130 when stopped by Ctrl-C and 143 by SIGTERM."})
public final class LabTimewaitCommand implements Callable<Integer> {

    /** The kernel's TCP_TIMEWAIT_LEN. */
    static final double TIME_WAIT_SECONDS = 60;

    @Spec
    CommandSpec spec;

    @Option(names = "--format", paramLabel = "FMT", converter = LabCommand.FormatName.class,
            description = "table (the default) or json.")
    LabCommand.Format format = LabCommand.Format.TABLE;

    @Override
    public Integer call() throws Exception {
        if (!NetNamespace.permitted()) {
            throw LabCommand.needsRoot();
        }
        List<TimerReading> finished = new CopyOnWriteArrayList<>();
        AtomicInteger namespaces = new AtomicInteger();
        // Ctrl-C: the namespaces that finished are still shown, and say they are not all.
        StopHook hook = StopHook.install("lab-timewait-stop", () -> print(List.copyOf(finished), namespaces.get()));
        try {
            List<TimerReading> readings = TimeWaitLab.measure(FIN_TIMEOUTS, these -> {
                finished.addAll(these);
                namespaces.incrementAndGet();
            });
            // Printed while the hook is in place: a Ctrl-C now waits until the table is out (printed after the hook's
            // removal, it was cut short by the JVM's end).
            return print(readings, -1) ? ExitCodes.OK : ExitCodes.FAILURE;
        } finally {
            hook.remove();
        }
    }

    /** The tcp_fin_timeout of each namespace, in order. */
    static final List<Integer> FIN_TIMEOUTS = List.of(60, 5);

    private final PrintOnce once = new PrintOnce();

    /**
     * Prints the readings once; {@code stoppedAfter} is the number of namespaces finished when Ctrl-C
     * stopped the lab, or -1 when it ran whole. True when the kernel's timers are what TCP says.
     */
    private boolean print(List<TimerReading> readings, int stoppedAfter) {
        // false when the other caller, the run's end or Ctrl-C's hook, printed them
        return once.print(() -> printNow(readings, stoppedAfter));
    }

    private boolean printNow(List<TimerReading> readings, int stoppedAfter) {
        PrintWriter out = spec.commandLine().getOut();
        boolean stopped = stoppedAfter >= 0;
        boolean ok = !stopped && readings.stream().allMatch(LabTimewaitCommand::asTcpSays);
        String stop = !stopped ? null : stoppedAfter == 0 ? "stopped before the first namespace finished: nothing measured"
                : String.format(Locale.ROOT, "stopped after %d of %d namespaces (Ctrl-C or SIGTERM); the one in progress is not shown",
                        stoppedAfter, FIN_TIMEOUTS.size());
        if (format == LabCommand.Format.JSON) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("schema", "churn.lab.timewait/1");
            doc.put("ok", ok);
            doc.put("readings", readings.stream().map(r -> Map.of("tcp_fin_timeout", r.finTimeoutSeconds(),
                    "state", r.state().name(), "seconds_left", r.secondsLeft(), "matches", asTcpSays(r))).toList());
            if (stop != null) {
                doc.put("stopped", stop);
            }
            LabCommand.printJson(out, doc);
        } else {
            if (!readings.isEmpty()) {
                out.println("tcp_fin_timeout  state       timer left  TCP says");
            }
            for (TimerReading r : readings) {
                out.println(String.format(Locale.ROOT, "%13d s  %-10s  %8.2f s  %s%s", r.finTimeoutSeconds(), r.state(),
                        r.secondsLeft(), r.state() == TcpState.TIME_WAIT ? "60 s (TCP_TIMEWAIT_LEN)" : "tcp_fin_timeout",
                        asTcpSays(r) ? "" : "   << disagrees"));
            }
            out.println(stop != null ? stop
                    // The timer, not the lifetime: the timer wheel fires a 60 s timer up to 512 ticks late (2.048 s at
                    // HZ 250), and three TIME_WAITs whose timers read 60 s were gone after 60.6, 60.7 and 61.8 s.
                    : ok ? "TIME_WAIT's timer is 60 s whatever tcp_fin_timeout says; tcp_fin_timeout (to 60 s) sets"
                            + " FIN_WAIT2's (the kernel's timer wheel fires them up to a few seconds late)"
                    : "the kernel's timers disagree with TCP (marked <<)");
        }
        out.flush();
        return ok;
    }

    // The timer is read a few milliseconds after it was armed, so it shows a little less than its length.
    static boolean asTcpSays(TimerReading r) {
        double want = r.state() == TcpState.TIME_WAIT ? TIME_WAIT_SECONDS : r.finTimeoutSeconds();
        return r.secondsLeft() <= want + 0.5 && r.secondsLeft() >= want - 2;
    }
}
