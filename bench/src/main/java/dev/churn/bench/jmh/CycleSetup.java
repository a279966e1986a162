package dev.churn.bench.jmh;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Linger;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import dev.churn.monitor.SourceKind;
import java.util.Locale;

/** Turns the benchmarks' string parameters into the engine's types, with one-line errors naming the allowed values. */
final class CycleSetup {

    private CycleSetup() {}

    static TransportKind transport(String s) {
        try {
            return TransportKind.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("transport must be blocking, nio, selector, virtual, raw or epoll, got " + s);
        }
    }

    /** client, server, half or abort; never is refused: its CLOSE_WAIT sockets would pile up without bound in a timed iteration. */
    static Closer closer(String s) {
        return switch (s) {
            case "client" -> Closer.CLIENT;
            case "server" -> Closer.SERVER;
            case "half" -> Closer.HALF;
            case "abort" -> Closer.ABORT;
            default -> throw new IllegalArgumentException("closer must be client, server, half or abort, got " + s);
        };
    }

    static SocketConfig socket(String linger, boolean reuseAddr, boolean reusePort, String family) {
        return new SocketConfig(Linger.parse(linger), reuseAddr, reusePort, 1, false, 0, 0,
                SocketConfig.DEFAULT_BACKLOG, ipv6(family), null);
    }

    /** netlink, proc, oshi or auto. */
    static SourceKind source(String s) {
        for (SourceKind k : SourceKind.values()) {
            if (k.name().equalsIgnoreCase(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("source must be netlink, proc, oshi or auto, got " + s);
    }

    /** all (every socket of the namespace) or port (only the seeded port): true for port. */
    static boolean scopeIsPort(String s) {
        return switch (s) {
            case "all" -> false;
            case "port" -> true;
            default -> throw new IllegalArgumentException("scope must be all or port, got " + s);
        };
    }

    /** ipv4 (127.0.0.1) or ipv6 (::1). */
    static boolean ipv6(String family) {
        return switch (family) {
            case "ipv4" -> false;
            case "ipv6" -> true;
            default -> throw new IllegalArgumentException("family must be ipv4 or ipv6, got " + family);
        };
    }
}
