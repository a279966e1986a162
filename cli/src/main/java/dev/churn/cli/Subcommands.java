package dev.churn.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** What a command that is only a list of subcommands says when none is named. */
final class Subcommands {

    private Subcommands() {}

    /**
     * Bad input, like any other: one line and exit 2. A bare {@code churn} (a script's empty
     * variable, say) that printed its help and exited 0 would pass for work done.
     */
    static ParameterException missing(CommandSpec spec) {
        List<String> names = new ArrayList<>(spec.subcommands().keySet());
        String last = names.removeLast();
        return new ParameterException(spec.commandLine(), "name a command: " + String.join(", ", names) + " or " + last);
    }
}
