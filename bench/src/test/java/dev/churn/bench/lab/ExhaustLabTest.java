package dev.churn.bench.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Port exhaustion in private namespaces, then each fix (root only; CI runs as root). */
class ExhaustLabTest {

    @Test
    void theBaselineRunsOutOfPortsAndEveryFixDoesNot() throws Exception {
        assumeTrue(NetNamespace.permitted(), "network namespaces need root");
        String hostRange = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
        ExhaustLab.Load load = ExhaustLab.Load.DEFAULT;

        List<FixResult> r = new ExhaustLab(load).runAll();

        FixResult base = r.getFirst();
        assertEquals(Fix.NONE, base.fix());
        // Every port of the range, and no more: the listeners' ports lie outside it (bound to port 0, one took a port
        // of the range, and the baseline ran out at 99).
        assertEquals(load.ports(), base.ok(), r::toString);
        assertEquals(load.cycles() - load.ports(), base.addrNotAvail(), r::toString);
        assertTrue(base.timeWaitPeak() >= load.ports() * 9 / 10, r::toString);
        for (FixResult f : r.subList(1, r.size())) {
            assertEquals(0, f.addrNotAvail(), () -> f.fix() + ": " + r);
            assertEquals(load.cycles(), f.ok(), () -> f.fix() + ": " + r);
        }
        assertEquals(hostRange, Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")), "host untouched");
        assertEquals(List.of(), NetNamespace.existing().stream()
                .filter(n -> n.startsWith(NetNamespace.PREFIX + ProcessHandle.current().pid() + "-")).toList());
    }

    @Test
    void theListenersPortsLieOutsideTheClientsRange() {
        ExhaustLab lab = new ExhaustLab(ExhaustLab.Load.DEFAULT);
        assertEquals(9400, lab.listenPort(0));
        // A range over the usual listening ports moves them below it.
        ExhaustLab low = new ExhaustLab(new ExhaustLab.Load(9000, 1000, 1100, 80));
        for (int i = 0; i < 4; i++) {
            assertTrue(low.listenPort(i) < 9000 && low.listenPort(i) >= 1024, "port " + low.listenPort(i));
        }
    }
}
