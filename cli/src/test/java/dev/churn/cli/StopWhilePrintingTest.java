package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.churn.bench.lab.NetNamespace;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Ctrl-C or SIGTERM while a lab prints its finished table: the table comes out whole. The labs print once, at their end
 * or from their shutdown hook; a hook that found the end's printing under way returned at once, and the JVM ended in
 * the middle of it ({@code churn lab timewait}: two of four rows and no last line, exit 130, 1 of 24 signals at random
 * moments). {@link SignalOnFirstWrite} makes the moment certain: its standard output starts the JVM's shutdown, as the
 * signal does, at the first write, and is slow from there on.
 */
class StopWhilePrintingTest {

    @TempDir
    Path tmp;

    /** Runs churn with standard output that starts the shutdown (exit 143, SIGTERM's) at its first write. */
    public static final class SignalOnFirstWrite {
        public static void main(String[] args) {
            OutputStream real = new FileOutputStream(FileDescriptor.out);
            AtomicBoolean signalled = new AtomicBoolean();
            OutputStream slow = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    real.write(b, off, len);
                    real.flush();
                    try {
                        if (!signalled.getAndSet(true)) {
                            Thread.ofPlatform().daemon().start(() -> System.exit(143));
                            while (!StopHook.stopping()) {
                                Thread.sleep(5);
                            }
                            Thread.sleep(300); // the hooks are running: the lab's has asked to print
                        } else {
                            Thread.sleep(100);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(new OutputStreamWriter(slow, StandardCharsets.UTF_8), true));
            System.exit(cl.execute(args));
        }
    }

    private record Ended(int exit, String out, String err) {
        /** Both streams, for a failure's message. */
        String both() {
            return out + "\n(standard error:)\n" + err;
        }
    }

    private Ended signalledWhilePrinting(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                // JMH's lock file goes here: a suite of another test in the other fork holds the machine's
                "-Djava.io.tmpdir=" + tmp, SignalOnFirstWrite.class.getName()));
        cmd.addAll(List.of(args));
        Path out = tmp.resolve("out.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(tmp.resolve("err.txt").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not end: " + Files.readString(out));
        }
        return new Ended(p.exitValue(), Files.readString(out), Files.readString(tmp.resolve("err.txt")));
    }

    @Test
    void theTimewaitLabsTableComesOutWhole() throws Exception {
        assumeTrue(NetNamespace.permitted(), "network namespaces need root");
        Ended e = signalledWhilePrinting("lab", "timewait");
        assertEquals(143, e.exit(), e::both);
        assertEquals(4, e.out().lines().filter(l -> l.matches("\\s+\\d+ s  (TIME_WAIT|FIN_WAIT2) .*")).count(), e::both);
        assertTrue(e.out().contains("TIME_WAIT's timer is 60 s whatever tcp_fin_timeout says"), e::both);
    }

    @Test
    void thePortExhaustionLabsTableComesOutWhole() throws Exception {
        assumeTrue(NetNamespace.permitted(), "network namespaces need root");
        // The smallest load the lab takes: 6 runs of 16 cycles at 6/s, about 16 s.
        Ended e = signalledWhilePrinting("lab", "exhaust", "--ports", "8", "--cycles", "16", "--rate", "6");
        assertEquals(143, e.exit(), e::both);
        assertTrue(e.out().contains("client bind + SO_REUSEADDR"), e::both); // the last run's row
        assertTrue(e.out().lines().anyMatch(l -> l.startsWith("the baseline ran out") || l.startsWith("unexpected: ")),
                e.out());
    }

    @Test
    void theBenchTableComesOutWhole(@TempDir Path results) throws Exception {
        // The smallest suite: one configuration of one benchmark, a short fork. Its table was printed after the hook
        // was removed, so the JVM ended part way through it.
        Ended e = signalledWhilePrinting("bench", "--preset", "smoke", "--include", "CrrBenchmark.crr", "--out",
                results.toString());
        assertEquals(143, e.exit(), e::both);
        assertTrue(e.out().lines().anyMatch(l -> l.startsWith("JMH's log: ")), e::both); // the table's last line
    }

    @Test
    void theStatesWalkComesOutWhole() throws Exception {
        Ended e = signalledWhilePrinting("lab", "states");
        assertEquals(143, e.exit(), e::both);
        assertTrue(e.out().contains("every state the kernel reported is the one TCP prescribes"), e::both);
    }
}
