package dev.churn.bench.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.churn.monitor.TcpState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** TIME_WAIT's real lifetime from the kernel's timer, in private namespaces (root only; CI runs as root). */
class TimeWaitLabTest {

    @AfterEach
    void noNamespaceLeft() throws Exception {
        if (NetNamespace.permitted()) {
            assertEquals(List.of(), NetNamespace.existing().stream()
                    .filter(n -> n.startsWith(NetNamespace.PREFIX + ProcessHandle.current().pid() + "-")).toList());
        }
    }

    @Test
    void timeWaitLastsSixtySecondsAndFinTimeoutOnlyMovesFinWait2() throws Exception {
        assumeTrue(NetNamespace.permitted(), "network namespaces need root");
        String hostFin = Files.readString(Path.of("/proc/sys/net/ipv4/tcp_fin_timeout")).strip();

        List<TimerReading> r = TimeWaitLab.measure(List.of(5));

        assertEquals(2, r.size(), r::toString);
        TimerReading tw = r.get(0);
        TimerReading fw2 = r.get(1);
        assertEquals(TcpState.TIME_WAIT, tw.state(), r::toString);
        assertTrue(tw.secondsLeft() >= 55 && tw.secondsLeft() <= 61, r::toString);
        assertEquals(TcpState.FIN_WAIT2, fw2.state(), r::toString);
        assertTrue(fw2.secondsLeft() >= 3 && fw2.secondsLeft() <= 5.5, r::toString);
        assertEquals(hostFin, Files.readString(Path.of("/proc/sys/net/ipv4/tcp_fin_timeout")).strip(),
                "the host's tcp_fin_timeout is untouched");
    }

    @Test
    void aSocketMadeOnTheNamespaceThreadIsNotOnTheHost() throws Exception {
        assumeTrue(NetNamespace.permitted(), "network namespaces need root");
        try (NetNamespace ns = NetNamespace.create();
                var l = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.INET)) {
            // A port the host hands out, so it is free here; the namespace has a port space of its own,
            // so the same 127.0.0.1:port binds there too while the host's listener holds it.
            l.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            int port = ((java.net.InetSocketAddress) l.getLocalAddress()).getPort();
            var inside = ns.call(() -> {
                var ch = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.INET);
                ch.bind(new java.net.InetSocketAddress("127.0.0.1", port));
                return ch;
            });
            try (inside) {
                assertEquals(TcpState.LISTEN, ns.call(() -> new Endpoint(port, 0).stateIn(SocketTable.read())));
                l.close();
                assertEquals(null, new Endpoint(port, 0).stateIn(SocketTable.read()),
                        "the namespace's listener is not listed on the host");
            }
        }
    }

    @Test
    void aFailureMidwayStillRemovesTheNamespace() throws Exception {
        assumeTrue(NetNamespace.permitted(), "network namespaces need root");
        String name;
        try (NetNamespace ns = NetNamespace.create()) {
            name = ns.name();
            assertTrue(NetNamespace.existing().contains(name));
            ns.call(() -> {
                throw new IllegalStateException("boom");
            });
        } catch (IllegalStateException expected) {
            assertEquals("boom", expected.getMessage());
        }
    }
}
