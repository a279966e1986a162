package dev.churn.bench.lab;

import dev.churn.monitor.TcpState;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Port exhaustion and its fixes, each run in a fresh private namespace with a narrow
 * ip_local_port_range and tcp_tw_reuse=0: a paced, bounded load of connect-close cycles to one
 * destination port until connect fails with EADDRNOTAVAIL, then the same load under each {@link Fix}.
 * Needs root. Use: {@code List<FixResult> r = new ExhaustLab(ExhaustLab.Load.DEFAULT).runAll();}
 */
public final class ExhaustLab {

    /** Ports in the namespace's ip_local_port_range, cycles per run and their pace. */
    public record Load(int firstPort, int ports, int cycles, int perSecond) {
        /** 100 ports, 160 cycles at 80/s: TIME_WAITs outlive the range, yet are over a second old when reused. */
        public static final Load DEFAULT = new Load(40000, 100, 160, 80);

        /**
         * How old the first TIME_WAIT must be, at the pace asked, when the range is spent: the 1 s of
         * net.ipv4.tcp_tw_reuse_delay (a namespace's default) and 0.2 s for a first cycle slower than
         * its schedule.
         */
        static final long REUSE_AGE_MILLIS = 1200;

        public Load {
            if (firstPort < 1024 || firstPort > 65536 - 8) {
                throw new IllegalArgumentException("the range must start within 1024-65528, got " + firstPort);
            }
            if (ports < 8 || firstPort + ports > 65536) {
                // The range starts at firstPort, so the most it holds is what is left below 65536.
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--ports must be 8 to %,d (the range runs from %d up to 65535), got %,d", 65536 - firstPort, firstPort,
                        ports));
            }
            if (cycles < 1 || perSecond < 1) {
                throw new IllegalArgumentException("--cycles and --rate must be positive");
            }
            if (cycles < leastCycles(ports)) {
                // Accepted, it ran, found nothing run out, and ended "unexpected" with exit 1: the input's fault. A few
                // more cycles than ports were not enough either: a TIME_WAIT ended early by an RST frees its port
                // (10,000 cycles on 9,999 ports: 9,998 connected, none failed).
                throw new IllegalArgumentException(String.format(Locale.ROOT, "--cycles must be at least %,d for --ports"
                        + " %,d (a tenth more, and 8 more at least): each cycle's TIME_WAIT holds its port for 60 s, but one ended early by an"
                        + " RST frees it, so %,d cycles may not run %,d ports out", leastCycles(ports), ports, cycles, ports));
            }
            if (ports * 1000L < REUSE_AGE_MILLIS * perSecond) {
                // Accepted, tcp_tw_reuse=1 found no TIME_WAIT old enough to take over and "still hit" EADDRNOTAVAIL.
                throw new IllegalArgumentException(String.format(Locale.ROOT, "--rate %,d spends the %,d ports in %.2f s, "
                        + "before any TIME_WAIT is 1 s old (tcp_tw_reuse_delay), the age tcp_tw_reuse=1 needs to take one "
                        + "over: give --rate %,d or less, or more --ports", perSecond, ports, ports / (double) perSecond,
                        ports * 1000L / REUSE_AGE_MILLIS));
            }
            if (ports * 1000L > SPEND_MILLIS * perSecond) {
                // Accepted, --ports 70 --cycles 78 --rate 1 ran 8 minutes: the first TIME_WAITs expired before the range
                // was spent, the baseline never ran out, and the lab blamed the kernel ("unexpected", exit 1).
                throw new IllegalArgumentException(String.format(Locale.ROOT, "--rate %,d spends the %,d ports in %.0f s,"
                        + " and a TIME_WAIT holds its port for 60 s only: the first ones would expire before the baseline"
                        + " runs out; give --rate %,d or more, or fewer --ports", perSecond, ports, ports / (double) perSecond,
                        (ports * 1000L + SPEND_MILLIS - 1) / SPEND_MILLIS));
            }
            if (cycles > (long) DESTINATIONS_FOR_MORE_PORTS * ports) {
                // Accepted, --cycles 500 for 100 ports ran the 400 four-tuples of the 4 destinations out too, and the lab
                // said the kernel disagreed ("4 destination ports still hit EADDRNOTAVAIL (100)", exit 1).
                throw new IllegalArgumentException(String.format(Locale.ROOT, "--cycles must be at most %,d for --ports %,d:"
                        + " the fix of %d destination ports has %d x %,d four-tuples, each held 60 s by its TIME_WAIT, so %,d"
                        + " cycles would run it out too", DESTINATIONS_FOR_MORE_PORTS * ports, ports,
                        DESTINATIONS_FOR_MORE_PORTS, DESTINATIONS_FOR_MORE_PORTS, ports, cycles));
            }
        }

        /**
         * The longest the baseline may take to spend the range: a TIME_WAIT lasts 60 s, and 10 s are left for a run
         * that falls behind its pace on a busy machine.
         */
        static final long SPEND_MILLIS = 50_000;
    }

    /** The fewest cycles that run {@code ports} out for sure: a tenth more, and 8 more at least. */
    public static int leastCycles(int ports) {
        return ports + Math.max(8, (ports + 9) / 10);
    }

    private static final int DESTINATIONS_FOR_MORE_PORTS = 4;
    private static final int LISTEN_PORT = 9400;
    /**
     * How often the TIME_WAIT peak is sampled, by the clock and not every 10 cycles: a read of /proc's tcp and tcp6 walks
     * the kernel's whole established hash, which a new namespace shares with the host (7-9 ms here, beside other
     * namespaces' TIME_WAIT), and every 10 cycles that held --rate 7,000 to 375-938 cycles a second, which the table
     * then put down to "a busy machine".
     */
    private static final long SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Load load;

    /** A lab that runs this load for each fix. */
    public ExhaustLab(Load load) {
        this.load = load;
    }

    /** The baseline and every fix, in order. */
    public List<FixResult> runAll() throws IOException {
        List<FixResult> out = new ArrayList<>();
        for (Fix f : Fix.values()) {
            out.add(run(f));
        }
        return out;
    }

    /** One run in its own namespace, removed afterwards. */
    public FixResult run(Fix fix) throws IOException {
        try (NetNamespace ns = NetNamespace.create()) {
            ns.sysctl("net.ipv4.ip_local_port_range", load.firstPort() + " " + (load.firstPort() + load.ports() - 1));
            ns.sysctl("net.ipv4.tcp_tw_reuse", fix == Fix.TW_REUSE ? "1" : "0");
            return ns.call(() -> churn(fix));
        }
    }

    private FixResult churn(Fix fix) throws IOException, InterruptedException {
        int destinations = fix == Fix.MORE_PORTS ? DESTINATIONS_FOR_MORE_PORTS : 1;
        List<ServerSocketChannel> listeners = new ArrayList<>();
        List<Thread> servers = new ArrayList<>();
        try {
            for (int i = 0; i < destinations; i++) {
                ServerSocketChannel l = ServerSocketChannel.open(StandardProtocolFamily.INET);
                l.bind(new InetSocketAddress("127.0.0.1", listenPort(i)), 1024);
                listeners.add(l);
                servers.add(Thread.ofPlatform().daemon().name("churn-lab-sink").start(() -> serve(l, fix)));
            }
            long ok = 0;
            long notAvail = 0;
            long other = 0;
            long twPeak = 0;
            String firstOther = null;
            // Every port of the range is the client's: the listeners' ports lie outside it.
            List<Integer> clientPorts = new ArrayList<>();
            for (int p = load.firstPort(); p < load.firstPort() + load.ports(); p++) {
                clientPorts.add(p);
            }
            long interval = TimeUnit.SECONDS.toNanos(1) / load.perSecond();
            long start = System.nanoTime();
            long sampled = start;
            long lastStart = start;
            for (int i = 0; i < load.cycles(); i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                lastStart = System.nanoTime();
                try {
                    cycle(fix, listeners.get(i % destinations).getLocalAddress(), clientPorts.get(i % clientPorts.size()));
                    ok++;
                } catch (PortsSpent e) {
                    notAvail++;
                } catch (IOException e) {
                    other++;
                    firstOther = firstOther == null ? e.toString() : firstOther;
                }
                if (System.nanoTime() - sampled >= SAMPLE_NANOS) {
                    twPeak = Math.max(twPeak, SocketTable.read().count(TcpState.TIME_WAIT));
                    sampled = System.nanoTime();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            twPeak = Math.max(twPeak, SocketTable.read().count(TcpState.TIME_WAIT));
            // The pace kept is of the cycles made, failed ones too: of the completed ones alone it read 50/s for a
            // baseline that kept its 80/s and had 60 connects refused, and the note blamed a busy machine. And it is the
            // pace of their starts, N-1 intervals from the first to the last: N cycles over the time to the last one's
            // end read 6.4/s for 16 cycles kept to --rate 6.
            long made = ok + notAvail + other;
            double pace = made > 1 && lastStart > start ? (made - 1) / ((lastStart - start) / 1e9) : made / seconds;
            return new FixResult(fix, ok, notAvail, other, pace, twPeak, firstOther);
        } finally {
            for (ServerSocketChannel l : listeners) {
                l.close();
            }
            for (Thread t : servers) {
                t.join(TimeUnit.SECONDS.toMillis(2));
            }
        }
    }

    /**
     * The i-th listener's port: fixed, below 32768 and outside the client's range. A listener bound
     * to port 0 took a port of the narrow range itself (bind(0) picks from ip_local_port_range),
     * and the baseline then ran out at 99 of its 100 ports.
     */
    int listenPort(int i) {
        int base = LISTEN_PORT;
        if (base < load.firstPort() + load.ports() && base + DESTINATIONS_FOR_MORE_PORTS > load.firstPort()) {
            base = load.firstPort() - DESTINATIONS_FOR_MORE_PORTS; // the range starts at 1024 or above
        }
        return base + i;
    }

    /**
     * connect() found no local port for the four-tuple: EADDRNOTAVAIL. The JDK throws a BindException for it (and for
     * EADDRINUSE and EACCES, which a connect in the lab's namespace does not meet), worded by strerror(3) in the user's
     * language: matched on "Cannot assign requested address", a baseline under LANG=de_DE.UTF-8 counted its 60 refused
     * connects as other failures and the lab said it "did not run out of ports" (exit 1).
     */
    static final class PortsSpent extends IOException {
        PortsSpent(BindException e) {
            super(e.getMessage(), e);
        }
    }

    /** What a failed connect() was: ports spent (a BindException, whatever its words) or another failure. */
    static IOException fromConnect(IOException e) {
        return e instanceof BindException b ? new PortsSpent(b) : e;
    }

    private static void cycle(Fix fix, java.net.SocketAddress target, int clientPort) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.INET)) {
            if (fix == Fix.BIND_REUSEADDR) {
                c.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                // A bind refused (EADDRINUSE) is another failure, not a connect that found no port.
                c.bind(new InetSocketAddress("127.0.0.1", clientPort));
            }
            try {
                c.connect(target);
            } catch (IOException e) {
                throw fromConnect(e);
            }
            if (fix == Fix.LINGER_ZERO) {
                c.setOption(StandardSocketOptions.SO_LINGER, 0);
            } else if (fix == Fix.SERVER_CLOSES) {
                // Wait for the server's FIN, so the server's side is the one that keeps TIME_WAIT.
                c.read(ByteBuffer.allocate(1));
            }
        }
    }

    // The sink: closes at once when the server closes first, otherwise reads until the client's FIN or RST.
    private static void serve(ServerSocketChannel l, Fix fix) {
        ByteBuffer b = ByteBuffer.allocate(64);
        while (l.isOpen()) {
            try (SocketChannel s = l.accept()) {
                if (fix != Fix.SERVER_CLOSES) {
                    b.clear();
                    s.read(b);
                }
            } catch (IOException e) {
                // a reset from linger 0, or the listener closed at the end: either way, next or stop
            }
        }
    }
}
