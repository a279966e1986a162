package dev.churn.monitor;

/** Which IP families a count covers. */
public enum AddressFamily {
    ALL,
    IPV4,
    IPV6;

    /** True when sockets of IPv4 are counted. */
    public boolean includesV4() {
        return this != IPV6;
    }

    /** True when sockets of IPv6 are counted (IPv4-mapped sockets on a v6 socket included). */
    public boolean includesV6() {
        return this != IPV4;
    }
}
