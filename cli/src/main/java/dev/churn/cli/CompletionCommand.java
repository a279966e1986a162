package dev.churn.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code churn completion}: a bash completion script for every command, option and closed set of
 * values, written by picocli from the same model that parses the command line, so it cannot fall
 * behind it.
 */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = {
            "Prints a bash completion script for churn: its commands, their options, and the values of "
                    + "closed sets (--transport, --closer, --source, ...).",
            "Load it into the shell you are in, or into every new one, as the examples show.",
            "",
            "Examples:",
            "  source <(./churn completion)                  this shell",
            "  ./churn completion > ~/.local/share/bash-completion/completions/churn",
            "                                                every new bash (bash-completion loads it)",
            "",
            "The script completes the command name 'churn': put the launcher on your PATH, or alias churn to it."
        })
public final class CompletionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    // picocli offers an enum's constants as declared (TRANSPORT); churn takes any case and its help
    // and docs write them in lower case, which is what a user types before pressing tab.
    private static final Pattern VALUES = Pattern.compile("(?m)^(\\s*local \\w+_option_args=\\()([^)]*)(\\))");

    static String lowerCaseValues(String script) {
        return VALUES.matcher(script).replaceAll(m -> Matcher.quoteReplacement(
                m.group(1) + m.group(2).toLowerCase(Locale.ROOT) + m.group(3)));
    }

    // compare's --vary offers its keys with their '=' (no space after it: the values follow), and
    // --runs its result folders (after the last comma); picocli knows neither (a List<String> each).
    private static final String VARY_CASE = "    '--vary')\n      local IFS=$'\\n'\n";
    private static final String RUNS_CASE = "    '--runs')\n      return\n";

    static String compareValues(String script) {
        return script.replace(VARY_CASE, VARY_CASE + "      type compopt &>/dev/null && compopt -o nospace\n")
                .replace(RUNS_CASE, "    '--runs')\n"
                        + "      local IFS=$'\\n'\n"
                        + "      type compopt &>/dev/null && compopt -o filenames\n"
                        + "      local before=''; [[ \"${curr_word}\" == *,* ]] && before=\"${curr_word%,*},\"\n"
                        + "      COMPREPLY=( $( compgen -d -P \"${before}\" -- \"${curr_word##*,}\" ) ) # result folders\n"
                        + "      return $?\n");
    }

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        spec.commandLine().getOut().print(compareValues(lowerCaseValues(AutoComplete.bash("churn", root))));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
