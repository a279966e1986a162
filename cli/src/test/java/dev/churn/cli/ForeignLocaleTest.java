package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.result.SummaryJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run in a German locale counts its failures in the classes an English one does: the JDK words a failed socket call
 * in the C library's language, and a refused connect, 'Verbindungsaufbau abgelehnt', counted as 'other' (20 of 20, a
 * review of 2026-12-07). A child JVM with LANG=de_DE.UTF-8, its locale compiled by localedef into the test's folder.
 */
class ForeignLocaleTest {

    @TempDir
    Path tmp;

    @Test
    void aRefusedConnectIsEconnrefusedUnderAGermanLocale() throws Exception {
        Path locales = tmp.resolve("locales");
        Files.createDirectories(locales);
        Assumptions.assumeTrue(Files.isRegularFile(Path.of("/usr/share/locale/de/LC_MESSAGES/libc.mo"))
                && Files.isRegularFile(Path.of("/usr/share/i18n/locales/de_DE")),
                "no German for the C library here (Debian's locales and libc-l10n)");
        Process def = new ProcessBuilder("localedef", "-i", "de_DE", "-f", "UTF-8", locales.resolve("de_DE.UTF-8").toString())
                .redirectErrorStream(true).start();
        def.getInputStream().readAllBytes();
        Assumptions.assumeTrue(def.waitFor(60, TimeUnit.SECONDS) && Files.isDirectory(locales.resolve("de_DE.UTF-8")),
                "localedef could not compile de_DE.UTF-8");

        Path run = tmp.resolve("run");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", "--target", "127.0.0.1:" + RunCommandTest.closedLoopbackPort(), "--connections", "10",
                "--warmup", "0s", "--no-progress", "--out", run.toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("LC_"));
        pb.environment().put("LOCPATH", locales.toString());
        pb.environment().put("LANG", "de_DE.UTF-8");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child ended");
        assertEquals(ExitCodes.FAILURE, p.exitValue(), err); // nothing completed
        JsonNode failures = SummaryJson.read(run).path("failures");
        List<String> counted = new ArrayList<>();
        failures.properties().forEach(e -> {
            if (e.getValue().path("count").asLong() > 0) {
                counted.add(e.getKey() + " " + e.getValue().path("count").asLong());
            }
        });
        assertEquals(List.of("econnrefused 10"), counted, failures::toString);
    }
}
