package dev.churn.cli;

import dev.churn.bench.report.HtmlReport;
import dev.churn.bench.result.OutputPath;
import java.nio.file.Path;
import java.util.List;
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
            "Writes a self-contained HTML report (opens offline) of run, merged or comparison folders: latency "
                    + "percentile curves per phase, connection rate and TIME_WAIT/CLOSE_WAIT over time, kernel counter "
                    + "deltas, the environment, and side-by-side bars for a comparison.",
            "",
            "Examples:",
            "  churn report results/20261121-173359-blocking-client-c1",
            "  churn report results/*-compare --out compare.html"
        })
public final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", arity = "1..*", description = "Results folders (runs, merged runs or comparisons).")
    List<Path> dirs;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the page (default <first DIR>/report.html, "
            + "replaced if there).")
    Path out;

    @Option(names = "--force", description = "Replace the --out FILE if it exists (without it an existing file is refused).")
    boolean force;

    @Override
    public Integer call() throws Exception {
        for (Path d : dirs) {
            RunCommand.usage(() -> {
                HtmlReport.check(d);
                return d;
            });
        }
        if (out != null) {
            RunCommand.usage(() -> OutputPath.checkFile(out, force));
        }
        // The default place is the folder's own report.html: writing it again replaces it.
        Path file = out != null ? out : dirs.getFirst().resolve(HtmlReport.FILE);
        // A damaged input (summary.json, latency.hlog, states.csv) is bad input, as in merge: exit 2.
        HtmlReport.Written written = RunCommand.usage(() -> HtmlReport.write(dirs, file, out == null || force));
        for (String note : written.notes()) {
            spec.commandLine().getErr().println("churn report: note: " + note);
        }
        spec.commandLine().getErr().flush();
        spec.commandLine().getOut().println("report: wrote " + file + " (" + written.charts() + " charts)");
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
