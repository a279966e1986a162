package dev.churn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.http.Printable;
import dev.churn.bench.result.OutputPath;
import dev.churn.bench.result.ResultsDirectory;
import dev.churn.bench.result.RunMerger;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code churn merge DIR...}: combines runs made at the same time on several client machines
 * against one server into one results folder (histograms add exactly, rates add, states per host).
 */
@Command(
        name = "merge",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Merges runs made at the same time from several client hosts against one 'churn serve' into one "
                    + "results folder: latency histograms add exactly, counts add, TCP states and kernel "
                    + "counters stay per host (states-<host>.csv, summary.json hosts[]).",
            "The rate is the completions inside the common window (where every run was measuring) over its length. "
                    + "Runs must overlap in time and match in target, transport, closer, linger, request/response bytes "
                    + "and load kind (open or closed loop); a run given twice is refused.",
            "",
            "Example:",
            "  churn merge hostA/results/*-c8 hostB/results/*-c8 hostC/results/*-c8 --out results/merged-3x8"
        })
public final class MergeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", arity = "1..*", description = "One run folder per client host (two or more).")
    List<Path> dirs;

    @Option(names = "--out", paramLabel = "DIR", description = "Write here (default results/<yyyyMMdd-HHmmss>-<label>/).")
    Path out;

    @Option(names = "--label", paramLabel = "NAME", description = "Label of the merged run (default merged).")
    String label = RunMerger.DEFAULT_LABEL;

    @Option(names = "--force", description = "Merge runs whose scenarios differ or whose measured windows do not "
            + "overlap (refused otherwise; the merged summary.json and the table list what was overridden), and "
            + "replace the churn files an earlier merge left in the --out folder.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        String name = RunCommand.usage(() -> ResultsDirectory.checkLabel(label));
        if (out != null) {
            RunCommand.usage(() -> OutputPath.checkFolder(out));
        }
        if (dirs.size() < 2) {
            throw new UsageException("give at least two run folders (one per client host), got " + dirs.size());
        }
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                throw new UsageException(d + (Files.exists(d) ? " is not a directory" : " does not exist"));
            }
        }
        if (out != null) {
            RunCommand.usage(() -> {
                OutputPath.checkNotAnInput(out, dirs);
                return out;
            });
        }
        // Everything is read and checked before the output folder exists: a refused merge leaves nothing.
        RunMerger.Plan plan = RunCommand.usage(() -> RunMerger.read(dirs, force));
        ResultsDirectory dir = OutFolder.open(out, force, name);
        JsonNode merged;
        try {
            merged = RunCommand.usage(() -> RunMerger.write(plan, dir, name));
        } catch (UsageException e) {
            throw e;
        } catch (IOException e) {
            // The merge was worked out; only its files failed (a full disk): the table still goes out, as a run's does,
            // and a folder made for them and left empty goes (QA, 2026-12-06: an error line, no table, an empty folder).
            PrintWriter o = spec.commandLine().getOut();
            o.print(table(RunMerger.summaryOf(plan, name), dir.path(), false));
            o.flush();
            dir.removeIfEmpty(); // the files that were written stay, each complete
            throw new IOException(e.getMessage() + "; the merge is printed above, and the hosts' folders are as they were",
                    e);
        }
        PrintWriter o = spec.commandLine().getOut();
        o.print(table(merged, dir.path()));
        o.flush();
        return ExitCodes.OK;
    }

    /** The run table of a merged summary, with the merge's window, forced mismatches and hosts above its last line. */
    static String table(JsonNode merged, Path dir) {
        return table(merged, dir, true);
    }

    /** As above; {@code saved} false when the merged files could not all be written (the last line says so). */
    static String table(JsonNode merged, Path dir, boolean saved) {
        StringBuilder b = new StringBuilder();
        JsonNode w = merged.at("/merge/rateWindow");
        b.append(String.format(Locale.ROOT, "  rate over   the %s window, %s to %s (%.3f s): %,.0f completions;%n"
                + "              the hosts' own rates add to %,.1f/s%n", w.path("kind").asText(), w.path("from").asText(),
                w.path("to").asText(), w.path("seconds").asDouble(), w.path("completed").asDouble(),
                merged.at("/merge/sumOfHostRates").asDouble()));
        for (JsonNode m : merged.at("/merge/mismatches")) {
            b.append("  forced      ").append(Printable.escape(m.asText())).append('\n'); // may quote the summaries
        }
        for (JsonNode h : merged.path("hosts")) {
            b.append(String.format(Locale.ROOT, "  host %-24s %,10.1f/s  completed %,d  TIME_WAIT peak %,d%n", h.path("host").asText(),
                    h.at("/connections/perSecond").asDouble(), h.at("/connections/completed").asLong(),
                    h.at("/states/peak/TIME_WAIT").asLong()));
        }
        // The merge's own lines go above the table's last line, which says where the results are.
        String table = SummaryTable.render(merged, dir, saved);
        int last = table.lastIndexOf("\n  results ");
        return last < 0 ? table + b : table.substring(0, last + 1) + b + table.substring(last + 1);
    }
}
