package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.churn.bench.config.PortRange;
import dev.churn.monitor.EphemeralPorts;
import java.net.InetSocketAddress;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** Which targets make each connect ask its local port: only those a connect could reach itself at. */
class SelfConnectPortTest {

    private static final EphemeralPorts RANGE = new EphemeralPorts(32768, 60999, new BitSet(), 2);

    @Test
    void aLoopbackTargetInsideTheEphemeralRangeOrTheBoundPortsIsWatched() {
        assertEquals(40000, RunControl.selfConnectPort(new InetSocketAddress("127.0.0.1", 40000), RANGE, null));
        assertEquals(40000, RunControl.selfConnectPort(new InetSocketAddress("::1", 40000), RANGE, null));
        assertEquals(20055, RunControl.selfConnectPort(new InetSocketAddress("127.0.0.1", 20055), RANGE, new PortRange(20050, 20060)));
    }

    @Test
    void otherTargetsCostNoGetsockname() {
        assertEquals(-1, RunControl.selfConnectPort(null, RANGE, null), "the built-in sink listens on its port");
        assertEquals(-1, RunControl.selfConnectPort(new InetSocketAddress("127.0.0.1", 8080), RANGE, null), "below the range");
        assertEquals(-1, RunControl.selfConnectPort(new InetSocketAddress("127.0.0.1", 40000), RANGE, new PortRange(20050, 20060)),
                "--bind-ports decides the local port, not the range");
        assertEquals(-1, RunControl.selfConnectPort(InetSocketAddress.createUnresolved("example.invalid", 40000), RANGE, null));
    }
}
