package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compare's run options naming a pipe: read once, as `--truststore <(...)` gives its content once. */
class ReadOnceTest {

    @Test
    void aPipeNamedByAFileOptionIsReadOnceIntoAFileEveryRunCanRead(@TempDir Path tmp) throws Exception {
        Path fifo = tmp.resolve("trust.pem");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                Files.writeString(fifo, "-----BEGIN CERTIFICATE-----\n");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Path regular = Files.writeString(tmp.resolve("key.pem"), "key");
        StringWriter said = new StringWriter();
        List<String> args = ReadOnce.pipesToFiles(List.of("--tls", "--truststore", fifo.toString(), "--key=" + regular,
                "--connections", "10"), new PrintWriter(said), "churn compare");
        writer.join(10_000);
        assertNotEquals(fifo.toString(), args.get(2));
        assertTrue(Files.isRegularFile(Path.of(args.get(2))), args::toString);
        // Read as often as each configuration and run will: the same content every time.
        for (int i = 0; i < 3; i++) {
            assertEquals("-----BEGIN CERTIFICATE-----\n", Files.readString(Path.of(args.get(2))));
        }
        assertEquals(List.of("--tls", "--truststore", args.get(2), "--key=" + regular, "--connections", "10"), args,
                "a regular file and the other options as given");
    }

    @Test
    void aPipeThatNothingWritesToIsSaidWhileCompareWaitsForIt(@TempDir Path tmp) throws Exception {
        Path fifo = tmp.resolve("ca.pem");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        StringWriter said = new StringWriter();
        // Its own thread, not the common pool's: were the test to fail while the read waits, that thread stays in open(2)
        // until the finally below writes to the pipe.
        CompletableFuture<List<String>> args = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> args.complete(ReadOnce.pipesToFiles(
                List.of("--truststore=" + fifo), new PrintWriter(said, true), "churn compare")));
        try {
            waitsAndIsSaid(fifo, said, args);
        } finally {
            if (!args.isDone()) { // lets the read end; from a thread of its own, as an open for writing may wait too
                Thread.ofPlatform().daemon().start(() -> {
                    try {
                        Files.writeString(fifo, "");
                    } catch (IOException ignored) {
                        // the test has failed already; this only frees the reader
                    }
                });
            }
        }
    }

    private static void waitsAndIsSaid(Path fifo, StringWriter said, CompletableFuture<List<String>> args) throws Exception {
        String waiting = "churn compare: waiting for " + fifo + ": a named pipe that nothing has opened for writing yet";
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!said.toString().contains(waiting) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(said.toString().contains(waiting), said::toString);
        assertFalse(args.isDone(), "still waiting for its writer");
        Files.writeString(fifo, "late\n");
        String copy = args.get(30, TimeUnit.SECONDS).getFirst().substring("--truststore=".length());
        assertEquals("late\n", Files.readString(Path.of(copy)));
        assertEquals(1, said.toString().lines().count(), "said once: " + said);
    }
}
