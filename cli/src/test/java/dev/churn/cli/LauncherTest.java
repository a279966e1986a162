package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The launcher ({@code ./churn}) finds a JDK by asking each candidate its version. It runs its own
 * {@code java_major} here against this JVM, as the launcher would, without building anything.
 */
class LauncherTest {

    /**
     * With JAVA_TOOL_OPTIONS set (containers and CI set it), every JVM first says "Picked up
     * JAVA_TOOL_OPTIONS: ..."; reading the version from the first line found none, and the
     * launcher refused to start, saying it needed a JDK 25.
     */
    @ParameterizedTest(name = "JAVA_TOOL_OPTIONS=''{0}''")
    @ValueSource(strings = {"", "-Xss1m"})
    void theJdkVersionIsReadWhateverTheJvmSaysFirst(String toolOptions) throws Exception {
        Path launcher = root().resolve("churn");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                "eval \"$(sed -n '/^java_major()/,/^}/p' \"$1\")\" && java_major \"$2\"", "test", launcher.toString(), java);
        Map<String, String> env = pb.environment();
        env.remove("JAVA_TOOL_OPTIONS");
        if (!toolOptions.isEmpty()) {
            env.put("JAVA_TOOL_OPTIONS", toolOptions);
        }
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "java_major ended");
        assertEquals(0, p.exitValue(), out);
        assertEquals(Integer.toString(Runtime.version().feature()), out);
    }

    private static Path root() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("churn")) && Files.isDirectory(d.resolve("cli"))) {
                return d;
            }
        }
        throw new AssertionError("no ./churn above " + Path.of("").toAbsolutePath());
    }
}
