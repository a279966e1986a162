package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code churn completion}'s script, loaded into a real bash and asked what it offers, the way
 * bash asks it when tab is pressed: every closed set of every command, and the subcommands.
 */
class CompletionCommandTest {

    @TempDir
    Path tmp;

    @Test
    void everyClosedSetOfEveryCommandCompletesToItsOwnValuesInLowerCase() throws Exception {
        CliRun gen = CliRun.churn("completion");
        assertEquals(ExitCodes.OK, gen.code(), gen::err);
        Path script = tmp.resolve("churn.bash");
        Files.writeString(script, gen.out());

        // What each "churn <command> <option> <tab>" must offer.
        Map<String, String> expected = new LinkedHashMap<>();
        walk(Main.commandLine(), List.of(), expected);
        expected.put("churn ", "run serve monitor bench compare report merge lab completion");
        expected.put("churn lab ", "states timewait exhaust hosts");
        expected.put("churn run --clo", "--closer");
        expected.put("churn run --closer s", "server");
        expected.put("churn bench --preset ", "smoke quick full");
        expected.put("churn run --tls ", "1.2 1.3");
        expected.put("churn serve --tls ", "1.2 1.3");
        expected.put("churn bench --tls ", "1.2 1.3");
        expected.put("churn compare --vary tr", "transport=");
        expected.put("churn compare --vary tls", "tls= tls-resume= tls-groups= tls-key=");
        Files.createDirectories(tmp.resolve("runs/r1"));
        Files.createDirectories(tmp.resolve("runs/r2"));
        String runs = tmp.resolve("runs") + "/";
        expected.put("churn compare --runs " + runs + "r", runs + "r1 " + runs + "r2");
        expected.put("churn compare --runs " + runs + "r1," + runs + "r", runs + "r1," + runs + "r1 " + runs + "r1," + runs + "r2");
        assertTrue(expected.size() >= 19, "enum options found: " + expected);

        StringBuilder sh = new StringBuilder("source " + script + "\n");
        // As bash calls a completion function: the words, the index of the current one, the line.
        sh.append("try() { COMP_LINE=\"$1\"; read -ra COMP_WORDS <<< \"$1\"; [[ \"$1\" == *' ' ]] && COMP_WORDS+=('');"
                + " COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMP_POINT=${#COMP_LINE}; COMPREPLY=();"
                + " _complete_churn churn \"${COMP_WORDS[-1]}\" \"${COMP_WORDS[-2]}\" 2>/dev/null;"
                + " echo \"$1|${COMPREPLY[*]}\"; }\n");
        for (String line : expected.keySet()) {
            sh.append("try '").append(line).append("'\n");
        }
        Path driver = tmp.resolve("try.sh");
        Files.writeString(driver, sh);
        Process p = new ProcessBuilder("bash", driver.toString()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "bash did not finish");

        Map<String, String> offered = new LinkedHashMap<>();
        for (String l : said.lines().toList()) {
            int bar = l.indexOf('|');
            if (bar > 0) {
                offered.put(l.substring(0, bar), l.substring(bar + 1));
            }
        }
        List<String> wrong = new ArrayList<>();
        expected.forEach((line, values) -> {
            if (!values.equals(offered.get(line))) {
                wrong.add("'" + line + "' offered '" + offered.get(line) + "', expected '" + values + "'");
            }
        });
        assertEquals(List.of(), wrong, said);
    }

    // Every option whose values are an enum, in every command: "churn <path> <option> " -> its constants.
    private static void walk(CommandLine cmd, List<String> path, Map<String, String> into) {
        for (CommandLine.Model.OptionSpec o : cmd.getCommandSpec().options()) {
            Class<?> t = o.auxiliaryTypes().length > 0 ? o.auxiliaryTypes()[0] : o.type();
            if (t.isEnum()) {
                String values = String.join(" ", Arrays.stream(t.getEnumConstants())
                        .map(e -> ((Enum<?>) e).name().toLowerCase(Locale.ROOT)).toList());
                String words = String.join(" ", path);
                into.put("churn " + (words.isEmpty() ? "" : words + " ") + o.longestName() + " ", values);
            }
        }
        cmd.getSubcommands().forEach((name, sub) -> {
            List<String> deeper = new ArrayList<>(path);
            deeper.add(name);
            walk(sub, deeper, into);
        });
    }

    @Test
    void itsHelpSaysHowToLoadIt() {
        CliRun help = CliRun.churn("completion", "--help");
        assertEquals(ExitCodes.OK, help.code());
        assertTrue(help.out().contains("source <(./churn completion)"), help.out());
    }
}
