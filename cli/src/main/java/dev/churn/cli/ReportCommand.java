package dev.churn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.control.SessionReport;
import dev.churn.bench.compare.ComparisonJson;
import dev.churn.bench.report.HtmlReport;
import dev.churn.bench.result.SummaryJson;
import dev.churn.bench.result.OutputPath;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code churn report DIR...}: writes one self-contained report.html (charts, offline) for runs and comparisons. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Writes a self-contained HTML report (opens offline) of run, merged, comparison or session folders: latency "
                    + "percentile curves per phase, connection rate and TIME_WAIT/CLOSE_WAIT over time, kernel counter "
                    + "deltas, the environment, and side-by-side bars for a comparison.",
            "",
            "With --table it prints instead the table each folder's command printed when it ran (run, merge, "
                    + "compare, or serve for a joined session), from its summary.json, comparison.json or session.json: "
                    + "a result reopened in the terminal.",
            "",
            "Examples:",
            "  churn report results/20261121-173359-blocking-client-c1",
            "  churn report results/*-compare --out compare.html",
            "  churn report --table results/20261121-173359-blocking-client-c1"
        })
public final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", arity = "1..*", description = "Results folders: runs, merged runs, comparisons or "
            + "joined sessions (drawn from their merged run).")
    List<Path> dirs;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the page (default <first DIR>/report.html, "
            + "replaced if there; for a joined session's folder, its merged/report.html).")
    Path out;

    @Option(names = "--force", description = "Replace the --out FILE if it exists (without it an existing file is refused).")
    boolean force;

    @Option(names = "--table", description = "Print each folder's table (as run, merge, compare or serve printed it) "
            + "instead of writing report.html.")
    boolean table;

    @Override
    public Integer call() throws Exception {
        List<Path> folders = new ArrayList<>();
        for (Path d : dirs) {
            if (table && isSession(d)) {
                folders.add(d); // a joined session's folder: session.json, printed as serve printed it
                continue;
            }
            // A joined session's charts are its merge's, or, where one client's results arrived and there was nothing
            // to merge (every session of --clients 1), that client's own folder: it is the whole run.
            Path f = isSession(d) ? sessionRun(d) : d;
            RunCommand.usage(() -> {
                if (isSession(d) && !Files.isRegularFile(f.resolve(SummaryJson.FILE))) {
                    throw new IllegalArgumentException(d + " is a joined session's folder with no merged run to draw "
                            + "(no client's results arrived); its table: churn report --table " + d);
                }
                HtmlReport.check(f);
                return f;
            });
            folders.add(f);
        }
        RunCommand.usage(() -> {
            onceEach(dirs);
            return dirs;
        });
        if (table) {
            if (out != null || force) {
                throw new UsageException("--table prints to the terminal: --out and --force are for report.html");
            }
            printTables(folders);
            return ExitCodes.OK;
        }
        if (out != null) {
            RunCommand.usage(() -> OutputPath.checkFile(out, force));
            List<Path> read = new ArrayList<>(dirs);
            read.addAll(folders);
            RunCommand.usage(() -> {
                OutputPath.checkNotAnInputFile(out, read, HtmlReport.FILE);
                return out;
            });
        }
        // The default place is the folder's own report.html: writing it again replaces it. A folder
        // that cannot be written (results copied read-only, another user's) is refused before any
        // work, as an unwritable --out is: exit 2 with where to write instead.
        Path file = out != null ? out : folders.getFirst().resolve(HtmlReport.FILE);
        if (out == null) {
            RunCommand.usage(() -> {
                OutputPath.checkDefaultPlace(folders.getFirst(), HtmlReport.FILE, "--out FILE");
                return file;
            });
        }
        // A damaged input (summary.json, latency.hlog, states.csv) is bad input, as in merge: exit 2.
        // Each run's section also shows its table as the terminal showed it, and that table's notes and warnings.
        HtmlReport.Written written = RunCommand.usage(() -> HtmlReport.write(folders, file, out == null || force, run -> {
            String t = runTable(SummaryJson.read(run), run);
            return new HtmlReport.Console.Text(t, SummaryTable.findings(t));
        }));
        for (String note : written.notes()) {
            spec.commandLine().getErr().println("churn report: note: " + note);
        }
        spec.commandLine().getErr().flush();
        // "(1 charts)" read as a slip (QA, 2026-12-06).
        spec.commandLine().getOut().println("report: wrote " + file + " (" + written.charts()
                + (written.charts() == 1 ? " chart)" : " charts)"));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    /** A folder given twice (the same after resolving links) would be drawn twice, as two runs: refused, as merge does. */
    private static void onceEach(List<Path> dirs) throws IOException {
        Map<Path, Path> seen = new HashMap<>();
        for (Path d : dirs) {
            Path earlier = seen.putIfAbsent(d.toRealPath(), d);
            if (earlier != null) {
                throw new IllegalArgumentException(d + " is given twice (also as " + earlier + "): give each folder once");
            }
        }
    }

    /** The run a session's folder draws: merged/, or the one client folder that holds results, or merged/ (absent). */
    private static Path sessionRun(Path d) {
        Path merged = d.resolve(SessionReport.MERGED);
        if (Files.isRegularFile(merged.resolve(SummaryJson.FILE))) {
            return merged;
        }
        try {
            List<Path> stored = new ArrayList<>();
            for (JsonNode m : LabCommand.JSON.readTree(d.resolve(SessionReport.FILE).toFile()).path("members")) {
                Path dir = m.hasNonNull("dir") ? d.resolve(m.path("dir").asText()).normalize() : null;
                if (dir != null && dir.startsWith(d) && Files.isRegularFile(dir.resolve(SummaryJson.FILE))) {
                    stored.add(dir);
                }
            }
            return stored.size() == 1 ? stored.getFirst() : merged;
        } catch (IOException | RuntimeException e) {
            return merged; // a damaged session.json: the check that follows says what is missing
        }
    }

    private static boolean isSession(Path d) {
        return Files.isRegularFile(d.resolve(SessionReport.FILE)) && !Files.isRegularFile(d.resolve(SummaryJson.FILE));
    }

    private static String sessionTable(Path d) throws IOException {
        try {
            return SessionTable.render(SessionReport.read(d, LabCommand.JSON));
        } catch (IOException | RuntimeException e) {
            // A damaged session.json is bad input, as a damaged summary.json is. Its file is named once: the reader's
            // own checks name it already ("s/session.json is not a churn.session/1 file"), a parser's error does not.
            String file = d.resolve(SessionReport.FILE).toString();
            String message = String.valueOf(e.getMessage());
            throw new IllegalArgumentException(message.startsWith(file) ? message : file + ": " + message, e);
        }
    }

    private static String runTable(JsonNode s, Path d) {
        return s.has("merge") ? MergeCommand.table(s, d) : SummaryTable.render(s, d);
    }

    // The same renderers the commands use, so a table printed later reads as it did then.
    private void printTables(List<Path> folders) throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        boolean first = true;
        for (Path d : folders) {
            String t = RunCommand.usage(() -> isSession(d) ? sessionTable(d)
                    : ComparisonJson.isComparison(d) ? ComparisonTable.render(ComparisonJson.fromJson(ComparisonJson.read(d), d))
                    : runTable(SummaryJson.read(d), d));
            if (!first) {
                o.println();
            }
            o.print(t);
            first = false;
        }
        o.flush();
    }
}
