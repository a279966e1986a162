package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A named pipe given as --truststore that nothing writes to: said after a moment, where the run hung with no word. */
class PipeWaitTest {

    @TempDir
    Path tmp;

    @Test
    void aTruststorePipeThatNothingWritesToIsSaidAndReadOnceWritten() throws Exception {
        Path fifo = tmp.resolve("trust.pipe");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(), "mkfifo");
        int closed = RunCommandTest.closedLoopbackPort();
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> c.run("run", "--tls", "1.3", "--target",
                "127.0.0.1:" + closed, "--truststore", fifo.toString(), "--connections", "1", "--warmup", "0s",
                "--no-progress", "--out", tmp.resolve("r").toString()));
        String waiting = "churn run: waiting for " + fifo + ": a named pipe that nothing has opened for writing yet";
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!c.err.toString().contains(waiting) && !run.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(c.err.toString().contains(waiting), c.err::toString);
        // Its writer comes: what it writes is read (not a truststore here, so one line and exit 2, not a hang).
        Files.writeString(fifo, "not a certificate\n");
        assertEquals(ExitCodes.USAGE, (int) run.get(30, TimeUnit.SECONDS), c.err::toString);
        assertEquals(2, c.err.toString().strip().lines().count(), c.err::toString);
        assertTrue(c.err.toString().contains("--truststore " + fifo + ": neither PEM certificates nor a PKCS12 or JKS"),
                c.err::toString);
    }
}
