package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A named pipe given as --truststore that nothing writes to: said after a moment, where the run hung with no word. So is
 * one given as a password's {@code file:PATH} (--key-password, --truststore-password), which hung with no word until
 * 2026-12-08 (the pipe was not among the files watched).
 */
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

    @Test
    void aKeyPasswordPipeThatNothingWritesToIsSaid() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed (Debian package openssl)");
        Path cert = tmp.resolve("c.pem");
        Path key = tmp.resolve("k-enc.pem");
        Process made = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(),
                "-out", cert.toString(), "-passout", "pass:s3cret-9").redirectErrorStream(true).start();
        String said = new String(made.getInputStream().readAllBytes());
        assertEquals(0, made.waitFor(), said);
        Path fifo = tmp.resolve("pw.pipe");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(), "mkfifo");
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        CompletableFuture<Integer> serve = CompletableFuture.supplyAsync(() -> c.run("serve", "--tls", "1.3", "--cert",
                cert.toString(), "--key", key.toString(), "--key-password", "file:" + fifo, "--port", "0", "--duration", "1s"));
        awaitSaid(c, "churn serve: waiting for " + fifo + ": a named pipe that nothing has opened for writing yet", serve);
        Files.writeString(fifo, "guess\n"); // read: a wrong password, one line and exit 2
        assertEquals(ExitCodes.USAGE, (int) serve.get(30, TimeUnit.SECONDS), c.err::toString);
        assertTrue(c.err.toString().contains("--key-password does not open it"), c.err::toString);
    }

    @Test
    void aTruststorePasswordPipeThatNothingWritesToIsSaid() throws Exception {
        Path fifo = tmp.resolve("pw.pipe");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(), "mkfifo");
        Path store = Files.writeString(tmp.resolve("trust.pem"), "not a certificate\n");
        int closed = RunCommandTest.closedLoopbackPort();
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> c.run("run", "--tls", "1.3", "--target",
                "127.0.0.1:" + closed, "--truststore", store.toString(), "--truststore-password", "file:" + fifo,
                "--connections", "1", "--warmup", "0s", "--no-progress", "--out", tmp.resolve("r").toString()));
        awaitSaid(c, "churn run: waiting for " + fifo + ": a named pipe that nothing has opened for writing yet", run);
        Files.writeString(fifo, "x\n");
        assertEquals(ExitCodes.USAGE, (int) run.get(30, TimeUnit.SECONDS), c.err::toString); // the store is no store
    }

    private static void awaitSaid(RunCommandTest.Cli c, String said, CompletableFuture<Integer> command) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!c.err.toString().contains(said) && !command.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(c.err.toString().contains(said), c.err::toString);
    }
}
