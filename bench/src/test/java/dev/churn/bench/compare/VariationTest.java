package dev.churn.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VariationTest {

    @Test
    void crossProductVariesTheLastKeyFastestAndKeepsKeyOrder() {
        List<Map<String, String>> c = Variation.crossProduct(List.of(
                Variation.parse("linger=off,0"), Variation.parse("closer=client,server"), Variation.parse("reuse-addr=true,false")));
        assertEquals(8, c.size());
        assertEquals(Map.of("linger", "off", "closer", "client", "reuse-addr", "true"), c.get(0));
        assertEquals(Map.of("linger", "off", "closer", "client", "reuse-addr", "false"), c.get(1));
        assertEquals(Map.of("linger", "0", "closer", "server", "reuse-addr", "false"), c.get(7));
        assertEquals(List.of("linger", "closer", "reuse-addr"), List.copyOf(c.get(3).keySet()));
        assertEquals("linger=off closer=server reuse-addr=false", Variation.describe(c.get(3)));
        assertEquals("linger-off.closer-server.reuse-addr-false", Variation.label(c.get(3)));
    }

    @Test
    void runArgsSetOptionsAndFlagsOnlyWhenTrue() {
        Map<String, String> c = Variation.crossProduct(List.of(Variation.parse("transport=nio"),
                Variation.parse("no-delay=true"), Variation.parse("ipv6=false"))).getFirst();
        assertEquals(List.of("--transport", "nio", "--no-delay"), Variation.runArgs(c));
    }

    @Test
    void tlsOffLeavesTlsOutAndAVersionNamesIt() {
        List<Map<String, String>> c = Variation.crossProduct(List.of(Variation.parse("tls=off,1.2,1.3"),
                Variation.parse("tls-resume=false,true")));
        assertEquals(List.of(), Variation.runArgs(c.get(0)));
        assertEquals(List.of("--tls-resume"), Variation.runArgs(c.get(1)));
        assertEquals(List.of("--tls=1.2"), Variation.runArgs(c.get(2)));
        assertEquals(List.of("--tls=1.3", "--tls-resume"), Variation.runArgs(c.get(5)));
    }

    @Test
    void selectorThreadsCanBeVaried() {
        List<Map<String, String>> c = Variation.crossProduct(List.of(Variation.parse("threads=1,2")));
        assertEquals(List.of("--threads", "1"), Variation.runArgs(c.get(0)));
        assertEquals(List.of("--threads", "2"), Variation.runArgs(c.get(1)));
    }

    @Test
    void theWarmupCanBeVariedAutoAgainstALength() {
        List<Map<String, String>> c = Variation.crossProduct(List.of(Variation.parse("warmup=auto,10s")));
        assertEquals(List.of("--warmup", "auto"), Variation.runArgs(c.get(0)));
        assertEquals(List.of("--warmup", "10s"), Variation.runArgs(c.get(1)));
    }

    @Test
    void badInputIsOneLineNamingTheOption() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Variation.parse("colour=red"));
        assertTrue(unknown.getMessage().contains("unknown key 'colour'") && unknown.getMessage().contains("transport"));
        assertThrows(IllegalArgumentException.class, () -> Variation.parse("linger="));
        assertThrows(IllegalArgumentException.class, () -> Variation.parse("linger=off,,0"));
        assertThrows(IllegalArgumentException.class, () -> Variation.parse("linger"));
        assertThrows(IllegalArgumentException.class, () -> Variation.parse("reuse-addr=yes"));
        assertThrows(IllegalArgumentException.class, () -> Variation.parse("closer=client,client"));
        assertThrows(IllegalArgumentException.class, () -> Variation.crossProduct(
                List.of(Variation.parse("linger=off"), Variation.parse("linger=0"))));
        assertFalse(unknown.getMessage().contains("\n"));
    }

    /** A tls=off configuration runs without the TLS-only options held fixed, in either spelling; others keep them. */
    @Test
    void aRowWithoutTlsDropsTheTlsOnlyOptions() {
        List<String> fixed = List.of("--tls-resume", "--tls-groups", "x25519", "--tls-key=rsa", "--response", "10", "--insecure");
        assertEquals(List.of("--response", "10"), Variation.fixedArgsFor(Map.of("tls", "off"), fixed));
        assertEquals(fixed, Variation.fixedArgsFor(Map.of("tls", "1.3"), fixed));
        assertEquals(fixed, Variation.fixedArgsFor(Map.of("linger", "0"), fixed));
    }
}
