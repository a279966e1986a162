package dev.churn.cli;

import dev.churn.bench.lab.SequenceDiagram;
import dev.churn.bench.lab.SequenceDiagramHtml;
import dev.churn.bench.lab.StateWalk;
import dev.churn.bench.lab.Step;
import dev.churn.bench.result.AtomicFile;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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

    @Override
    public Integer call() throws Exception {
        Path parent = html == null ? null : html.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UsageException("--html: " + parent + " is not a directory");
        }
        PrintWriter err = spec.commandLine().getErr();
        StateWalk.Walk walk = new StateWalk().run(line -> {
            err.println("waiting: " + line);
            err.flush();
        });
        List<Step> steps = walk.steps();
        if (html != null) {
            // Named by the user, so replaced like a shell's '>' would; but written whole under a temporary
            // name and renamed, so a link planted at FILE is replaced, never followed.
            AtomicFile.write(html, SequenceDiagramHtml.render(steps).getBytes(StandardCharsets.UTF_8), true);
            // Standard error, so --format json stays one JSON document.
            spec.commandLine().getErr().println("wrote " + html);
            spec.commandLine().getErr().flush();
        }
        boolean ok = walk.ok();
        PrintWriter out = spec.commandLine().getOut();
        if (format == LabCommand.Format.JSON) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("schema", "churn.lab.states/1");
            doc.put("ok", ok);
            doc.put("time_waits_destroyed", walk.timeWaitsDestroyed());
            doc.put("steps", steps.stream().map(LabStatesCommand::json).toList());
            out.println(LabCommand.JSON.writeValueAsString(doc));
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
        return ok ? ExitCodes.OK : ExitCodes.FAILURE;
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
