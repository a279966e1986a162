package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's description, as {@code --help} prints it: an example that wraps reads as two
 * commands, a repeated one as a different example the reader cannot tell apart, and a sentence
 * split across two paragraphs as two broken lines.
 */
class HelpTextTest {

    @Test
    void everyCommandsDescriptionFitsTheHelpWidthAndRepeatsNoLine() {
        CommandLine root = Main.commandLine();
        int width = root.getUsageHelpWidth();
        List<String> problems = new ArrayList<>();
        int commands = 0;
        for (CommandLine cmd : allCommands(root)) {
            commands++;
            String name = cmd.getCommandSpec().qualifiedName();
            Set<String> seen = new HashSet<>();
            for (String paragraph : cmd.getCommandSpec().usageMessage().description()) {
                // The first paragraph is prose, which picocli wraps on purpose; examples are not.
                if (paragraph.startsWith("  ") && paragraph.length() >= width) {
                    problems.add(name + ": " + paragraph.length() + " columns, picocli wraps at " + width + ": " + paragraph.strip());
                }
                // Each string is its own paragraph: prose hard-wrapped across two of them prints
                // its second half as a line of its own ("attached, writes ...").
                if (!paragraph.isEmpty() && Character.isLowerCase(paragraph.charAt(0))) {
                    problems.add(name + ": a paragraph starts mid-sentence: " + paragraph);
                }
                if (paragraph.startsWith("  ") && !seen.add(paragraph.strip())) {
                    problems.add(name + ": repeats: " + paragraph.strip());
                }
            }
        }
        assertTrue(commands >= 12, "walked " + commands + " commands");
        assertEquals(List.of(), problems);
    }

    @Test
    void everyCommandsHelpFormatsWithoutAPicocliWarning() {
        // picocli formats each description with String.format: a bare '%' (say "1% of a CPU") fails
        // it, and --help then prints a WARN line and the raw text instead ("%n" left as it is).
        PrintStream original = System.err;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        List<String> warned = new ArrayList<>();
        try {
            System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
            for (CommandLine cmd : allCommands(Main.commandLine())) {
                said.reset();
                cmd.getUsageMessage();
                String err = said.toString(StandardCharsets.UTF_8);
                if (err.contains("WARN")) {
                    warned.add(cmd.getCommandSpec().qualifiedName() + ": " + err.lines().findFirst().orElse(""));
                }
            }
        } finally {
            System.setErr(original);
        }
        assertEquals(List.of(), warned);
    }

    /** Every command's help lists -V, --version; each prints churn's version (all but the top one printed nothing). */
    @Test
    void everyCommandsVersionOptionPrintsTheVersion() {
        List<String> silent = new ArrayList<>();
        for (CommandLine cmd : allCommands(Main.commandLine())) {
            List<String> path = new ArrayList<>();
            for (CommandLine c = cmd; c.getParent() != null; c = c.getParent()) {
                path.addFirst(c.getCommandName());
            }
            path.add("--version");
            RunCommandTest.Cli cli = new RunCommandTest.Cli();
            int code = cli.run(path.toArray(String[]::new));
            if (code != 0 || !cli.out.toString().startsWith("churn ")) {
                silent.add(String.join(" ", path) + " -> " + code + " '" + cli.out.toString().strip() + "'");
            }
        }
        assertEquals(List.of(), silent);
    }

    private static List<CommandLine> allCommands(CommandLine cmd) {
        List<CommandLine> all = new ArrayList<>(List.of(cmd));
        for (CommandLine sub : cmd.getSubcommands().values()) {
            all.addAll(allCommands(sub));
        }
        return all;
    }
}
