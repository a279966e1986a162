package dev.churn.monitor;

/**
 * Which IP families a count covers, by the addresses a connection uses rather than the socket's
 * family: Java's sockets are IPv6 sockets even when they talk to 127.0.0.1 (the kernel lists them
 * in its IPv6 table with IPv4-mapped addresses, ::ffff:127.0.0.1), so {@link #IPV4} counts those
 * too and {@link #IPV6} counts only real IPv6 connections. Every source follows this rule.
 */
public enum AddressFamily {
    ALL,
    IPV4,
    IPV6;

    /** True when IPv4 connections are counted, IPv4-mapped ones on IPv6 sockets included. */
    public boolean includesV4() {
        return this != IPV6;
    }

    /** True when real IPv6 connections are counted (IPv4-mapped ones count as IPv4). */
    public boolean includesV6() {
        return this != IPV4;
    }
}
