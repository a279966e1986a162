package dev.churn.bench.lab;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A small private network of "hosts": one server namespace and N client namespaces, each with an
 * {@code eth0} plugged into a Linux bridge that lives in a namespace of its own. Addresses come from
 * the RFC 2544 benchmarking range 198.18.0.0/24 (server .1, clients .11, .12, ...) and exist only
 * inside these namespaces; each veth pair is created with both ends already in namespaces, so the
 * host's own network stack never sees it. Needs root.
 * Use: {@code try (LabNetwork net = LabNetwork.create(3)) { net.server().name(); net.clientAddress(0); }}
 */
public final class LabNetwork implements AutoCloseable {

    /** The most client hosts a lab network has. */
    public static final int MAX_CLIENTS = 8;

    private static final int PREFIX_LENGTH = 24;
    private static final int SERVER_HOST = 1;
    private static final int FIRST_CLIENT_HOST = 11;
    private static final String BRIDGE = "br0";
    private static final String HOST_IF = "eth0";

    private final NetNamespace bridge;
    private final NetNamespace server;
    private final List<NetNamespace> clients;

    private LabNetwork(NetNamespace bridge, NetNamespace server, List<NetNamespace> clients) {
        this.bridge = bridge;
        this.server = server;
        this.clients = List.copyOf(clients);
    }

    /** Creates the bridge, the server and {@code clients} client namespaces, addressed and up. */
    public static LabNetwork create(int clients) throws IOException {
        if (clients < 1 || clients > MAX_CLIENTS) {
            throw new IllegalArgumentException("--clients must be 1.." + MAX_CLIENTS + ", got " + clients);
        }
        List<NetNamespace> made = new ArrayList<>();
        try {
            NetNamespace bridge = keep(made, NetNamespace.create());
            NetNamespace.ip("-n", bridge.name(), "link", "add", BRIDGE, "type", "bridge");
            NetNamespace.ip("-n", bridge.name(), "link", "set", BRIDGE, "up");
            NetNamespace server = keep(made, NetNamespace.create());
            plug(bridge, "s0", server, address(SERVER_HOST));
            List<NetNamespace> cs = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                NetNamespace c = keep(made, NetNamespace.create());
                plug(bridge, "c" + (i + 1), c, address(FIRST_CLIENT_HOST + i));
                cs.add(c);
            }
            return new LabNetwork(bridge, server, cs);
        } catch (IOException | RuntimeException e) {
            made.reversed().forEach(NetNamespace::close);
            throw e;
        }
    }

    /** The server host's namespace. */
    public NetNamespace server() {
        return server;
    }

    /** The client hosts' namespaces, in order. */
    public List<NetNamespace> clients() {
        return clients;
    }

    /** The namespace that holds the bridge (and the bridge side of every veth pair). */
    public NetNamespace bridge() {
        return bridge;
    }

    /** The server's address, 198.18.0.1. */
    public InetAddress serverAddress() {
        return address(SERVER_HOST);
    }

    /** Client {@code i}'s address (from 0): 198.18.0.11, .12, ... */
    public InetAddress clientAddress(int i) {
        return address(FIRST_CLIENT_HOST + i);
    }

    /** Removes every namespace, and with them the veth pairs and the bridge. */
    @Override
    public void close() {
        for (NetNamespace c : clients.reversed()) {
            c.close();
        }
        server.close();
        bridge.close();
    }

    private static NetNamespace keep(List<NetNamespace> made, NetNamespace ns) {
        made.add(ns);
        return ns;
    }

    // One veth pair born with its ends in the bridge's namespace and the host's: never on the host.
    private static void plug(NetNamespace bridge, String port, NetNamespace host, InetAddress address) throws IOException {
        NetNamespace.ip("-n", bridge.name(), "link", "add", port, "type", "veth", "peer", "name", HOST_IF,
                "netns", host.name());
        NetNamespace.ip("-n", bridge.name(), "link", "set", port, "master", BRIDGE);
        NetNamespace.ip("-n", bridge.name(), "link", "set", port, "up");
        NetNamespace.ip("-n", host.name(), "addr", "add", address.getHostAddress() + "/" + PREFIX_LENGTH, "dev", HOST_IF);
        NetNamespace.ip("-n", host.name(), "link", "set", HOST_IF, "up");
    }

    // 198.18.0.0/24: RFC 2544's benchmarking range, which no real network routes.
    static InetAddress address(int host) {
        try {
            return Inet4Address.getByAddress(new byte[] {(byte) 198, 18, 0, (byte) host});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
