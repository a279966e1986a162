package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** "Did you mean": the option a typo was meant to be, in the one line a usage error gets. */
class OptionSuggestionsTest {

    /** Typos a user makes, each with the one option it should suggest (picocli's own got several of these wrong). */
    @ParameterizedTest
    @CsvSource({
        "run, --conections, --connections",
        "run, --tls-resum, --tls-resume",
        "run, --trasnport, --transport",
        "run, --warm-up, --warmup",
        "run, --durations, --duration",
        "run, --closr=server, --closer",
        "serve, --clinets, --clients",
        "monitor, --prot, --port",
    })
    void aTypoGetsTheOptionItWasMeantToBe(String command, String typed, String meant) {
        CliRun run = CliRun.churn(command, typed, "1");
        assertEquals(ExitCodes.USAGE, run.code(), run::err);
        assertEquals(1, run.err().lines().count(), run::err);
        assertTrue(run.err().contains("; did you mean " + meant + "? (see 'churn " + command + " --help')"), run::err);
    }

    @ParameterizedTest
    @CsvSource({
        "'', rn, run, churn",
        "lab, stats, states, churn lab",
        "lab, timewiat, timewait, churn lab",
    })
    void aMisspeltSubcommandGetsTheOneItWasMeantToBe(String parent, String typed, String meant, String named) {
        CliRun run = parent.isEmpty() ? CliRun.churn(typed) : CliRun.churn(parent, typed);
        assertEquals(ExitCodes.USAGE, run.code(), run::err);
        // Not picocli's "Unmatched argument at index 0", which named an index nobody counts (QA, 2026-12-07).
        String said = run.err().strip();
        assertTrue(said.startsWith(named + ": '" + typed + "' is not a command of " + named + " ("), said);
        assertTrue(said.endsWith("); did you mean " + meant + "? (see '" + named + " --help')"), said);
        assertTrue(said.contains(" " + meant + ",") || said.contains(" " + meant + ")") || said.contains("(" + meant + ","), said);
    }

    /** A word a command without subcommands does not take: said as such, each word quoted, one line, exit 2. */
    @Test
    void aWordThatIsNoOptionIsSaidAsSuch() {
        CliRun run = CliRun.churn("run", "--connections", "5", "extra", "more");
        assertEquals(ExitCodes.USAGE, run.code(), run::err);
        assertEquals("churn run: takes options only, not 'extra', 'more' (an option's value follows it: --connections 100)"
                + " (see 'churn run --help')", run.err().strip());
    }

    /** A misspelt value of a closed set: the set, and the member meant. */
    @ParameterizedTest
    @CsvSource({
        "run, --transport, rwa, 'is not blocking, nio, selector, virtual, raw or epoll; did you mean raw?'",
        "run, --closer, serer, 'is not client, server, abort, half or never; did you mean server?'",
        "monitor, --by, proces, 'is not port, peer, remote, side or process; did you mean process?'",
        "monitor, --format, cvs, 'is not table, json or csv; did you mean csv?'",
        "monitor, --family, ip4, 'is not all, ipv4 or ipv6; did you mean ipv4?'",
        "run, --format, jsn, 'is not table or json; did you mean json?'",
    })
    void aMisspeltValueGetsTheOneItWasMeantToBe(String command, String option, String typed, String said) {
        CliRun run = CliRun.churn(command, option, typed);
        assertEquals(ExitCodes.USAGE, run.code(), run::err);
        assertEquals(1, run.err().lines().count(), run::err);
        assertTrue(run.err().contains("'" + typed + "' " + said + " (see 'churn " + command + " --help')"), run::err);
    }

    @Test
    void somethingFarFromEveryOptionGetsNoGuess() {
        CliRun run = CliRun.churn("run", "--zzz");
        assertEquals(ExitCodes.USAGE, run.code(), run::err);
        assertEquals("churn run: Unknown option: '--zzz' (see 'churn run --help')", run.err().strip());
    }

    /** Another command's option given to this one is named as theirs, not answered with near spellings (QA, 2026-12-06). */
    @Test
    void anotherCommandsOptionIsNamedAsTheirs() {
        CliRun run = CliRun.churn("run", "--port", "9000");
        assertEquals(ExitCodes.USAGE, run.code(), run::err);
        assertTrue(run.err().strip().endsWith("; --port is an option of churn serve and churn monitor, not of churn run"
                + " (see 'churn run --help')") || run.err().strip().endsWith("; --port is an option of churn monitor and"
                + " churn serve, not of churn run (see 'churn run --help')"), run::err);
        assertTrue(CliRun.churn("monitor", "--target", "127.0.0.1:80").err().contains("; --target is an option of churn run"));
    }

    /** compare passes unknown options on to run: a misspelt option of compare's own is still found. */
    @Test
    void compareSuggestsItsOwnOptionsToo() {
        CliRun run = CliRun.churn("compare", "--vary", "transport=blocking,raw", "--repeats", "3");
        assertEquals(ExitCodes.USAGE, run.code(), run::err);
        assertTrue(run.err().strip().endsWith("Unknown options: '--repeats', '3'; did you mean --repeat?"), run::err);
    }

    @Test
    void compareSuggestsAVaryKey() {
        CliRun run = CliRun.churn("compare", "--vary", "trasport=raw,blocking");
        assertEquals(ExitCodes.USAGE, run.code(), run::err);
        assertTrue(run.err().strip().endsWith("tls-groups, tls-key, warmup; did you mean transport?"), run::err);
    }

    @Test
    void aPrefixComesBeforeAnEditAndOnlyTheClosestAreGiven() {
        List<String> names = List.of("--port", "--ports", "--sort", "--part", "--proc-root");
        assertEquals(List.of("--port"), OptionSuggestions.closest("--portz", names), "a prefix beats one edit");
        assertEquals(List.of("--part", "--port"), OptionSuggestions.closest("--pxrt", names), "ties, at most two");
        assertEquals(List.of("server"), OptionSuggestions.closest("serer", List.of("server", "never")), "never is two edits away");
        assertEquals(List.of(), OptionSuggestions.closest("--x", names), "too short to guess at");
        assertEquals(List.of(), OptionSuggestions.closest("-p", names), "short options are not guessed");
        assertEquals(List.of("--ports"), OptionSuggestions.closest("--PORTS=3", List.of("--ports", "--zzzzzz")));
        assertEquals(List.of(), OptionSuggestions.closest("--ports", List.of("ports")), "an option is not taken for a subcommand");
        assertEquals(List.of(), OptionSuggestions.closest("x", List.of("ab", "xy")), "one letter is not guessed at");
    }
}
