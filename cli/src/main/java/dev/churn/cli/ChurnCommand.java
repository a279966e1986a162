package dev.churn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root {@code churn} command: only subcommands, help and version. */
@Command(
        name = "churn",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Benchmarks TCP connection churn and shows the kernel's TCP states on the same timeline.",
            "",
            "Start with 'churn run' (a churn run against the built-in loopback server),",
            "'churn monitor' (live counts of TIME_WAIT, CLOSE_WAIT, ... on chosen ports) or",
            "'churn lab states' (the TCP state machine, step by step, on real sockets)."
        },
        subcommands = {RunCommand.class, ServeCommand.class, MonitorCommand.class, BenchCommand.class,
            CompareCommand.class, ReportCommand.class, MergeCommand.class, LabCommand.class, CompletionCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the work failed (for run: nothing completed, --max-failures reached, or results not"
            + " written)", "2:bad input (one line says what)", "3:compare --fail-if-worse: a row was worse beyond the noise",
            "130:stopped by Ctrl-C (SIGINT); files already written are complete",
            "143:stopped by SIGTERM (a Kubernetes stop), the same way"})
public final class ChurnCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw Subcommands.missing(spec);
    }
}
