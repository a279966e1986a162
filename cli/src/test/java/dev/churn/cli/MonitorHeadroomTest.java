package dev.churn.cli;

import static dev.churn.cli.CliRun.churn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.churn.bench.lab.NetNamespace;
import dev.churn.monitor.HeadroomFormat;
import dev.churn.monitor.KnownSockets;
import dev.churn.monitor.NetlinkSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code churn monitor --headroom} on real sockets: inside a private network namespace, whose port
 * sysctls are its own, with ip_local_port_range narrowed to 100 ports; and on this host's loopback
 * for the proc source. Root is needed for the namespace tests.
 */
class MonitorHeadroomTest {

    /** Outside the narrowed range, so the listener never takes a port a client could have had. */
    private static final int SERVICE = 7000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static void needNamespaces() {
        assumeTrue(NetNamespace.permitted(), "needs root to create a network namespace and set its sysctls");
        assumeTrue(NetlinkSource.isSupported(), "netlink sock_diag is not available here");
    }

    private static NetNamespace namespace(String reserved, String twReuse) throws IOException {
        NetNamespace ns = NetNamespace.create();
        try {
            ns.sysctl("net.ipv4.ip_local_port_range", "20000 20099");
            ns.sysctl("net.ipv4.ip_local_reserved_ports", reserved);
            ns.sysctl("net.ipv4.tcp_tw_reuse", twReuse);
            return ns;
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    @Test
    void sixtyClientClosesUseSixtyOfAHundredPortsAndWarnPastHalf() throws Exception {
        needNamespaces();
        try (NetNamespace ns = namespace("", "0")) {
            List<CliRun> runs = ns.call(() -> {
                try (ServerSocket listener = listen(InetAddress.getByName("127.0.0.1"))) {
                    clientCloses(listener, "127.0.0.1", 60);
                    return List.of(
                            churn("monitor", "--once", "--headroom", "--format", "json"),
                            // three samples from the sampler's own thread, started in the namespace: one warning
                            churn("monitor", "--headroom", "--count", "3", "--interval", "50ms", "--format", "csv"),
                            churn("monitor", "--once", "--headroom"));
                }
            });
            CliRun json = runs.get(0);
            assertEquals(ExitCodes.OK, json.code(), json.err());
            JsonNode h = JSON.readTree(json.out()).get("headroom");
            assertEquals("[20000,20099]", h.get("portRange").toString());
            assertEquals(0, h.get("reserved").asInt());
            assertEquals(0, h.get("twReuse").asInt());
            assertEquals(1, h.get("destinations").size(), h.toString());
            JsonNode d = h.get("destinations").get(0);
            assertEquals("127.0.0.1", d.get("local").asText());
            assertEquals("127.0.0.1:" + SERVICE, d.get("remote").asText());
            assertEquals(60, d.get("used").asInt());
            assertEquals(100, d.get("available").asInt());
            assertEquals(0.6, d.get("usedFraction").asDouble());
            assertFalse(d.get("twReuse").asBoolean());
            assertEquals("past-half", d.get("warning").asText());
            assertPastHalfOnce(json);

            CliRun csv = runs.get(1);
            assertEquals(ExitCodes.OK, csv.code(), csv.err());
            List<String> lines = csv.out().lines().toList();
            assertEquals(HeadroomFormat.CSV_HEADER, lines.getFirst());
            assertEquals(4, lines.size(), csv.out());
            for (String row : lines.subList(1, 4)) {
                assertTrue(row.matches(
                        "\\d+,127\\.0\\.0\\.1,127\\.0\\.0\\.1:7000,60,100,0\\.6000,false,past-half,20000,20099,0,0,60,0\\.6000"), row);
            }
            assertPastHalfOnce(csv);

            CliRun table = runs.get(2);
            assertEquals(ExitCodes.OK, table.code(), table.err());
            assertTrue(table.out().contains(
                    "port headroom (top 20): ip_local_port_range 20000-20099, 0 reserved in it, 100 available; tcp_tw_reuse=0\n"),
                    table.out());
            assertTrue(table.out().matches("(?s).*\n127\\.0\\.0\\.1 -> 127\\.0\\.0\\.1:7000 +60/100 +60\\.0% +no +past-half\n.*"),
                    table.out());
        }
    }

    /**
     * Ports that bind() took before connect() are lost to connect() towards every destination: six sockets bound to
     * 127.0.0.1:0 and connected to one service leave four of ten ports for another, whose fifth connect() fails with
     * EADDRNOTAVAIL. Its own headroom reads 4 of 10 (connect() there took four); the worst case, the range's ports
     * held by any socket, reads 10 of 10 and warns. Before, 40% and no warning (review, 2026-12-07).
     */
    @Test
    void portsBoundBeforeConnectCountInTheWorstCaseOfEveryDestination() throws Exception {
        needNamespaces();
        try (NetNamespace ns = NetNamespace.create()) {
            ns.sysctl("net.ipv4.ip_local_port_range", "20000 20009");
            CliRun r = ns.call(() -> {
                InetAddress lo = InetAddress.getByName("127.0.0.1");
                List<Socket> open = new java.util.ArrayList<>();
                try (ServerSocket first = listenOn(lo, 7001); ServerSocket second = listenOn(lo, 7002)) {
                    for (int i = 0; i < 6; i++) {
                        Socket c = new Socket();
                        open.add(c);
                        c.bind(new InetSocketAddress(lo, 0));
                        c.connect(new InetSocketAddress(lo, 7001), 5_000);
                    }
                    int connected = 0;
                    for (int i = 0; i < 10; i++) { // at most the range
                        Socket c = new Socket();
                        open.add(c);
                        try {
                            c.connect(new InetSocketAddress(lo, 7002), 5_000);
                            connected++;
                        } catch (java.net.BindException e) { // EADDRNOTAVAIL: no port left for 7002
                            break;
                        }
                    }
                    assertEquals(4, connected, "the ports left to connect() towards 7002");
                    return churn("monitor", "--once", "--headroom", "--format", "json");
                } finally {
                    for (Socket c : open) {
                        c.close();
                    }
                }
            });
            assertEquals(ExitCodes.OK, r.code(), r.err());
            JsonNode h = JSON.readTree(r.out()).get("headroom");
            assertEquals(10, h.get("available").asInt(), h.toString());
            assertEquals(10, h.get("held").asInt(), h.toString());
            assertEquals(1, h.get("heldFraction").asDouble(), h.toString());
            assertEquals("nearly-full", h.get("heldWarning").asText(), h.toString());
            JsonNode to7002 = null;
            for (JsonNode d : h.get("destinations")) {
                if (d.get("remote").asText().equals("127.0.0.1:7002")) {
                    to7002 = d;
                }
            }
            assertEquals(4, to7002.get("used").asInt(), h.toString());
            List<String> warnings = r.err().lines().filter(l -> l.contains("warning")).toList();
            assertTrue(warnings.stream().anyMatch(w -> w.startsWith("churn monitor: warning: any destination: 10 of 10 local"
                    + " ports in the range held by some socket (100%), nearly full in the worst case")), r.err());
        }
    }

    private static ServerSocket listenOn(InetAddress at, int port) throws IOException {
        ServerSocket l = new ServerSocket();
        l.bind(new InetSocketAddress(at, port), 16);
        return l;
    }

    private static void assertPastHalfOnce(CliRun r) {
        List<String> warnings = r.err().lines().filter(l -> l.contains("warning")).toList();
        assertEquals(1, warnings.size(), r.err());
        assertTrue(warnings.getFirst().startsWith("churn monitor: warning: 127.0.0.1 -> 127.0.0.1:7000: 60 of 100 local "
                + "ports in use (60%), past half: connect() tries the ports of one parity first"), warnings.getFirst());
    }

    @Test
    void reservedPortsLeaveFewerAvailable() throws Exception {
        needNamespaces();
        try (NetNamespace ns = namespace("20000-20009", "0")) {
            CliRun r = ns.call(() -> {
                try (ServerSocket listener = listen(InetAddress.getByName("127.0.0.1"))) {
                    clientCloses(listener, "127.0.0.1", 5);
                    return churn("monitor", "--once", "--headroom", "--format", "json");
                }
            });
            assertEquals(ExitCodes.OK, r.code(), r.err());
            JsonNode h = JSON.readTree(r.out()).get("headroom");
            assertEquals(10, h.get("reserved").asInt());
            JsonNode d = h.get("destinations").get(0);
            assertEquals(5, d.get("used").asInt());
            assertEquals(90, d.get("available").asInt());
            assertTrue(d.get("warning").isNull(), d.toString());
            assertEquals("", r.err());
        }
    }

    /**
     * tcp_tw_reuse=2 is the kernel's loopback-only setting: another address on lo is not loopback to
     * it. That address is RFC 2544's benchmarking range (198.18.0.0/15, which no real network
     * routes), on the loopback of the test's own namespace.
     */
    @Test
    void twReuseTwoAppliesToLoopbackDestinationsOnlyAndOneToAll() throws Exception {
        needNamespaces();
        try (NetNamespace ns = namespace("", "2")) {
            String farAddress = InetAddress.getByAddress(new byte[] {(byte) 198, 18, 0, 77}).getHostAddress();
            ip("-n", ns.name(), "addr", "add", farAddress + "/32", "dev", "lo");
            String[] args = {"monitor", "--once", "--headroom", "--format", "json"};
            List<CliRun> runs = ns.call(() -> {
                try (ServerSocket listener = listen(InetAddress.getByName("0.0.0.0"))) {
                    clientCloses(listener, "127.0.0.1", 2);
                    clientCloses(listener, farAddress, 3);
                    CliRun two = churn(args);
                    return List.of(two);
                }
            });
            ns.sysctl("net.ipv4.tcp_tw_reuse", "1");
            CliRun one = ns.call(() -> churn(args));
            JsonNode two = JSON.readTree(runs.getFirst().out()).get("headroom");
            assertEquals(2, two.get("twReuse").asInt());
            JsonNode far = two.get("destinations").get(0);
            assertEquals(farAddress + ":" + SERVICE, far.get("remote").asText(), two.toString());
            assertEquals(3, far.get("used").asInt());
            assertFalse(far.get("twReuse").asBoolean(), far.toString());
            JsonNode lo = two.get("destinations").get(1);
            assertEquals("127.0.0.1:" + SERVICE, lo.get("remote").asText());
            assertTrue(lo.get("twReuse").asBoolean(), lo.toString());
            for (JsonNode d : JSON.readTree(one.out()).get("headroom").get("destinations")) {
                assertTrue(d.get("twReuse").asBoolean(), "tcp_tw_reuse=1 applies everywhere: " + d);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"netlink", "proc"})
    void bothRowSourcesCountOurClientsToOurPort(String source) throws Exception {
        assumeTrue(NetlinkSource.isSupported(), "netlink sock_diag is not available here");
        try (KnownSockets known = KnownSockets.ipv4(3, 0, 0)) {
            CliRun r = churn("monitor", "--once", "--headroom", "--source", source, "--format", "json",
                    "--port", Integer.toString(known.port()));
            assertEquals(ExitCodes.OK, r.code(), r.err());
            JsonNode d = JSON.readTree(r.out()).get("headroom").get("destinations");
            assertEquals(1, d.size(), d.toString());
            assertEquals("127.0.0.1:" + known.port(), d.get(0).get("remote").asText());
            assertEquals(3, d.get(0).get("used").asInt(), "the three clients; the accepted ends are the server's");
        }
    }

    @Test
    void withByTheJsonCarriesBothFromOneDump() throws Exception {
        assumeTrue(NetlinkSource.isSupported(), "netlink sock_diag is not available here");
        try (KnownSockets known = KnownSockets.ipv4(2, 0, 0)) {
            CliRun r = churn("monitor", "--once", "--headroom", "--by", "side", "--format", "json",
                    "--port", Integer.toString(known.port()));
            assertEquals(ExitCodes.OK, r.code(), r.err());
            JsonNode line = JSON.readTree(r.out());
            assertEquals("[\"side\"]", line.get("by").toString());
            long clients = 0;
            for (JsonNode g : line.get("groups")) {
                if (g.get("key").asText().equals("client")) {
                    clients = g.get("states").get("ESTABLISHED").asLong();
                }
            }
            assertEquals(2, clients, line.toString());
            assertEquals(2, line.get("headroom").get("destinations").get(0).get("used").asInt(), line.toString());
        }
    }

    @Test
    void theOshiSourceIsRefusedInOneLine() {
        assertUsage(churn("monitor", "--headroom", "--source", "oshi", "--once"), "--headroom: the oshi source");
    }

    @Test
    void csvWithByIsRefusedInOneLine() {
        assertUsage(churn("monitor", "--headroom", "--by", "port", "--format", "csv", "--once"),
                "--headroom: with --format csv not together with --by");
    }

    private static void assertUsage(CliRun r, String start) {
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("churn monitor: " + start), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertEquals("", r.out());
    }

    private static ServerSocket listen(InetAddress at) throws IOException {
        ServerSocket l = new ServerSocket();
        l.bind(new InetSocketAddress(at, SERVICE), 128);
        return l;
    }

    /** {@code n} connections to {@code to}, each closed by the client first: it keeps its port in TIME_WAIT. */
    private static void clientCloses(ServerSocket listener, String to, int n) throws IOException {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(to), SERVICE);
        for (int i = 0; i < n; i++) {
            Socket c = new Socket();
            c.connect(target, 5_000);
            try (Socket s = listener.accept()) {
                s.setSoTimeout(5_000);
                c.close();
                if (s.getInputStream().read() != -1) { // the client's FIN first, so the server's is the second
                    throw new IOException("expected EOF from the closing client");
                }
            }
        }
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "ip";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "ip did not answer");
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
    }
}
