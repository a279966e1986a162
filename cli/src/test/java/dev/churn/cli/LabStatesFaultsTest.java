package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.lab.StateWalk;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code churn lab states} under faults: a bad or existing --html FILE is refused before the walk, a
 * full disk loses the page and not the walk, a loopback that is down ends the walk in seconds with a
 * hint, and Ctrl-C shows the scenarios that finished.
 */
class LabStatesFaultsTest {

    static final String HINT = "loopback is down or drops packets: ip link show lo";

    @TempDir
    Path tmp;

    @Test
    void anExistingHtmlFileIsRefusedWithoutForceAndReplacedWithIt() throws Exception {
        Path file = Files.writeString(tmp.resolve("summary.json"), "{\"keep\": true}");
        RunCommandTest.Cli c = new RunCommandTest.Cli();

        assertEquals(2, c.run("lab", "states", "--html", file.toString()), c.err::toString);
        assertEquals(List.of("churn lab states: --html: " + file + " exists; add --force to replace it"),
                c.err.toString().lines().toList());
        assertEquals("", c.out.toString(), "nothing walked");
        assertEquals("{\"keep\": true}", Files.readString(file));

        RunCommandTest.Cli f = new RunCommandTest.Cli();
        int code = f.run("lab", "states", "--html", file.toString(), "--force");
        assertEquals(timeWaitTableWasFull(f) ? 1 : 0, code, f.err::toString);
        assertTrue(Files.readString(file).contains("data-steps="), "the page replaced the file");
    }

    /**
     * A walk on a machine whose TIME_WAIT table is full (a crowded CI namespace) cannot see its timewait ends: it says
     * so and exits 1, which StateWalkTest checks. The file handling here holds either way.
     */
    private static boolean timeWaitTableWasFull(RunCommandTest.Cli c) {
        return c.out.toString().contains("the kernel's TIME_WAIT table was full");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "DIR", "DIR/missing/states.html", "/proc/states.html"})
    void aHtmlPathThatCannotBeWrittenIsOneLineAndExitTwoBeforeTheWalk(String given) {
        String html = given.replace("DIR", tmp.toString());
        RunCommandTest.Cli c = new RunCommandTest.Cli();

        assertEquals(2, c.run("lab", "states", "--html", html), c.err::toString);
        List<String> err = c.err.toString().lines().toList();
        assertEquals(1, err.size(), c.err::toString);
        assertTrue(err.getFirst().startsWith("churn lab states: --html: "), err::toString);
        assertEquals("", c.out.toString(), "nothing walked");
    }

    @Test
    void aFullDiskLosesThePageNotTheWalk() throws Exception {
        try (SmallTmpfs fs = SmallTmpfs.mount(tmp, 64).fillLeaving(8)) { // the page needs about 23 KB
            Path html = fs.path().resolve("states.html");
            RunCommandTest.Cli c = new RunCommandTest.Cli();

            assertEquals(1, c.run("lab", "states", "--html", html.toString()), () -> c.err + "\n" + c.out);
            assertTrue(c.out.toString().contains("== server never closes =="), c.out::toString);
            assertTrue(timeWaitTableWasFull(c) || c.out.toString().contains("every state the kernel reported is the one TCP"
                    + " prescribes"), c.out::toString);
            String last = c.err.toString().lines().reduce((a, b) -> b).orElse("");
            assertTrue(last.startsWith("churn lab states: --html: cannot write " + html + ": No space left on device"), last);
            assertTrue(last.endsWith("; the walk is on standard output"), last);
            try (Stream<Path> left = Files.list(fs.path())) {
                assertEquals(List.of("filler"), left.map(p -> p.getFileName().toString()).toList(), "no page, no temporary file");
            }
        }
    }

    /** QA's case: lo brought up then down, so SYNs go nowhere; the walk used to block in connect forever. */
    @Test
    void aLoopbackThatDropsPacketsEndsTheWalkInSecondsWithAHint() throws Exception {
        long t0 = System.nanoTime();
        PrivateNetns.Ended e = PrivateNetns.churn(tmp, "ip link set lo down", 30, "lab", "states");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);

        assertEquals(1, e.exitCode(), e.console());
        assertTrue(e.console().contains("churn lab states: three-way handshake: connect got no answer in "
                + StateWalk.IO_TIMEOUT.toSeconds() + " s (" + HINT + ")"), e.console());
        assertTrue(seconds < StateWalk.IO_TIMEOUT.toSeconds() + 10, "ended after " + seconds + " s");
        assertFalse(e.console().contains("stopped after"), "nothing finished, so nothing is shown: " + e.console());
    }

    @Test
    void aLoopbackNeverBroughtUpSaysSoWithTheSameHint() throws Exception {
        PrivateNetns.Ended e = PrivateNetns.churn(tmp, false, "", 30, "lab", "states");

        assertEquals(1, e.exitCode(), e.console());
        assertTrue(e.console().contains("churn lab states: three-way handshake: connect failed: Network is unreachable ("
                + HINT + ")"), e.console());
    }

    /**
     * Ctrl-C after the first scenario: the scenarios that finished are printed with the stop line.
     * Deterministic: the signal goes as the second scenario starts ("walking: ..." on standard error), and
     * the five after it take far longer (a 300 ms pause, zero windows to fill) than the shutdown hook needs
     * to print. SIGINT itself when this test's JVM lets its children have it; when it was started ignoring
     * SIGINT (a background job), a child cannot catch it, and SIGTERM runs the same hook (exit 143).
     */
    @Test
    void ctrlCMidWalkPrintsTheScenariosThatFinishedAndAStopLine() throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "lab", "states");
        Path out = tmp.resolve("out.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).start();
        boolean sigint = !ignoresSigint(p.pid());
        List<String> err = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                err.add(line);
                if (line.equals("walking: " + StateWalk.SCENARIOS.get(1))) {
                    new ProcessBuilder("kill", sigint ? "-INT" : "-TERM", Long.toString(p.pid())).start().waitFor();
                }
            }
        } finally {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        String stdout = Files.readString(out);
        assertEquals(sigint ? 130 : 143, p.exitValue(), () -> String.join("\n", err) + "\n" + stdout);

        Matcher m = Pattern.compile("(?m)^stopped after (\\d+) of 7 scenarios \\(Ctrl-C or SIGTERM\\); the scenario in progress is not shown$")
                .matcher(stdout);
        assertTrue(m.find(), stdout);
        int finished = Integer.parseInt(m.group(1));
        assertTrue(finished >= 1 && finished < 7, stdout);
        assertTrue(stdout.startsWith("== three-way handshake =="), stdout);
        assertEquals(finished, stdout.lines().filter(l -> l.startsWith("== ")).count(), "only whole scenarios: " + stdout);
        assertFalse(stdout.contains("every state the kernel reported"), stdout);
    }

    // SigIgn in /proc/PID/status is a hex mask; SIGINT (2) is its second bit. Read once the child runs.
    private static boolean ignoresSigint(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 2) != 0;
            }
        }
        return false;
    }
}
