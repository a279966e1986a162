package dev.churn.monitor;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Addresses as churn writes them for a user to read and type back: {@code 127.0.0.1} and, for IPv6,
 * RFC 5952's short form ({@code ::1}, {@code fd00::2}) where Java's {@code getHostAddress} writes
 * every group ({@code 0:0:0:0:0:0:0:1}).
 */
public final class AddressText {

    private AddressText() {}

    /** The address alone: {@code 127.0.0.1}, {@code ::1}, {@code fe80::1%lo}. */
    public static String literal(InetAddress a) {
        if (!(a instanceof Inet6Address)) {
            return a.getHostAddress();
        }
        byte[] b = a.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        // The longest run of two or more zero groups becomes "::"; the first of equal runs wins.
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!s.isEmpty() && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(groups[i]));
        }
        String full = a.getHostAddress();
        int scope = full.indexOf('%');
        return scope < 0 ? s.toString() : s + full.substring(scope);
    }

    /** The address without its zone, as {@code ss} writes a socket's end: {@code fe80::1}, not {@code fe80::1%lo}. */
    public static String withoutZone(InetAddress a) {
        String s = literal(a);
        int zone = s.indexOf('%');
        return zone < 0 ? s : s.substring(0, zone);
    }

    /** A socket's end as {@code ss} writes it: {@code 127.0.0.1:8080} or {@code [::1]:8080}, without a zone. */
    public static String endpoint(InetAddress a, int port) {
        String host = withoutZone(a);
        return (a instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
    }

    /** {@code 127.0.0.1:8080} or {@code [::1]:8080}; an unresolved address keeps its name. */
    public static String hostPort(InetSocketAddress a) {
        String host = a.getAddress() != null ? literal(a.getAddress()) : a.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
