package dev.churn.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.monitor.SourceKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.profile.ProfilerException;
import org.openjdk.jmh.runner.options.Options;

class ProfilerOptionsTest {

    @Test
    void parsesIntervalPortsAndSource() {
        ProfilerOptions o = ProfilerOptions.parse("interval=5ms; ports=8080+9090,7070;source=proc");
        assertEquals(Duration.ofMillis(5), o.interval());
        assertArrayEquals(new int[] {8080, 9090, 7070}, o.ports());
        assertEquals(SourceKind.PROC, o.source());
        assertEquals(ProfilerOptions.DEFAULTS, ProfilerOptions.parse(""));
        assertEquals(Duration.ofSeconds(2), ProfilerOptions.parse("interval=2s").interval());
    }

    @Test
    void badOptionsNameWhatIsAllowed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProfilerOptions.parse("speed=3")).getMessage().contains("interval="));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProfilerOptions.parse("interval=0ms")).getMessage().contains("1ms..10s"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProfilerOptions.parse("ports=70000")).getMessage().contains("1..65535"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProfilerOptions.parse("source=ss")).getMessage().contains("netlink"));
        assertThrows(ProfilerException.class, () -> new TcpStateProfiler("interval=soon"));
    }

    @Test
    void userJmhOptionsWinOverThePresetAndTheProfilerIsAlwaysThere() {
        Options o = BenchSuite.options(BenchPreset.SMOKE, null, List.of("-i", "4", "-p", "linger=1"), Path.of("x.json"));
        assertEquals(4, o.getMeasurementIterations().get());
        assertEquals(List.of("1"), List.copyOf(o.getParameter("linger").get()));
        assertEquals(List.of("blocking"), List.copyOf(o.getParameter("transport").get()));
        assertEquals(1, o.getProfilers().stream().filter(p -> p.getKlass().equals(TcpStateProfiler.class.getName())).count());
        assertEquals(List.of(BenchSuite.ALL), o.getIncludes());
        assertThrows(IllegalArgumentException.class, () -> BenchSuite.options(BenchPreset.QUICK, null, List.of("-f", "many"), Path.of("x.json")));
        assertThrows(IllegalArgumentException.class, () -> BenchPreset.named("huge"));
    }

    /** Options churn sets itself, or that would make JMH list instead of run, are refused, not dropped. */
    @Test
    void jmhOptionsChurnWouldDropAreRefusedWithWhatToDo() {
        Map<List<String>, String> refused = Map.of(
                List.of("-rf", "csv"), "jmh.json",
                List.of("-rff", "out.csv"), "jmh.json",
                List.of("-o", "jmh.txt"), BenchSuite.LOG,
                List.of("-h"), "churn bench --help",
                List.of("-l"), "churn bench --help",
                List.of("-lprof"), "churn bench --help");
        for (Map.Entry<List<String>, String> e : refused.entrySet()) {
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                    () -> BenchSuite.options(BenchPreset.SMOKE, null, e.getKey(), Path.of("x.json")), e.getKey()::toString);
            assertTrue(x.getMessage().contains(e.getValue()), x.getMessage());
        }
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> BenchSuite.options(BenchPreset.SMOKE, "ConnectClose", List.of("Burst"), Path.of("x.json")));
        assertTrue(both.getMessage().contains("(Burst)"), both.getMessage());
        // A pattern after '--' alone is JMH's include, as JMH has it.
        assertEquals(List.of("Burst"), BenchSuite.options(BenchPreset.SMOKE, null, List.of("Burst"), Path.of("x.json")).getIncludes());
    }
}
