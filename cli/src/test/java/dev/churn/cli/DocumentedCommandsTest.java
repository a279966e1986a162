package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every churn command the README, docs/ and the bench READMEs tell a reader to type, and every
 * example in {@code --help}, still parses: an option renamed or dropped, or a combination that
 * became a usage error, would otherwise leave a page that says "run this" and a command that
 * answers exit 2. Documents write the commands to type as {@code ./churn ...} (output lines start
 * {@code churn ...} and are not commands); help examples are the description's indented
 * {@code churn ...} lines. A {@code run} command also goes through the checks {@code call()} makes
 * before any work ({@link RunCommand#runSpec()}). Nothing runs.
 */
class DocumentedCommandsTest {

    private static final Path ROOT = repositoryRoot();

    /** An inline code span holding a command: {@code `./churn run --connections 20000`}. */
    private static final Pattern INLINE = Pattern.compile("`(\\./churn [^`]+)`");
    /** A command inside a fenced block: from ./churn to the end of the line. */
    private static final Pattern FENCED = Pattern.compile("(?:^|[\\s$&;(])(\\./churn .*)$");
    /** A help example: the command, then (after two or more spaces) what it does. */
    private static final Pattern HELP_EXAMPLE = Pattern.compile("^\\s+(churn .*?)(?:\\s{2,}\\S.*)?$");

    /** Where a documented command came from, and the command as written. */
    record Documented(String where, String command) {}

    @Test
    void everyCommandTheDocumentsAndTheHelpGiveParsesAndPassesTheUpFrontChecks() throws IOException {
        List<Documented> commands = new ArrayList<>(fromDocuments());
        int inDocuments = commands.size();
        commands.addAll(fromHelp(Main.commandLine()));
        // What the pages and the help hold today (about 40 and 30): far fewer means the extraction broke.
        assertTrue(inDocuments >= 30, "found " + inDocuments + " commands in the documents");
        assertTrue(commands.size() - inDocuments >= 20, "found " + (commands.size() - inDocuments) + " help examples");

        List<String> problems = new ArrayList<>();
        for (Documented d : commands) {
            String problem = problem(d.command());
            if (problem != null) {
                problems.add(d.where() + ": " + d.command() + "\n    -> " + problem);
            }
        }
        assertEquals("", String.join("\n", problems));
    }

    @Test
    void aCommandWithARenamedOptionOrAContradictionIsCaught() {
        // The check itself can fail: what it would say of a stale page.
        assertTrue(problem("./churn run --conections 20000").contains("--conections"));
        assertTrue(problem("churn run --closer abort --linger 5").contains("contradicts"));
        assertTrue(problem("churn monitor --port 8080 --once --format yaml").contains("yaml"));
        assertEquals(null, problem("./churn run --connections 20000 --warmup 0s   # a comment"));
        assertEquals(List.of("run", "--label", "two words", "--out", "a b"),
                words("run --label 'two words' --out \"a b\""));
    }

    /** Null when the command parses and passes the up-front checks, else what is wrong. */
    private static String problem(String command) {
        List<String> args = words(command);
        if (args.isEmpty() || !args.getFirst().matches("(\\./)?churn")) {
            return "not a churn command";
        }
        // 'server' is the examples' name for the reader's other machine, which does not resolve here.
        args = args.subList(1, args.size()).stream().map(a -> a.replaceFirst("^server:", "127.0.0.1:")).toList();
        CommandLine root = Main.commandLine();
        try {
            CommandLine.ParseResult parsed = root.parseArgs(args.toArray(String[]::new));
            while (parsed.hasSubcommand()) {
                parsed = parsed.subcommand();
            }
            if (parsed.commandSpec().userObject() instanceof RunCommand run && !namesAFile(args)) {
                run.runSpec();
            }
            return null;
        } catch (CommandLine.ParameterException | UsageException e) {
            return e.getMessage();
        } catch (IOException e) {
            return "reading a file it names: " + e.getMessage();
        }
    }

    /** A page's example file (trust.jks, cert.pem) does not exist here; parsing is all that is checked. */
    private static boolean namesAFile(List<String> args) {
        return args.stream().anyMatch(a -> a.equals("--truststore") || a.equals("--cert") || a.equals("--key"));
    }

    private static List<Documented> fromDocuments() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"));
                Stream<Path> bench = Files.walk(ROOT.resolve("bench"), 2)) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
            bench.filter(p -> p.getFileName().toString().equals("README.md")).sorted().forEach(pages::add);
        }
        List<Documented> found = new ArrayList<>();
        for (Path page : pages) {
            List<String> lines = Files.readAllLines(page);
            boolean fenced = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String where = ROOT.relativize(page) + ":" + (i + 1);
                if (line.strip().startsWith("```")) {
                    fenced = !fenced;
                    continue;
                }
                if (fenced) {
                    while (line.endsWith("\\") && i + 1 < lines.size()) {
                        line = line.substring(0, line.length() - 1) + " " + lines.get(++i).strip();
                    }
                    Matcher m = FENCED.matcher(line);
                    if (m.find()) {
                        addIfConcrete(found, where, shellCommand(m.group(1)));
                    }
                } else {
                    Matcher m = INLINE.matcher(line);
                    while (m.find()) {
                        addIfConcrete(found, where, m.group(1));
                    }
                }
            }
        }
        return found;
    }

    private static List<Documented> fromHelp(CommandLine cmd) {
        List<Documented> found = new ArrayList<>();
        String[] paragraphs = cmd.getCommandSpec().usageMessage().description();
        for (int i = 0; i < paragraphs.length; i++) {
            String p = paragraphs[i];
            while (p.endsWith("\\") && i + 1 < paragraphs.length) {
                p = p.substring(0, p.length() - 1).stripTrailing() + " " + paragraphs[++i].strip();
            }
            Matcher m = HELP_EXAMPLE.matcher(p);
            if (m.matches()) {
                addIfConcrete(found, cmd.getCommandSpec().qualifiedName() + " --help", m.group(1));
            }
        }
        for (CommandLine sub : cmd.getSubcommands().values()) {
            found.addAll(fromHelp(sub));
        }
        return found;
    }

    /** A command as a shell line holds it: up to a comment, a pipe, a redirection, the next command or a <(...)'s end. */
    private static String shellCommand(String line) {
        int end = line.length();
        for (String stop : List.of(" #", "&&", "||", "|", ";", " >", " 2>", " &", ")")) {
            int at = line.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return line.substring(0, end).strip();
    }

    /** Placeholders (&lt;dir&gt;, N, ...) and shell expansions stand for what the reader fills in. */
    private static void addIfConcrete(List<Documented> found, String where, String command) {
        if (command.matches(".*(<|\\.\\.\\.|…|\\$\\(|\\$\\{|\\*).*") || command.matches(".*\\s[A-Z]+(\\s.*)?$")) {
            return;
        }
        found.add(new Documented(where, command.strip()));
    }

    /** The command's words as a POSIX shell splits them (quotes, no expansions). */
    static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (char c : command.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (c == '#' && word == null) {
                break;
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    private static Path repositoryRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("README.md")) && Files.isDirectory(d.resolve("docs"))) {
                return d;
            }
        }
        throw new AssertionError("no README.md and docs/ above " + Path.of("").toAbsolutePath());
    }
}
