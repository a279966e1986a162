package dev.churn.cli;

import dev.churn.bench.engine.OutOfMemory;
import dev.churn.bench.http.Printable;
import dev.churn.bench.posix.ErrorMessages;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;

/** Entry point of the churn jar: builds the command line and exits with its code. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        // First, before any other thread of churn's: the failure classes are read from the C library's words.
        ErrorMessages.inEnglish();
        // A thread that runs out of memory ends, and the command says so once: the JVM's own handler, printing a stack
        // trace, ran out of memory itself and printed "thrown from the UncaughtExceptionHandler" once per thread.
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (!(e instanceof OutOfMemoryError)) {
                // As the JVM's own handler prints it (ThreadGroup's would call this one again).
                System.err.print("Exception in thread \"" + t.getName() + "\" ");
                e.printStackTrace(System.err);
            }
        });
        StandardOutput.install();
        int code;
        try {
            code = commandLine().execute(args);
        } catch (OutOfMemoryError e) {
            // picocli passes Errors on: one line, as any fault, not the JVM's stack trace.
            System.err.println("churn: " + OutOfMemory.message(e));
            code = ExitCodes.FAILURE;
        }
        System.exit(StandardOutput.exitCode(code, System.err));
    }

    /**
     * The configured command line, for the launcher and for tests: errors in what the user typed
     * are one line and exit 2; faults are one line and exit 1; neither prints a stack trace unless
     * CHURN_DEBUG is set.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new ChurnCommand());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // Once for every command: picocli's own Integer and Long conversion takes any Unicode digit.
        cl.registerConverter(Integer.class, new OptionConverters.AnyInt());
        cl.registerConverter(int.class, new OptionConverters.AnyInt());
        cl.registerConverter(Long.class, new OptionConverters.AnyLong());
        cl.registerConverter(long.class, new OptionConverters.AnyLong());
        // Examples and option text read better wider than 80 columns; a narrower terminal wins.
        cl.setUsageHelpWidth(100);
        cl.setUsageHelpAutoWidth(true);
        cl.setParameterExceptionHandler(Main::usageError);
        namedEnums(cl);
        versionEverywhere(cl);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> fault(ex, cmd));
        return cl;
    }

    /** Every command's help lists -V, --version: each one prints churn's version, not only the top one (they printed nothing). */
    private static void versionEverywhere(CommandLine cl) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            sub.getCommandSpec().versionProvider(new VersionProvider());
            versionEverywhere(sub);
        }
    }

    /**
     * Every enum option without a converter of its own gets {@link OptionConverters#named}'s words
     * ("'cvs' is not table, json or csv; did you mean csv?") instead of picocli's "expected one of
     * [TABLE, JSON, CSV] (case-insensitive) but was 'cvs'", so all closed sets read alike.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void namedEnums(CommandLine cl) {
        Set<Class<?>> enums = new HashSet<>();
        collectEnums(cl, enums);
        for (Class<?> type : enums) {
            register(cl, (Class) type);
        }
    }

    private static <E extends Enum<E>> void register(CommandLine cl, Class<E> type) {
        cl.registerConverter(type, v -> OptionConverters.named(type, v, type.getEnumConstants()));
    }

    private static void collectEnums(CommandLine cl, Set<Class<?>> into) {
        for (CommandLine.Model.OptionSpec o : cl.getCommandSpec().options()) {
            Class<?> t = o.auxiliaryTypes().length > 0 ? o.auxiliaryTypes()[0] : o.type();
            if (t.isEnum() && o.converters().length == 0) {
                into.add(t);
            }
        }
        cl.getSubcommands().values().forEach(sub -> collectEnums(sub, into));
    }

    private static int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String unmatched = unmatchedWords(ex);
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + (unmatched != null ? unmatched : oneLine(ex.getMessage()))
                + didYouMean(ex)
                + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return ExitCodes.USAGE;
    }

    /**
     * Words that are neither an option nor an option's value, in the user's terms: picocli's "Unmatched argument at
     * index 0: 'bogus'" named an index nobody counts (QA, 2026-12-07). A command with subcommands says the word is none
     * of them; the others say they take no such words. Null for other errors, and for an unknown option ("--bogus"),
     * which picocli words well.
     */
    static String unmatchedWords(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException u) || u.isUnknownOption() || u.getUnmatched().isEmpty()) {
            return null;
        }
        CommandLine.Model.CommandSpec spec = ex.getCommandLine().getCommandSpec();
        String first = u.getUnmatched().getFirst();
        if (first.startsWith("-")) {
            return null;
        }
        if (!spec.subcommands().isEmpty()) {
            List<String> names = spec.subcommands().entrySet().stream()
                    .filter(e -> e.getKey().equals(e.getValue().getCommandName()) && !e.getValue().getCommandSpec().usageMessage().hidden())
                    .map(java.util.Map.Entry::getKey).filter(n -> !n.equals("help")).toList();
            return "'" + first + "' is not a command of " + spec.qualifiedName() + " (" + String.join(", ", names) + ")";
        }
        List<String> words = u.getUnmatched().stream().map(w -> "'" + w + "'").toList();
        return "takes options only, not " + String.join(", ", words)
                + " (an option's value follows it: --connections 100)";
    }

    private static int fault(Exception ex, CommandLine cmd) {
        PrintWriter err = cmd.getErr();
        if (ex instanceof UsageException u) {
            err.println(cmd.getCommandSpec().qualifiedName() + ": " + oneLine(u.getMessage()));
            err.flush();
            return ExitCodes.USAGE;
        }
        if (ex instanceof AlreadySaidException) {
            return ExitCodes.FAILURE;
        }
        String what = ex.getMessage() == null ? unexplained(ex) : oneLine(ex.getMessage());
        if (StopHook.stopping()) {
            // A failure after Ctrl-C is its consequence (a lab host the shutdown hook stopped, a namespace removed under
            // a step): the cause is said, not the symptom. The exit code is the signal's (130, 143) whatever this returns.
            what = "stopped by Ctrl-C or SIGTERM" + (System.getenv("CHURN_DEBUG") != null ? " (then: " + what + ")" : "");
        }
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + what);
        if (System.getenv("CHURN_DEBUG") != null) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.FAILURE;
    }

    /**
     * An exception with no message, which no code of churn's meant to say: 'churn run: UnsupportedAddressTypeException'
     * told a user nothing of where, or that it is a bug (review, 2026-12-07). Where it was thrown, in churn's code if the
     * trace passes through it, and how to see the rest.
     */
    static String unexplained(Throwable ex) {
        StackTraceElement at = null;
        for (StackTraceElement e : ex.getStackTrace()) {
            if (at == null) {
                at = e;
            }
            if (e.getClassName().startsWith("dev.churn.")) {
                at = e;
                break;
            }
        }
        String where = at == null ? "" : " at " + at.getClassName().substring(at.getClassName().lastIndexOf('.') + 1) + "."
                + at.getMethodName() + (at.getLineNumber() > 0 ? " (" + at.getFileName() + ":" + at.getLineNumber() + ")" : "");
        return "internal error, " + ex.getClass().getName() + where + ": a fault of churn's, not of its input"
                + (System.getenv("CHURN_DEBUG") != null ? "" : "; CHURN_DEBUG=1 prints its stack trace");
    }

    /**
     * For a misspelt option, the closest this command (and any of {@code alsoOf}) has ("; did you
     * mean --connections?"), else nothing.
     */
    static String didYouMean(CommandLine.ParameterException ex, CommandLine.Model.CommandSpec... alsoOf) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u && u.isUnknownOption() && !u.getUnmatched().isEmpty()) {
            String elsewhere = elsewhere(u.getUnmatched().getFirst(), ex.getCommandLine());
            if (!elsewhere.isEmpty()) {
                return elsewhere;
            }
            List<CommandLine.Model.CommandSpec> specs = new ArrayList<>(List.of(alsoOf));
            specs.add(ex.getCommandLine().getCommandSpec());
            return OptionSuggestions.phrase(OptionSuggestions.closest(u.getUnmatched().getFirst(), specs));
        }
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                && !ex.getCommandLine().getSubcommands().isEmpty()) {
            return OptionSuggestions.phrase(OptionSuggestions.closestSubcommand(u.getUnmatched().getFirst(),
                    ex.getCommandLine().getCommandSpec()));
        }
        return "";
    }

    /**
     * "; --port is an option of churn monitor and churn serve, not of churn run": an option another command has, given to
     * this one, was answered with the nearest spellings of this one's ("did you mean --cert or --out?", QA 2026-12-06).
     */
    static String elsewhere(String typed, CommandLine here) {
        String name = typed.contains("=") ? typed.substring(0, typed.indexOf('=')) : typed;
        CommandLine root = here;
        while (root.getParent() != null) {
            root = root.getParent();
        }
        List<String> owners = new ArrayList<>();
        collectOwners(root, name, here, owners);
        if (owners.isEmpty()) {
            return "";
        }
        return "; " + name + " is an option of " + String.join(" and ", owners) + ", not of "
                + here.getCommandSpec().qualifiedName();
    }

    private static void collectOwners(CommandLine cl, String name, CommandLine except, List<String> owners) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub != except && sub.getCommandSpec().findOption(name) != null && !owners.contains(sub.getCommandSpec().qualifiedName())) {
                owners.add(sub.getCommandSpec().qualifiedName());
            }
            collectOwners(sub, name, except, owners);
        }
    }

    static String oneLine(String s) {
        // Escaped: messages quote arguments and files, and an escape sequence in either reached the terminal (QA, 2026-12-06)
        return s == null ? "" : shortened(Printable.escape(s.strip().replaceAll("\\s*\\R\\s*", " ")));
    }

    /** Longer than any message of churn's own words: what is past it is a value quoted whole. */
    static final int LONGEST_MESSAGE = 2_000;

    /**
     * A message that quotes a huge value is cut, saying how much: a 100 KB --target was echoed whole, twice, as the
     * "one line" of its refusal (QA, 2026-12-06).
     */
    static String shortened(String message) {
        if (message.length() <= LONGEST_MESSAGE) {
            return message;
        }
        int keep = LONGEST_MESSAGE - 200;
        return message.substring(0, keep) + String.format(java.util.Locale.ROOT, " [... %,d characters of this message left out ...] ",
                message.length() - keep - 150) + message.substring(message.length() - 150);
    }
}
