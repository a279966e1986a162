package dev.churn.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The seeder makes as many TIME_WAIT sockets as it is asked for, past the point where one
 * destination's client ports come round again. In a namespace of its own with a 1,000-port range
 * (500 even ports, which {@code connect()} takes first), one listener stood at about 500 whatever was
 * asked: the reused ports' SYNs recycled their own tuples' TIME_WAIT (MonitorSourceBenchmark said
 * 20,000 and had about 14,000 with the default range, 2026-12-07).
 */
class TimeWaitSeederTest {

    private static final int ASKED = 1_500;

    @Test
    void seedsPastOneDestinationsPortCeiling() throws IOException, InterruptedException {
        assumeTrue(Files.readAllLines(Path.of("/proc/self/status")).stream().anyMatch(l -> l.matches("Uid:\\s+0\\s.*")),
                "needs root for a network namespace of its own (unshare -n) with a narrow port range");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(List.of("unshare", "-n", "sh", "-c",
                "ip link set lo up && echo '40000 40999' > /proc/sys/net/ipv4/ip_local_port_range && exec \"$@\"", "sh",
                java, "-cp", System.getProperty("java.class.path"), Seed.class.getName(), Integer.toString(ASKED)))
                .redirectErrorStream(true).start();
        String said;
        try {
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the seeding process did not end in 30 s");
            said = new String(p.getInputStream().readAllBytes()).strip();
        } finally {
            p.destroyForcibly(); // a no-op once it has ended; closes its streams, so read before
        }
        assumeTrue(!said.contains("unshare failed"), "no network namespace here: " + said);
        // root in a container whose /proc/sys is read-only cannot narrow the namespace's port range
        assumeTrue(!said.contains("Read-only file system") && !said.contains("Permission denied"),
                "cannot set the namespace's ip_local_port_range: " + said);
        assertEquals(0, p.exitValue(), said);
        // sockstat's "tw" is the namespace's own: nothing else runs in it
        long tw = Long.parseLong(said.lines().reduce((a, b) -> b).orElseThrow().strip());
        assertTrue(tw >= ASKED, "asked for " + ASKED + " TIME_WAIT, the namespace has " + tw + " (one destination stops near 500)");
    }

    /** In the namespace: fills to n, then prints the namespace's TIME_WAIT count from /proc/net/sockstat. */
    public static final class Seed {
        public static void main(String[] args) throws IOException {
            try (TimeWaitSeeder seeder = new TimeWaitSeeder()) {
                seeder.fill(Integer.parseInt(args[0]), Seed::timeWait);
            }
            System.out.println(timeWait());
        }

        private static long timeWait() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/net/sockstat"))) {
                String[] f = line.split("\\s+");
                for (int i = 1; line.startsWith("TCP:") && i + 1 < f.length; i++) {
                    if (f[i].equals("tw")) {
                        return Long.parseLong(f[i + 1]);
                    }
                }
            }
            throw new IOException("no TCP tw count in /proc/net/sockstat");
        }
    }
}
