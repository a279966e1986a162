package dev.churn.cli;

import static dev.churn.cli.CliRun.churn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.churn.monitor.KnownSockets;
import dev.churn.monitor.StateSeries;
import dev.churn.monitor.TcpState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MonitorCommandTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--interval 0s | --interval | '0s' must be positive, e.g. 200ms or 1s",
        "--port 70000 | --port | '70000' is outside 1..65535",
        "--port , | --port | names no port",
        "--source telepathy | --source | telepathy",
        "--proc-root /nonexistent | --proc-root | '/nonexistent' is not a proc directory (no net/tcp in it)",
        "--port 80, | --port | '80,' has an empty item",
        "--port 80,,443 | --port | '' is not a port",
        "--duration 5parsecs | --duration | '5parsecs' is not a duration",
        "--count 0 | --count | '0' must be at least 1",
        "--once --duration 1s | --once | cannot be combined",
        "--once --interval 5s | --once | drop --interval",
        "--once --force | --force | without --out",
        "--format yaml | --format | yaml",
        "--by colour | --by | colour",
        "--top 0 | --top | '0' must be at least 1",
        "--top 5 | --top | ranks the groups of --by or the destinations of --headroom",
        "--by port --top 99999999999 | --top | '99999999999' is too large (at most 2147483647)",
        "--out /tmp | --out | is a folder; name a file in it, e.g. /tmp/states.txt",
        "--out /tmp --format csv | --out | e.g. /tmp/states.csv",
        "--by process --source oshi | --by | no per-socket rows"
    })
    void badInputIsOneLineAndExitTwo(String args, String option, String reason) {
        CliRun r = churn(Stream.concat(Stream.of("monitor"), Stream.of(args.split(" "))).toArray(String[]::new));
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.getFirst().startsWith("churn monitor: "), r.err());
        assertTrue(lines.getFirst().contains(option), r.err());
        assertTrue(lines.getFirst().contains(reason), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        assertEquals("", r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "proc", "netlink"})
    void onceJsonCountsExactlyTheKnownSockets(String source) throws Exception {
        // Up to three ports: --port filters by the port alone, and the other test JVM's listener may get the same number
        // on another loopback address (bind(0) takes a port in use where the addresses differ) and churn on it: 8
        // strangers' TIME_WAIT on the port, 1.5 s after it settled clean, in a full build (2026-12-07). A source that
        // miscounts does so on every port.
        List<String> wrong = new java.util.ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            try (KnownSockets known = KnownSockets.ipv4(2, 1, 3)) {
                settle(known);
                CliRun r = churn("monitor", "--once", "--format", "json", "--source", source, "--port", Integer.toString(known.port()));
                assertEquals(ExitCodes.OK, r.code(), r.err());
                List<String> lines = r.out().lines().toList();
                assertEquals(1, lines.size(), r.out());
                String json = lines.getFirst();
                assertTrue(json.matches("\\{\"time\": \\d{13}, \"source\": \"(netlink|proc)\", \"states\": \\{.*\\}, "
                        + "\"sockstat\": \\{\"tw\": \\d+, \"inuse\": \\d+, \"orphan\": \\d+\\}, \"sampleMicros\": \\d+, \"intervalMicros\": null\\}"), json);
                if (!source.equals("auto")) {
                    assertTrue(json.contains("\"source\": \"" + source + "\""), json);
                }
                List<String> off = new java.util.ArrayList<>();
                for (TcpState s : TcpState.values()) {
                    if (known.expected().get(s) != count(json, s)) {
                        off.add(s + " " + count(json, s) + " for " + known.expected().get(s));
                    }
                }
                if (off.isEmpty()) {
                    return;
                }
                wrong.add("port " + known.port() + ": " + off + " in " + json);
            }
        }
        org.junit.jupiter.api.Assertions.fail("three ports miscounted: " + wrong);
    }

    @Test
    void csvStreamsTheHeaderThenARowPerSample() throws Exception {
        try (KnownSockets known = KnownSockets.ipv4(1, 0, 0)) {
            settle(known);
            CliRun r = churn("monitor", "--format", "csv", "--interval", "200ms", "--duration", "1s",
                    "--port", Integer.toString(known.port()));
            assertEquals(ExitCodes.OK, r.code(), r.err());
            List<String> lines = r.out().lines().toList();
            assertEquals(StateSeries.CSV_HEADER, lines.getFirst());
            List<String> rows = lines.subList(1, lines.size());
            assertTrue(rows.size() >= 4 && rows.size() <= 7, "rows: " + rows.size() + "\n" + r.out());
            for (String row : rows) {
                String[] cells = row.split(",", -1);
                assertEquals(15, cells.length, row);
                assertEquals("2", cells[1 + TcpState.ESTABLISHED.ordinal()], row);
                assertEquals("1", cells[1 + TcpState.LISTEN.ordinal()], row);
            }
            // The stop's final sample is left out when the last tick has just come: no near-copy 4 ms after it.
            for (String row : rows.subList(1, rows.size())) {
                long intervalMicros = Long.parseLong(row.substring(row.lastIndexOf(',') + 1));
                assertTrue(intervalMicros >= 100_000, "a sample " + intervalMicros + " µs after the one before:\n" + r.out());
            }
            // a crowded socket table (other processes' TIME_WAIT) may stretch the interval: said once, nothing else
            assertTrue(r.err().isEmpty() || r.err().lines().toList().equals(List.of(r.err().strip()))
                    && r.err().startsWith("churn monitor: note: --interval 200ms cannot be kept"), r.err());
        }
    }

    @Test
    void outWritesACompleteFileAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("states.json");
        Files.writeString(file, "stale content from an earlier run\n");
        try (KnownSockets known = KnownSockets.ipv4(1, 1, 0)) {
            settle(known);
            CliRun r = churn("monitor", "--format", "json", "--interval", "100ms", "--count", "3",
                    "--port", Integer.toString(known.port()), "--out", file.toString(), "--force");
            assertEquals(ExitCodes.OK, r.code(), r.err());
            assertEquals("", r.out());
            List<String> lines = Files.readAllLines(file);
            assertEquals(3, lines.size(), String.join("\n", lines));
            for (String line : lines) {
                assertTrue(line.startsWith("{\"time\": ") && line.endsWith("}"), line);
                assertEquals(1, count(line, TcpState.CLOSE_WAIT), line);
            }
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(file), files.toList());
            }
        }
    }

    @Test
    void tableToAPipeIsPlainLines() throws Exception {
        try (KnownSockets known = KnownSockets.ipv4(1, 0, 2)) {
            settle(known);
            CliRun r = churn("monitor", "--interval", "100ms", "--count", "3", "--port", Integer.toString(known.port()));
            assertEquals(ExitCodes.OK, r.code(), r.err());
            assertFalse(r.out().contains("\u001b"), r.out());
            List<String> lines = r.out().lines().toList();
            assertEquals(4, lines.size(), r.out());
            assertTrue(lines.getFirst().startsWith("churn monitor · source "), lines.getFirst());
            assertTrue(lines.getFirst().contains("port " + known.port() + " · family all · every 100ms"), lines.getFirst());
            for (String line : lines.subList(1, 4)) {
                assertTrue(line.contains(" ESTABLISHED=2 ") && line.contains(" TIME_WAIT=2 ") && line.contains(" LISTEN=1 "), line);
            }
        }
    }

    @Test
    void onceTableIsTheWholeBlock() throws Exception {
        try (KnownSockets known = KnownSockets.ipv4(0, 1, 0)) {
            settle(known);
            CliRun r = churn("monitor", "--once", "--port", Integer.toString(known.port()), "--family", "ipv4");
            assertEquals(ExitCodes.OK, r.code(), r.err());
            assertTrue(r.out().contains(String.format("%-12s %10d %10d", "CLOSE_WAIT", 1, 1)), r.out());
            assertTrue(r.out().contains(String.format("%-12s %10d %10d", "FIN_WAIT2", 1, 1)), r.out());
            // one sample, so the title names no interval
            assertTrue(r.out().contains("family ipv4 · one sample\n"), r.out());
            assertFalse(r.out().contains(" · every "), r.out());
            assertFalse(r.out().contains("\u001b"), r.out());
        }
    }

    /** --port takes a list, and a port given twice is one port: named once in the title, its sockets counted once. */
    @Test
    void portsListedOrRepeatedAreEachCountedOnce() throws Exception {
        try (KnownSockets known = KnownSockets.ipv4(0, 1, 0)) {
            settle(known);
            int p = known.port();
            CliRun r = churn("monitor", "--once", "--port", p + ",1", "--port", Integer.toString(p), "--family", "ipv4");
            assertEquals(ExitCodes.OK, r.code(), r.err());
            assertTrue(r.out().contains(" · ports 1, " + p + " · "), r.out());
            assertTrue(r.out().contains(String.format("%-12s %10d %10d", "CLOSE_WAIT", 1, 1)), r.out());
        }
    }

    @Test
    void theOtherFamilySeesNone() throws Exception {
        try (KnownSockets known = KnownSockets.ipv4(1, 0, 0)) {
            settle(known);
            CliRun r = churn("monitor", "--once", "--format", "json", "--family", "ipv6", "--port", Integer.toString(known.port()));
            assertEquals(ExitCodes.OK, r.code(), r.err());
            assertEquals(0, count(r.out(), TcpState.ESTABLISHED), r.out());
            assertEquals(0, count(r.out(), TcpState.LISTEN), r.out());
        }
    }

    @Test
    void helpSaysThatNoPortMeansAllPorts() {
        CliRun r = churn("monitor", "--help");
        assertEquals(ExitCodes.OK, r.code());
        assertTrue(r.out().replaceAll("\\s+", " ").contains("Without --port every TCP socket of the machine is counted (all ports)"), r.out());
    }

    @Test
    void terminatingTheStreamFinishesTheOutFile(@TempDir Path dir) throws Exception {
        // SIGTERM runs the same shutdown hook as Ctrl-C's SIGINT: the file must end complete and renamed.
        Path file = dir.resolve("live.csv");
        try (KnownSockets known = KnownSockets.ipv4(1, 0, 0)) {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "monitor", "--format", "csv", "--interval", "100ms", "--port", Integer.toString(known.port()),
                    "--out", file.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("console.txt").toFile())
                    .start();
            try {
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (tempLines(file) < 4 && p.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(p.isAlive(), () -> "monitor ended by itself: " + read(dir.resolve("console.txt")));
                assertFalse(Files.exists(file), "renamed before the end");
                p.destroy();
                assertTrue(p.waitFor(20, TimeUnit.SECONDS), "monitor did not end on SIGTERM");
            } finally {
                p.destroyForcibly();
            }
            List<String> lines = Files.readAllLines(file);
            assertEquals(StateSeries.CSV_HEADER, lines.getFirst());
            assertTrue(lines.size() >= 4, lines.toString());
            for (String row : lines.subList(1, lines.size())) {
                assertEquals(15, row.split(",", -1).length, row);
                assertEquals("2", row.split(",")[1 + TcpState.ESTABLISHED.ordinal()], row);
            }
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(file), files.filter(f -> !f.endsWith("console.txt")).toList());
            }
        }
    }

    @Test
    void theOshiSourceSaysNothingOnStderrOfItsOwn(@TempDir Path dir) throws Exception {
        // OSHI logs through SLF4J; without a binding SLF4J itself printed three "No SLF4J providers" lines on
        // stderr of every command that used OSHI. In a process of its own, since SLF4J starts once per JVM.
        try (KnownSockets known = KnownSockets.ipv4(1, 0, 0)) {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "monitor", "--source", "oshi", "--once", "--format", "json", "--port", Integer.toString(known.port()))
                    .redirectOutput(dir.resolve("out.txt").toFile())
                    .redirectError(dir.resolve("err.txt").toFile())
                    .start();
            try {
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "monitor --once did not end");
            } finally {
                p.destroyForcibly();
            }
            assertEquals(ExitCodes.OK, p.exitValue(), read(dir.resolve("err.txt")));
            assertEquals("", read(dir.resolve("err.txt")));
            assertEquals(1, count(read(dir.resolve("out.txt")), TcpState.LISTEN), read(dir.resolve("out.txt")));
        }
    }

    /**
     * A monitor killed with SIGKILL leaves its samples under a hidden temporary name: the next monitor of that --out
     * names the file and its size (nothing pointed to it), and says nothing of a file a live monitor is still writing.
     */
    @Test
    void theSamplesAKilledMonitorLeftAreNamedByTheNextOneOfThatOut(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("long.csv");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "monitor", "--format", "csv", "--interval", "100ms", "--duration", "60s", "--port", "1",
                "--out", file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("console.txt").toFile()).start();
        try {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (tempLines(file) < 3 && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(p.isAlive(), () -> "monitor ended by itself: " + read(dir.resolve("console.txt")));
            // Still being written: another monitor of the same --out is not told it was left behind.
            CliRun beside = churn("monitor", "--count", "1", "--port", "1", "--out", dir.resolve("other.csv").toString());
            assertEquals(ExitCodes.OK, beside.code(), beside.err());
            CliRun same = churn("monitor", "--count", "1", "--port", "1", "--format", "csv", "--force", "--out", file.toString());
            assertEquals(ExitCodes.OK, same.code(), same.err());
            assertFalse(same.err().contains("left when it was stopped"), same.err());
            Files.delete(file);
            p.destroyForcibly(); // SIGKILL: no hook runs
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        Path temp;
        try (Stream<Path> files = Files.list(dir)) {
            temp = files.filter(f -> f.getFileName().toString().startsWith(".long.csv.")).findFirst().orElseThrow();
        }
        long bytes = Files.size(temp);
        CliRun next = churn("monitor", "--count", "1", "--port", "1", "--format", "csv", "--out", file.toString());
        assertEquals(ExitCodes.OK, next.code(), next.err());
        assertTrue(next.err().contains(String.format(Locale.ROOT, "churn monitor: note: %s holds %,d bytes of"
                + " samples that a monitor of this --out left when it was stopped without finishing", temp, bytes)), next.err());
        assertTrue(Files.exists(temp), "nothing is deleted");
        assertTrue(Files.readAllLines(temp).size() >= 3, "the killed monitor's samples");
    }

    /**
     * An --out taken while the monitor ran (another monitor with --force, a user's file): the rename is refused, and
     * the samples stay in the temporary file, which the error names; they were deleted with it (QA, 2026-12-06).
     */
    @Test
    void anOutTakenWhileTheMonitorRanKeepsItsSamplesAndSaysWhere(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("taken.csv");
        java.util.concurrent.CompletableFuture<CliRun> run = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                churn("monitor", "--format", "csv", "--interval", "100ms", "--duration", "2s", "--port", "1",
                        "--out", file.toString()));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (tempLines(file) < 3 && !run.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Files.writeString(file, "someone else's\n");
        CliRun r = run.get(30, TimeUnit.SECONDS);
        assertEquals(ExitCodes.FAILURE, r.code(), r.err());
        assertEquals("someone else's\n", Files.readString(file), "not replaced");
        Matcher kept = Pattern.compile("appeared while it was being written; not replaced; what it holds is kept in (\\S+)"
                + " \\(rename it to keep it\\)").matcher(r.err());
        assertTrue(kept.find(), r.err());
        List<String> lines = Files.readAllLines(Path.of(kept.group(1)));
        assertEquals(StateSeries.CSV_HEADER, lines.getFirst());
        assertTrue(lines.size() >= 4, "the samples: " + lines);
    }

    /**
     * Lines so far in the out file's temporary ({@code .<name>.<random>.tmp}). Only that one: the monitor's check
     * that the folder is writable makes and deletes a temporary of its own, which a listing can catch in between.
     */
    private static long tempLines(Path file) throws IOException {
        String prefix = "." + file.getFileName() + ".";
        try (Stream<Path> files = Files.list(file.getParent())) {
            Path temp = files.filter(f -> f.getFileName().toString().startsWith(prefix) && f.getFileName().toString().endsWith(".tmp"))
                    .findFirst().orElse(null);
            return temp == null ? 0 : Files.readAllLines(temp).size();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static long count(String json, TcpState s) {
        Matcher m = Pattern.compile("\"" + s.name() + "\": (\\d+)").matcher(json);
        assertTrue(m.find(), s + " missing in " + json);
        return Long.parseLong(m.group(1));
    }

    // The kernel settles FINs in microseconds, but the machine is shared: wait, bounded, until it has.
    private static final String TCP_HEADER =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
    private static final String TCP_ROW =
            "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 6719 1 ffff8f3a1b2c573f 100 0 0 10 0\n";

    private static Path procRoot(Path dir, byte[] tcp) throws IOException {
        Files.createDirectories(dir.resolve("net"));
        Files.write(dir.resolve("net").resolve("tcp"), tcp);
        return dir;
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "random", "empty"})
    void aProcRootThatIsNotATcpTableIsRefused(String kind, @TempDir Path dir) throws IOException {
        byte[] tcp = switch (kind) {
            case "garbage" -> "this is\nnot a socket table\n".getBytes();
            case "random" -> {
                byte[] b = new byte[200 * 1024];
                new java.util.Random(5).nextBytes(b);
                yield b;
            }
            default -> new byte[0];
        };
        CliRun r = churn("monitor", "--once", "--proc-root", procRoot(dir, tcp).toString());
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("churn monitor: --proc-root: ") && r.err().contains("is not a TCP table"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void anEmptyTableWithItsHeaderIsNoSocketsAndMalformedRowsAreCountedInAWarning(@TempDir Path dir) throws IOException {
        CliRun empty = churn("monitor", "--once", "--format", "csv", "--proc-root", procRoot(dir.resolve("a"), TCP_HEADER.getBytes()).toString());
        assertEquals(ExitCodes.OK, empty.code(), empty.err());
        assertEquals("", empty.err());
        assertTrue(empty.out().lines().skip(1).findFirst().orElseThrow().matches("\\d+(,0){11},,\\d+,"), empty.out());

        Path mixed = procRoot(dir.resolve("b"), (TCP_HEADER + TCP_ROW + "junk\n   7: short\n").getBytes());
        CliRun r = churn("monitor", "--once", "--format", "csv", "--proc-root", mixed.toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("warning: 2 malformed lines"), r.err());
    }

    /**
     * A proc root with no sys/ (a process's folder, /proc/PID): --headroom took Linux's default port range without a word,
     * and a namespace narrowed to 100 ports showed no client port in use. It says so now; with the range there, nothing.
     */
    @Test
    void headroomSaysWhenTheProcRootHasNoPortRange(@TempDir Path dir) throws IOException {
        Path root = procRoot(dir.resolve("a"), TCP_HEADER.getBytes());
        CliRun r = churn("monitor", "--once", "--headroom", "--proc-root", root.toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.err().contains("cannot read sys/net/ipv4/ip_local_port_range under " + root + ": client ports are taken"
                + " to be Linux's default range, 32768-60999, and tcp_tw_reuse its default, 2; the headroom shown counts on"
                + " them"), r.err());
        Path sysctl = Files.createDirectories(root.resolve("sys/net/ipv4"));
        Files.writeString(sysctl.resolve("ip_local_port_range"), "20000\t20099\n");
        CliRun withRange = churn("monitor", "--once", "--headroom", "--proc-root", root.toString());
        assertEquals("", withRange.err());
        assertTrue(withRange.out().contains("20000"), withRange.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"netlink", "oshi"})
    void procRootWithAnotherSourceIsRefused(String source) {
        CliRun r = churn("monitor", "--once", "--source", source, "--proc-root", "/proc");
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("--proc-root: only the proc source reads it"), r.err());
    }

    @Test
    void anIntervalThatCannotBeKeptIsSaidOnceAndEachRowHasTheActualInterval() {
        // 100 us: a /proc read costs tens of microseconds of CPU, and 5% of one CPU allows 20 times that
        CliRun r = churn("monitor", "--format", "csv", "--interval", "100us", "--count", "4", "--source", "proc");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        List<String> notes = r.err().lines().toList();
        assertEquals(1, notes.size(), r.err());
        assertTrue(notes.getFirst().startsWith("churn monitor: note: --interval 100us cannot be kept: "), r.err());
        List<String> rows = r.out().lines().skip(1).toList();
        assertEquals(4, rows.size(), r.out());
        assertTrue(rows.getFirst().endsWith(","), "the first sample has no interval: " + rows.getFirst());
        for (String row : rows.subList(1, rows.size())) {
            long intervalMicros = Long.parseLong(row.substring(row.lastIndexOf(',') + 1));
            assertTrue(intervalMicros > 100, row);
        }
    }

    /**
     * Why a sample costs too much for --interval is said where the kernel's socket table is the cause: in a namespace
     * sharing the first namespace's table (as every namespace does by default), and not in one made with a small table
     * of its own (tcp_child_ehash_entries set in its parent namespace, never the host's).
     */
    @Test
    void theStretchNoteNamesTheSharedSocketTableAndNotASmallOneOfItsOwn(@TempDir Path dir) throws Exception {
        Path child = Path.of("/proc/sys/net/ipv4/tcp_child_ehash_entries");
        assumeTrue(Files.exists(child), "needs Linux 6.1+");
        // A namespace made from here shares the first namespace's table only while this namespace's setting is 0.
        assumeTrue(Files.readString(child).strip().equals("0"), "tcp_child_ehash_entries is set here: no shared table");
        String[] monitor = {"monitor", "--format", "csv", "--interval", "1ms", "--count", "5", "--port", "9"};
        PrivateNetns.Ended shared = PrivateNetns.churn(dir, "", 60, monitor);
        assertEquals(ExitCodes.OK, shared.exitCode(), shared.console());
        assertTrue(shared.console().contains("cannot be kept: "), shared.console());
        assertTrue(shared.console().replaceAll("\\s+", " ").contains(". Why: each sample walks the kernel's whole table of"
                + " established and TIME_WAIT sockets"), shared.console());
        assertTrue(shared.console().contains("shared with every network namespace"), shared.console());
        PrivateNetns.Ended own = PrivateNetns.churn(dir, "sysctl -qw net.ipv4.tcp_child_ehash_entries=1024"
                + " && exec unshare -n sh -c 'ip link set lo up && exec \"$@\"' sh \"$@\"", 60, monitor);
        assertEquals(ExitCodes.OK, own.exitCode(), own.console());
        assertTrue(own.console().contains("cannot be kept: "), own.console());
        assertFalse(own.console().contains("Why:"), own.console());
    }

    private static void settle(KnownSockets known) throws IOException, InterruptedException {
        try (var source = dev.churn.monitor.StateSources.open(dev.churn.monitor.SourceKind.PROC)) {
            assertEquals(known.expected(), known.settle(source));
        }
    }
}
