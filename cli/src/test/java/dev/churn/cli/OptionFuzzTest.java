package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The CLI fuzz cases of issue 11, kept: wrong types, negative, zero and huge numbers, Unicode
 * digits and empty strings for the options of every command. Each is bad input, so each must end
 * with exit 2, exactly one line on standard error naming the command, no stack trace, and nothing
 * done (nothing on standard output).
 */
class OptionFuzzTest {

    // Arabic-Indic three, fullwidth one, Devanagari five: Character.digit takes all of them.
    private static final String ARABIC_3 = "\u0663";
    private static final String FULLWIDTH_1 = "\uFF11";
    private static final String DEVANAGARI_5 = "\u096B";
    private static final String HUGE = "99999999999999999999";

    static Stream<Arguments> badInput() {
        return Stream.of(
                // run: whole numbers
                bad("run", "--connections", ARABIC_3),
                bad("run", "--connections", FULLWIDTH_1 + "0"),
                bad("run", "--connections", "0"),
                bad("run", "--connections", "-1"),
                bad("run", "--connections", HUGE),
                bad("run", "--connections", ""),
                bad("run", "--connections", "1.5"),
                bad("run", "--connections", "ten"),
                bad("run", "--concurrency", ARABIC_3),
                bad("run", "--concurrency", "0"),
                bad("run", "--concurrency", "-4"),
                bad("run", "--concurrency", "3000000000"),
                bad("run", "--concurrency", "100001"),
                bad("run", "--max-failures", "-1"),
                bad("run", "--max-failures", DEVANAGARI_5),
                bad("run", "--rcvbuf", "-1"),
                bad("run", "--sndbuf", HUGE),
                bad("run", "--request", ARABIC_3),
                bad("run", "--response", "-1"),
                bad("run", "--backlog", "0"),
                bad("run", "--listeners", ARABIC_3),
                // run: rates
                bad("run", "--rate", "0"),
                bad("run", "--rate", "-5"),
                bad("run", "--rate", "NaN"),
                bad("run", "--rate", "Infinity"),
                bad("run", "--rate", "1e400"),
                bad("run", "--rate", "1e9"),
                bad("run", "--rate", "0x10p0"),
                bad("run", "--rate", "100d"),
                bad("run", "--rate", ARABIC_3 + "00"),
                bad("run", "--rate", ""),
                // run: durations
                bad("run", "--duration", ""),
                bad("run", "--duration", "0s"),
                bad("run", "--duration", "-1s"),
                bad("run", "--duration", "5"),
                bad("run", "--duration", ARABIC_3 + "s"),
                bad("run", "--duration", "1e9h"),
                bad("run", "--duration", HUGE + "h"),
                bad("run", "--warmup", "-1s"),
                bad("run", "--warmup", ""),
                bad("run", "--connect-timeout", "0ms"),
                bad("run", "--interval", "0ms"),
                // run: the rest
                bad("run", "--linger", "-1"),
                bad("run", "--linger", ARABIC_3),
                bad("run", "--linger", ""),
                bad("run", "--linger", HUGE),
                bad("run", "--bind-ports", "2000-1000"),
                bad("run", "--bind-ports", ARABIC_3 + "0000-" + ARABIC_3 + "0001"),
                bad("run", "--bind-ports", ""),
                bad("run", "--bind-ports", "0-10"),
                bad("run", "--target", ""),
                bad("run", "--target", "127.0.0.1:0"),
                bad("run", "--target", "127.0.0.1:" + ARABIC_3),
                bad("run", "--target", "127.0.0.1:" + HUGE),
                bad("run", "--transport", ""),
                bad("run", "--closer", ""),
                bad("run", "--source", ""),
                bad("run", "--format", ""),
                // serve
                bad("serve", "--port", "-1"),
                bad("serve", "--port", "65536"),
                bad("serve", "--port", ARABIC_3),
                bad("serve", "--port", ""),
                bad("serve", "--duration", "0s"),
                bad("serve", "--backlog", "-1"),
                bad("serve", "--listeners", "0"),
                bad("serve", "--listeners", FULLWIDTH_1),
                bad("serve", "--request", HUGE),
                // monitor
                bad("monitor", "--count", ARABIC_3),
                bad("monitor", "--count", "0"),
                bad("monitor", "--count", "-1"),
                bad("monitor", "--count", HUGE),
                bad("monitor", "--count", ""),
                bad("monitor", "--interval", ""),
                bad("monitor", "--interval", "-1ms"),
                bad("monitor", "--duration", ARABIC_3 + "s"),
                bad("monitor", "--port", ARABIC_3),
                bad("monitor", "--port", "0"),
                bad("monitor", "--port", ""),
                bad("monitor", "--family", ""),
                bad("monitor", "--source", "netlink", "--proc-root", "/proc"),
                // bench: all refused before any benchmark runs
                bad("bench", "--preset", ""),
                bad("bench", "--preset", ARABIC_3),
                bad("bench", "--include", "["),
                bad("bench", "--label", ""),
                bad("bench", "--include", "nomatch-at-all"),
                // compare
                bad("compare", "--vary", "connections=1,2", "--repeat", "0"),
                bad("compare", "--vary", "connections=1,2", "--repeat", ARABIC_3),
                bad("compare", "--vary", "connections=1,2", "--repeat", "-1"),
                bad("compare", "--vary", "connections=1,2", "--repeat", HUGE),
                bad("compare", "--vary", ""),
                bad("compare", "--vary", "connections=" + ARABIC_3 + ",2"),
                // report and merge: folders, not numbers
                bad("report", ""),
                bad("report", "/nonexistent/churn-run"),
                bad("merge", "", ""),
                bad("merge", "/nonexistent/a", "/nonexistent/b"),
                // lab: refused before any namespace is made
                bad("lab", "exhaust", "--ports", "0"),
                bad("lab", "exhaust", "--ports", "25537"),
                bad("lab", "exhaust", "--ports", ARABIC_3),
                bad("lab", "exhaust", "--cycles", "-1"),
                bad("lab", "exhaust", "--cycles", ""),
                bad("lab", "exhaust", "--rate", HUGE),
                bad("lab", "hosts", "--clients", ARABIC_3),
                bad("lab", "hosts", "--clients", "0"),
                bad("lab", "hosts", "--clients", HUGE),
                bad("lab", "hosts", "--clients", ""),
                bad("lab", "hosts", "--connections", DEVANAGARI_5),
                bad("lab", "states", "--format", ""));
    }

    @Test
    void concurrencyAndRateAreRefusedAtTheBoundsTheEngineKeeps() {
        // The converter once promised "1 to 2147483647" while the run refused above 100000 in other words.
        assertEquals("churn run: Invalid value for option '--concurrency': '100001' must be a whole number from 1 to "
                + "100,000 (see 'churn run --help')", refusal("run", "--concurrency", "100001"));
        assertEquals("churn run: Invalid value for option '--rate': '1e9' is faster than churn paces: at most "
                + "10,000,000 connections per second (see 'churn run --help')", refusal("run", "--rate", "1e9"));
        // 1e-300 ran for years, and named itself with a label past its own limit (QA, 2026-12-06).
        assertEquals("churn run: Invalid value for option '--rate': '1e-300' is slower than churn paces: at least one"
                + " connection a day (0.0000116 per second), as long as a run may last (see 'churn run --help')",
                refusal("run", "--rate", "1e-300"));
        assertEquals("churn run: Invalid value for option '--rate': '0.00001' is slower than churn paces: at least one"
                + " connection a day (0.0000116 per second), as long as a run may last (see 'churn run --help')",
                refusal("run", "--rate", "0.00001"));
        assertEquals("churn lab exhaust: --ports must be 8 to 9,090 (--cycles, at most 10,000, must be a tenth more than"
                + " --ports to run them out), got 30,000", refusal("lab", "exhaust", "--ports", "30000"));
        assertEquals("churn run: Invalid value for option '--listeners': '65' must be a whole number from 1 to 64 (see"
                + " 'churn run --help')", refusal("run", "--listeners", "65"));
        // A huge value is cut in the one line that quotes it (a 100 KB --target was echoed whole, twice: QA, 2026-12-06).
        String huge = refusal("run", "--target", "127.0.0.1:" + "1".repeat(100_000));
        assertTrue(huge.length() < 2_200 && huge.contains(" characters of this message left out ...] ") && huge.endsWith("(see 'churn run"
                + " --help')"), huge.length() + ": " + huge.substring(0, 200));
        // The option named once (it was "'--tls-key': --tls-key must be ec or rsa"; QA, 2026-12-06).
        assertEquals("churn run: Invalid value for option '--tls-key': 'dsa' is not ec or rsa (see 'churn run --help')",
                refusal("run", "--tls", "--tls-key", "dsa"));
        assertEquals("churn run: Invalid value for option '--tls-provider': 'foo' is not jdk or accp (see 'churn run --help')",
                refusal("run", "--tls", "--tls-provider", "foo"));
        // Past a long's range, the option's own range still (it said "at most 9223372036854775807 either way").
        assertEquals("churn run: Invalid value for option '--listeners': '9223372036854775808' must be a whole number from 1"
                + " to 64 (see 'churn run --help')", refusal("run", "--listeners", "9223372036854775808"));
        assertEquals("churn lab exhaust: --cycles must be 1 to 10,000, got 100,000", refusal("lab", "exhaust", "--cycles", "100000"));
        assertEquals("churn run: --warmup must be at most 24h, got 25h", refusal("run", "--warmup", "25h", "--connections", "10"));
        // Before any namespace or host: 25h was refused by a client's log after the whole lab had started (QA, 2026-12-06).
        assertEquals("churn lab hosts: --duration must be at most 24h, got 25h", refusal("lab", "hosts", "--duration", "25h"));
        // The built-in sink reads 16 KiB of request head: a longer path failed every connection unexplained (QA, 2026-12-06).
        String refused = refusal("run", "--http", "/" + "a".repeat(16_300), "--connections", "10");
        assertTrue(refused.startsWith("churn run: --http: a path of 16,301 characters makes a request head of ")
                && refused.endsWith(" bytes, more than the built-in sink reads (16,384); a --target server may take it"), refused);
        assertEquals("churn lab exhaust: --rate must be 1 to 10,000, got 0", refusal("lab", "exhaust", "--rate", "0"));
    }

    private static String refusal(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        assertEquals(ExitCodes.USAGE, cl.execute(args), err::toString);
        return err.toString().strip();
    }

    /** A command that is only a list of subcommands, run bare: bad input, not help and success. */
    @Test
    void aCommandOfSubcommandsRunBareNamesThemAndExitsTwo() {
        for (String[] args : new String[][] {{}, {"lab"}}) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            assertEquals(ExitCodes.USAGE, cl.execute(args), err::toString);
            assertEquals("", out.toString());
            String want = args.length == 0
                    ? "churn: name a command: run, serve, monitor, bench, compare, report, merge, lab or completion"
                            + " (see 'churn --help')"
                    : "churn lab: name a command: states, timewait, exhaust or hosts (see 'churn lab --help')";
            assertEquals(List.of(want), err.toString().lines().toList());
        }
    }

    private static Arguments bad(String... args) {
        return Arguments.of(String.join(" ", args).replace("  ", " ''"), args);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // bad input is refused at once; a case that runs is a failure
    void badInputIsOneLineAndExitTwo(String shown, String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        List<String> lines = err.toString().lines().toList();
        assertEquals(ExitCodes.USAGE, code, shown + " -> " + err);
        assertEquals(1, lines.size(), shown + " -> " + err);
        assertTrue(lines.getFirst().startsWith("churn "), err.toString());
        assertFalse(err.toString().contains("\tat ") || err.toString().contains("Exception"), err.toString());
        assertEquals("", out.toString(), shown);
    }
}
