package dev.churn.cli;

import dev.churn.bench.lab.SequenceDiagram;
import dev.churn.bench.lab.SequenceDiagramHtml;
import dev.churn.bench.lab.StateWalk;
import dev.churn.bench.lab.Step;
import dev.churn.bench.result.AtomicFile;
import dev.churn.bench.result.OutputPath;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
 * {@code churn lab states}: walks real loopback sockets through every TCP state and prints each
 * step as a sequence diagram (or JSON) with the states the kernel reported; exits 1 when the kernel
 * disagrees with TCP.
 */
@Command(
        name = "states",
        mixinStandardHelpOptions = true,
        description = {
            "Walks real loopback sockets through the handshake, the four-way close (client first, server "
                    + "first), a half-close, a simultaneous close, an abortive close and a server that never "
                    + "closes; after each step shows each end's state as the kernel reports it.",
            "Short-lived states are held still by the kernel itself: a full accept queue (SYN_SENT), "
                    + "TCP_DEFER_ACCEPT (SYN_RECV), a zero receive window (FIN_WAIT1, LAST_ACK, CLOSING).",
            "",
            "Examples:",
            "  churn lab states                              the walk, drawn as text",
            "  churn lab states --html states.html           the same as a page of sequence diagrams",
            "  churn lab states --format json                every step, each end's state as the kernel said",
            "",
            "Exit codes: 0 when every observation matched TCP, 1 when the kernel disagreed or the work failed, 2 on "
                    + "bad input, 130 when stopped by Ctrl-C and 143 by SIGTERM (the scenarios that finished are printed).",
        })
public final class LabStatesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--format", paramLabel = "FMT", converter = LabCommand.FormatName.class,
            description = "table (a sequence diagram, the default) or json.")
    LabCommand.Format format = LabCommand.Format.TABLE;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Also write the steps as a sequence diagram in a self-contained HTML page to FILE.")
    Path html;

    @Option(names = "--force", description = "Replace the --html FILE if it exists (without it an existing file is refused).")
    boolean force;

    private static final String CTRL_C = "(Ctrl-C or SIGTERM)";

    private final PrintOnce once = new PrintOnce();

    @Override
    public Integer call() throws Exception {
        if (force && html == null) {
            throw new UsageException("--force replaces the --html FILE; without --html there is no file to replace");
        }
        if (html != null) {
            // Before any work: an empty name, a folder, a missing or read-only folder, an existing file.
            RunCommand.usage(() -> OutputPath.checkFile(html, force, "--html", "states.html"));
        }
        PrintWriter err = spec.commandLine().getErr();
        List<Step> finished = new CopyOnWriteArrayList<>();
        AtomicInteger scenarios = new AtomicInteger();
        StateWalk.Progress progress = new StateWalk.Progress() {
            @Override
            public void waiting(String why) {
                err.println("note: " + why); // why it waits, or why it walks at once without room
                err.flush();
            }

            @Override
            public void starting(String scenario) {
                err.println("walking: " + scenario);
                err.flush();
            }

            @Override
            public void finished(String scenario, List<Step> steps) {
                finished.addAll(steps);
                scenarios.incrementAndGet();
            }
        };
        // Ctrl-C: the scenarios that finished are still shown, and say they are not all.
        StopHook hook = StopHook.install("lab-states-stop",
                () -> print(new Stop(List.copyOf(finished), scenarios.get(), CTRL_C)));
        boolean ok;
        StateWalk.Walk walk;
        try {
            try {
                walk = new StateWalk().run(progress);
            } catch (IOException e) {
                // A fault (loopback down, a timeout): what finished is shown, then the fault in one line.
                print(new Stop(List.copyOf(finished), scenarios.get(), "(the walk failed; see below)"));
                throw e;
            }
            ok = print(walk);
        } finally {
            hook.remove();
        }
        if (html == null) {
            return ok ? ExitCodes.OK : ExitCodes.FAILURE;
        }
        // Written whole under a temporary name and renamed (a link planted at FILE meanwhile is replaced,
        // never followed); after the walk is printed, so a full disk loses the page, not the walk.
        try {
            AtomicFile.write(html, SequenceDiagramHtml.render(walk.steps()).getBytes(StandardCharsets.UTF_8), force);
        } catch (IOException e) {
            err.println(spec.qualifiedName() + ": --html: " + e.getMessage() + "; the walk is on standard output");
            err.flush();
            return ExitCodes.FAILURE;
        }
        // Standard error, so --format json stays one JSON document.
        err.println("wrote " + html);
        err.flush();
        return ok ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /** A walk that ended before its last scenario: the steps of those that finished, and why it ended. */
    private record Stop(List<Step> steps, int scenarios, String why) {}

    /** Prints the whole walk once; true when the kernel agreed with TCP at every step. */
    private boolean print(StateWalk.Walk walk) {
        // false when the other caller, the walk's end or Ctrl-C's hook, printed it
        return once.print(() -> printNow(walk));
    }

    private boolean printNow(StateWalk.Walk walk) {
        List<Step> steps = walk.steps();
        boolean ok = walk.ok();
        PrintWriter out = spec.commandLine().getOut();
        if (format == LabCommand.Format.JSON) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("schema", "churn.lab.states/1");
            doc.put("ok", ok);
            doc.put("time_waits_destroyed", walk.timeWaitsDestroyed());
            doc.put("steps", steps.stream().map(LabStatesCommand::json).toList());
            LabCommand.printJson(out, doc);
        } else {
            out.print(SequenceDiagram.render(steps));
            long bad = steps.stream().filter(s -> !s.matches()).count();
            out.println();
            out.println(ok ? "every state the kernel reported is the one TCP prescribes (" + steps.size() + " steps)"
                    : bad + " of " + steps.size() + " steps: the kernel disagreed with TCP (marked <<)");
            if (walk.timeWaitsDestroyed() > 0) {
                out.println("the kernel's TIME_WAIT table was full (net.ipv4.tcp_max_tw_buckets): it destroyed "
                        + walk.timeWaitsDestroyed() + " timewait sockets during the walk, so an end that TCP puts in "
                        + "FIN_WAIT2 or TIME_WAIT may show as gone; `ss -s` shows the table ('timewait')");
            }
        }
        out.flush();
        return ok;
    }

    /** Prints the scenarios that finished before a stop, once, with a line saying they are not all. */
    private void print(Stop stop) {
        boolean ctrlC = stop.why().equals(CTRL_C);
        if (stop.scenarios() == 0 && !ctrlC) {
            return; // a fault with nothing measured is its own one line, on standard error
        }
        once.print(() -> {
            printNow(stop);
            return true;
        });
    }

    private void printNow(Stop stop) {
        PrintWriter out = spec.commandLine().getOut();
        String line = stop.scenarios() == 0 ? "stopped before the first scenario finished: nothing measured"
                : String.format(Locale.ROOT, "stopped after %d of %d scenarios %s; the scenario in progress is not shown",
                        stop.scenarios(), StateWalk.SCENARIOS.size(), stop.why());
        if (html != null) {
            line += "; " + partialPage(stop, line);
        }
        if (format == LabCommand.Format.JSON) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("schema", "churn.lab.states/1");
            doc.put("ok", false);
            doc.put("stopped", line);
            doc.put("steps", stop.steps().stream().map(LabStatesCommand::json).toList());
            LabCommand.printJson(out, doc);
        } else {
            if (stop.scenarios() > 0) {
                out.print(SequenceDiagram.render(stop.steps()));
                out.println();
            }
            out.println(line);
        }
        out.flush();
    }

    /**
     * The --html page of the scenarios that finished, so a stop loses no finished one there either: how the stop line
     * ends. Written as the whole page is (a temporary file renamed), in the shutdown hook on Ctrl-C.
     */
    private String partialPage(Stop stop, String line) {
        if (stop.scenarios() == 0) {
            return html + " was not written";
        }
        try {
            AtomicFile.write(html, SequenceDiagramHtml.render(stop.steps(), line).getBytes(StandardCharsets.UTF_8), force);
            return "wrote " + html + " with them";
        } catch (IOException e) {
            return html + " was not written (" + e.getMessage() + ")";
        }
    }

    private static Map<String, Object> json(Step s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", s.scenario());
        m.put("action", s.action());
        m.put("segments", s.arrows().stream()
                .map(a -> Map.of("from", a.direction() == dev.churn.bench.lab.Arrow.Direction.TO_SERVER ? "client" : "server",
                        "segment", a.label()))
                .toList());
        m.put("expected", states(s.expectedClient(), s.expectedServer()));
        m.put("observed", states(s.client(), s.server()));
        m.put("matches", s.matches());
        return m;
    }

    private static Map<String, String> states(Object client, Object server) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("client", client == null ? "CLOSED" : client.toString());
        m.put("server", server == null ? "CLOSED" : server.toString());
        return m;
    }
}
