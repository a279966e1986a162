package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** churn as its own process, its standard output a pipe whose reader goes away, or a full device. */
class StandardOutputTest {

    private static ProcessBuilder churn(String... args) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    /** `churn monitor | head -2`: the monitor sampled on for good once head had gone (QA, 2026-12-06). */
    @Test
    void aMonitorWhoseReaderWentAwayEndsQuietly() throws Exception {
        Process p = churn("monitor", "--interval", "200ms", "--format", "csv", "--port", "9")
                .redirectError(ProcessBuilder.Redirect.PIPE).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertTrue(out.readLine().startsWith("t_ms,"), "the CSV header");
            out.readLine();
            out.close(); // as head does once it has its lines
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the monitor went on sampling with no one reading");
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), err);
            // Only its own notes (a busy machine may stretch the interval), nothing of the pipe.
            assertTrue(err.lines().allMatch(l -> l.startsWith("churn monitor: note: --interval")), err);
        } finally {
            p.destroyForcibly();
        }
    }

    /** Output cut short by a full disk exited 0 without a word: a script took the cut JSON for a whole one. */
    @Test
    void aFullDeviceIsOneLineAndExitOne() throws Exception {
        Process p = churn("monitor", "--once", "--format", "json", "--port", "9")
                .redirectOutput(new File("/dev/full")).redirectError(ProcessBuilder.Redirect.PIPE).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(ExitCodes.FAILURE, p.exitValue(), err);
        assertEquals("churn: cannot write standard output: No space left on device", err.strip());
    }
}
