package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Ctrl-C or SIGTERM that comes before a command has installed its shutdown hook: the JVM is already ending, and
 * nothing waits for what the command goes on to do, so it must make nothing. {@code churn run} made its folder and
 * reserved its summary's space before its hook, and a SIGTERM in between left a folder holding only a hidden
 * temporary file, which {@code churn report} called a killed run's and a next run given that --out refused (1 of 24
 * signals at random moments). The race is made certain here: {@link ShutdownFirst} starts the JVM's shutdown as the
 * signal does, holds it open with a slow hook of its own, and only then runs the command.
 */
class StopBeforeStartTest {

    @TempDir
    Path tmp;

    /** Starts the shutdown (exit 143, SIGTERM's), waits until it runs, then runs churn with these arguments. */
    public static final class ShutdownFirst {
        public static void main(String[] args) throws Exception {
            CountDownLatch shuttingDown = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
                shuttingDown.countDown();
                try {
                    Thread.sleep(4_000); // the time the command has to make what it should not
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            Thread.ofPlatform().daemon().start(() -> System.exit(143));
            shuttingDown.await();
            Main.main(args);
        }
    }

    private int churnAfterShutdownBegan(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ShutdownFirst.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("output.txt").toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not end: " + Files.readString(tmp.resolve("output.txt")));
        }
        return p.exitValue();
    }

    @Test
    void aRunStoppedBeforeItsHookMakesNoFolder() throws Exception {
        Path out = tmp.resolve("run");
        int exit = churnAfterShutdownBegan("run", "--connections", "100", "--warmup", "0s", "--no-progress", "--out",
                out.toString());
        assertEquals(143, exit);
        assertFalse(Files.exists(out), () -> "a folder was made: " + list(out));
    }

    @Test
    void aComparisonStoppedBeforeItsHookMakesNoFolder() throws Exception {
        Path out = tmp.resolve("compare");
        int exit = churnAfterShutdownBegan("compare", "--vary", "linger=off,0", "--connections", "100", "--warmup", "0s",
                "--out", out.toString());
        assertEquals(143, exit);
        assertFalse(Files.exists(out), () -> "a folder was made: " + list(out));
    }

    @Test
    void aMonitorStoppedBeforeItsHookLeavesNoHiddenFile() throws Exception {
        Path out = tmp.resolve("m").resolve("states.csv");
        Files.createDirectories(out.getParent());
        int exit = churnAfterShutdownBegan("monitor", "--out", out.toString(), "--format", "csv", "--interval", "100ms",
                "--count", "100");
        assertEquals(143, exit);
        // Not its samples under the hidden temporary name, which the next monitor called a killed one's.
        try (var files = Files.list(out.getParent())) {
            List<Path> left = files.toList();
            assertEquals(List.of(), left, () -> "left: " + left);
        }
    }

    private static String list(Path dir) {
        try (var s = Files.walk(dir)) {
            return s.map(Path::toString).toList().toString();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
