package dev.churn.bench.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A lab host's JVM runs with the lab's own JVM options, as the launcher gave them: started with
 * --enable-native-access alone, {@code lab hosts} measured its clients without -XX:PerMethodTrapLimit=0 and the user's
 * CHURN_JAVA_OPTS.
 */
class HostProcessOptionsTest {

    @Test
    void aHostsJvmTakesTheLabsOptionsButNotItsAgents() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:PerMethodTrapLimit=0", "-Dchurn.probe=1", "-cp",
                System.getProperty("java.class.path"), HostProcessOptions.class.getName()).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the JVM did not exit");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        List<String> cmd = List.of(out.split(" "));
        assertTrue(cmd.contains("-XX:PerMethodTrapLimit=0") && cmd.contains("-Dchurn.probe=1"), out);
        assertEquals(1, cmd.stream().filter(o -> o.equals("--enable-native-access=ALL-UNNAMED")).count(), out);
        assertTrue(cmd.indexOf("-XX:PerMethodTrapLimit=0") < cmd.indexOf("dev.churn.cli.Main"), out);
        assertEquals(List.of("-Xmx64m"), HostProcess.inheritedOptions(List.of("-agentlib:jdwp=transport=dt_socket,server=y,"
                + "address=5005", "-javaagent:/x.jar", "-Xmx64m")));
    }
}
