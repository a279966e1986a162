package dev.churn.monitor;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * One destination's port headroom: the client sockets from {@code localAddress} to
 * {@code remoteAddress:remotePort} that hold a local port ({@code used}), against the ports
 * connect() can pick from ({@code available}), and whether tcp_tw_reuse lets connect() take over a
 * TIME_WAIT port towards it ({@code twReuse}).
 */
public record Destination(InetAddress localAddress, InetAddress remoteAddress, int remotePort, long used,
        long available, double usedFraction, boolean twReuse) {

    /** The local address as text, without a zone. */
    public String local() {
        return AddressText.withoutZone(localAddress);
    }

    /** The remote end as {@code a.b.c.d:port} or {@code [v6]:port}. */
    public String remote() {
        return AddressText.endpoint(remoteAddress, remotePort);
    }

    /** How close it is to running out. */
    public HeadroomLevel level() {
        return HeadroomLevel.of(usedFraction);
    }

    /**
     * Whether tcp_tw_reuse {@code setting} applies between these addresses, as the kernel's
     * tcp_twsk_unique decides: 1 everywhere, 0 nowhere, 2 only when either end is a loopback
     * address (127/8, ::1, or 127/8 mapped into IPv6). The kernel also counts a socket bound to the
     * lo device as loopback; a dump's addresses do not show that, so such a socket reads false here.
     */
    public static boolean twReuseApplies(int setting, InetAddress local, InetAddress remote) {
        return switch (setting) {
            case 1 -> true;
            case 2 -> loopback(local) || loopback(remote);
            default -> false;
        };
    }

    static boolean loopback(InetAddress a) {
        if (a instanceof Inet4Address || a.isLoopbackAddress()) {
            return a.isLoopbackAddress();
        }
        // Java turns ::ffff:a.b.c.d into an Inet4Address when it builds one from bytes; an
        // Inet6Address that still holds the mapped form is checked by hand.
        byte[] b = a.getAddress();
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff && b[12] == 127;
    }
}
