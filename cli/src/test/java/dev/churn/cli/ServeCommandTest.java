package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.result.SummaryJson;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code churn serve} on a thread, {@code churn run --target} against it, in one JVM. */
class ServeCommandTest {

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path tmp;

    @Test
    void runAgainstServeCompletesEveryConnection() throws Exception {
        RunCommandTest.Cli serve = new RunCommandTest.Cli();
        CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> serve.run("serve", "--duration", "2s"));
        int port = awaitPort(serve);

        RunCommandTest.Cli run = new RunCommandTest.Cli();
        Path dir = tmp.resolve("against-serve");
        int code = run.run("run", "--target", "127.0.0.1:" + port, "--connections", "200", "--out", dir.toString(),
                "--no-progress");

        assertEquals(0, code, run.err::toString);
        JsonNode s = SummaryJson.read(dir);
        assertEquals(200, s.at("/connections/completed").asLong());
        assertEquals("127.0.0.1:" + port, s.at("/scenario/target").asText());
        assertEquals(false, s.at("/scenario/builtInSink").asBoolean());
        assertEquals(0, served.get(20, TimeUnit.SECONDS), serve.err::toString);
        List<String> lines = serve.out.toString().lines().toList();
        Matcher last = Pattern.compile("accepted ([\\d,]+) connections; closed").matcher(lines.getLast());
        assertTrue(last.matches(), serve.out::toString);
        assertTrue(Long.parseLong(last.group(1).replace(",", "")) >= 200, lines.getLast());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--port 70000", "--port -1", "--closer nobody", "--listeners 65", "--bind no.such.host.invalid",
        "--duration 5parsecs"})
    void badInputIsOneLineAndExitTwo(String args) {
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        String[] argv = ("serve " + args).split(" ");
        assertEquals(2, c.run(argv), c.err::toString);
        assertEquals(1, c.err.toString().lines().count(), c.err::toString);
        assertTrue(c.err.toString().startsWith("churn serve: "), c.err::toString);
    }

    private static int awaitPort(RunCommandTest.Cli serve) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(serve.out.toString());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            Thread.sleep(10);
        }
        throw new AssertionError("serve never said where it listens: " + serve.out + serve.err);
    }
}
