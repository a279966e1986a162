package dev.churn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.compare.Variation;
import dev.churn.bench.result.SummaryJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine;

/**
 * A comparison's runs are {@code churn run}s made in compare's own JVM, each through a fresh command line: checked
 * before the first starts, then run one at a time into their folders, their summaries read back, and a failed one
 * said by the rule that ended it.
 */
final class InProcessRun {

    private InProcessRun() {
    }

    /** Parses one configuration's run arguments without running, so a typo fails before the first run. */
    static void validate(List<String> args, Map<String, String> config) throws IOException {
        CommandLine cl = Main.commandLine();
        List<String> all = new ArrayList<>(List.of("run"));
        all.addAll(args);
        try {
            CommandLine.ParseResult parsed = cl.parseArgs(all.toArray(String[]::new));
            if (!parsed.subcommand().unmatched().isEmpty()) {
                throw new UsageException("unknown run option " + parsed.subcommand().unmatched().getFirst());
            }
        } catch (CommandLine.ParameterException e) {
            throw new UsageException("run option for " + Variation.describe(config) + ": " + e.getMessage().strip()
                    + Main.didYouMean(e, cl.getSubcommands().get("compare").getCommandSpec()));
        }
        RunCommand run = cl.getSubcommands().get("run").getCommand();
        run.runSpec();
    }

    /**
     * One run: {@code churn run} in this JVM into its folder, its summary back. Hands the run's command to
     * {@code started} before it runs: how a Ctrl-C reaches it.
     */
    static JsonNode run(List<String> args, Path runDir, String runLabel, boolean force, Consumer<RunCommand> started)
            throws IOException {
        CommandLine cl = Main.commandLine();
        started.accept(cl.getSubcommands().get("run").getCommand());
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("run"));
        all.addAll(args);
        all.addAll(List.of("--out", runDir.toString(), "--label", runLabel, "--format", "json", "--no-progress"));
        if (force) {
            all.add("--force");
        }
        int code = cl.execute(all.toArray(String[]::new));
        boolean written = Files.isRegularFile(runDir.resolve(SummaryJson.FILE));
        if (code != ExitCodes.OK || !written) {
            // A run that ended by its own rule (--max-failures, nothing completed) says why in its summary, with the
            // failures by class; its stderr has a warning at most. Else (bad input, an error) stderr says why.
            String said = err.toString().strip().replace("churn run: ", "");
            String why = written ? whyItFailed(SummaryJson.read(runDir), said) : said;
            throw new IOException("run " + runLabel + " failed (exit code " + code + "): " + why);
        }
        return SummaryJson.read(runDir);
    }

    /** Why a run whose summary was written exited 1: from that summary by its own rules, else what it said on stderr. */
    static String whyItFailed(JsonNode s, String said) {
        long completed = s.at("/connections/completed").asLong();
        String failures = failureCounts(s);
        String where = s.path("endedInWarmup").asBoolean(false) ? " in its warm-up" : "";
        if ("TOO_MANY_FAILURES".equals(s.path("endReason").asText())) {
            return String.format(Locale.ROOT, "--max-failures %d reached%s (%s)", s.at("/scenario/maxFailures").asLong(),
                    where, failures);
        }
        if (s.path("endedInWarmup").asBoolean(false)) {
            return "it ended during its warm-up (" + s.path("endReason").asText() + "), before measuring";
        }
        // Neither rule: something else failed after the summary was written (results not sent to a --join server).
        return completed == 0 ? "no connection completed (" + failures + ")"
                : said.isEmpty() ? s.path("endReason").asText() : said;
    }

    /** "econnrefused 3, timeout 1": the failures a summary counts, by class. */
    private static String failureCounts(JsonNode s) {
        List<String> kinds = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : s.path("failures").properties()) {
            long n = e.getValue().path("count").asLong();
            if (n > 0) {
                kinds.add(String.format(Locale.ROOT, "%s %,d", e.getKey(), n));
            }
        }
        return kinds.isEmpty() ? "no failure counted" : String.join(", ", kinds);
    }
}
