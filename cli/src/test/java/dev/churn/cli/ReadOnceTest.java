package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        List<String> args = ReadOnce.pipesToFiles(List.of("--tls", "--truststore", fifo.toString(), "--key=" + regular,
                "--connections", "10"));
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
}
