package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's chromium, headless, for tests that check a page really renders: {@link #assumeInstalled}
 * skips with a reason when it is missing (CI installs it), {@link #run} loads a file and returns
 * what chromium printed (the DOM with {@code --dump-dom}). The flags are the ones this machine's
 * closed network needs: no background networking, no QUIC, a fresh profile.
 */
final class HeadlessChromium {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private HeadlessChromium() {}

    static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + " (apt-get install chromium)");
    }

    /** Loads {@code html} with these extra flags; fails the test when chromium fails or hangs (90 s). */
    static String run(Path tmp, Path html, String... flags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium"),
                "--virtual-time-budget=5000"));
        cmd.addAll(List.of(flags));
        cmd.add(html.toUri().toString());
        Path log = Files.createTempFile(tmp, "chromium", ".log");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s");
        }
        String err = Files.readString(log);
        assertEquals(0, p.exitValue(), () -> "chromium failed: " + err);
        return new String(out, StandardCharsets.UTF_8);
    }
}
