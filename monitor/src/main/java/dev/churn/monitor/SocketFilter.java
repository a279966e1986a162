package dev.churn.monitor;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which sockets a count covers: a socket matches when its local or remote port is one of
 * {@code ports} (all ports when empty), its family is in {@code family}, and its state is in
 * {@code states}. Other processes churn on the same machine, so every measurement names its ports.
 */
public record SocketFilter(int[] ports, AddressFamily family, Set<TcpState> states) {

    /** Every TCP socket of both families, in every state. */
    public static final SocketFilter ALL = new SocketFilter(new int[0], AddressFamily.ALL, EnumSet.allOf(TcpState.class));

    public SocketFilter {
        ports = ports.clone();
        for (int p : ports) {
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("port " + p + " is outside 1..65535");
            }
        }
        Arrays.sort(ports);
        states = states.isEmpty() ? EnumSet.noneOf(TcpState.class) : EnumSet.copyOf(states);
    }

    /** Sockets whose local or remote port is one of these, both families, all states. */
    public static SocketFilter ports(int... ports) {
        return new SocketFilter(ports, AddressFamily.ALL, EnumSet.allOf(TcpState.class));
    }

    /** Sockets whose local or remote port is one of these, both families, all states. */
    public static SocketFilter ports(Collection<Integer> ports) {
        return ports(ports.stream().mapToInt(Integer::intValue).toArray());
    }

    /** This filter restricted to one family. */
    public SocketFilter withFamily(AddressFamily f) {
        return new SocketFilter(ports, f, states);
    }

    /** This filter restricted to some states (sources may ask the kernel for only these). */
    public SocketFilter withStates(Set<TcpState> s) {
        return new SocketFilter(ports, family, s);
    }

    @Override
    public int[] ports() {
        return ports.clone();
    }

    /** True when no port restriction applies. */
    public boolean allPorts() {
        return ports.length == 0;
    }

    /** True when a socket with these ports passes the port part of the filter. */
    public boolean matchesPorts(int localPort, int remotePort) {
        if (ports.length == 0) {
            return true;
        }
        // Few ports in practice: a linear scan of a sorted int[] beats hashing boxed Integers.
        for (int p : ports) {
            if (p == localPort || p == remotePort) {
                return true;
            }
        }
        return false;
    }

    /** True when the state passes the state part of the filter. */
    public boolean matchesState(TcpState s) {
        return s != null && states.contains(s);
    }

    /** The {@code idiag_states} bitmask for the wanted states. */
    public int stateMask() {
        int m = 0;
        for (TcpState s : states) {
            m |= s.mask();
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SocketFilter f && Arrays.equals(ports, f.ports) && family == f.family && states.equals(f.states);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(ports) + family.hashCode()) + states.hashCode();
    }

    @Override
    public String toString() {
        return "SocketFilter[ports=" + Arrays.toString(ports) + ", family=" + family + ", states=" + states + "]";
    }
}
