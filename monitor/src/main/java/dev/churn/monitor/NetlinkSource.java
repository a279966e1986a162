package dev.churn.monitor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts TCP states the way {@code ss} does: a netlink {@code inet_diag} dump
 * ({@code NETLINK_SOCK_DIAG}), asking the kernel only for the wanted states and ports, through FFM.
 * Both address families come from one {@code TCPDIAG_GETSOCK} dump: every dump walks the kernel's
 * whole established hash (262,144 buckets on a 16 GB machine, more on bigger ones) whatever it
 * finds there, and a dump per family ({@code SOCK_DIAG_BY_FAMILY}, as {@code ss} makes) walked it
 * twice, 2.5 ms of CPU per sample against 1.3. A kernel that refuses it gets a dump per family.
 * Open it once and call {@link #count} as often as needed: the socket and a 1 MiB native buffer
 * are reused, so a count allocates nothing per socket. Not thread-safe; close it to release the
 * socket and the buffer.
 *
 * <p>What it reports is the kernel's view for this network namespace: orphaned FIN_WAIT2 sockets
 * (timewait minisockets whose tw_substate is FIN_WAIT2) count as FIN_WAIT2, as in {@code ss}, and a
 * connection over IPv4 counts as {@link AddressFamily#IPV4} even on a dual-stack IPv6 socket.
 */
public final class NetlinkSource implements SocketRowSource {

    private static final int RECV_BUFFER = 1 << 20;
    private static final int RECV_TIMEOUT_SECONDS = 5;
    private static final long DUMP_DEADLINE_NANOS = 30_000_000_000L;
    private static final int EINTR_RETRIES = 8;
    private static final int EINVAL = 22;

    // inet_diag_msg after the 16-byte nlmsghdr: family, state, timer, retrans, then the sockid,
    // which starts with sport and dport in network byte order.
    private static final int MSG_STATE = InetDiagRequest.NLMSG_HDRLEN + 1;
    private static final int MSG_TIMER = InetDiagRequest.NLMSG_HDRLEN + 2; // 3: the timewait timer
    private static final int MSG_SPORT = InetDiagRequest.NLMSG_HDRLEN + 4;
    private static final int MSG_DPORT = InetDiagRequest.NLMSG_HDRLEN + 6;
    private static final int MSG_SRC = InetDiagRequest.NLMSG_HDRLEN + 8; // 16 bytes, also for IPv4
    private static final int MSG_DST = InetDiagRequest.NLMSG_HDRLEN + 24; // 16 bytes
    private static final int MSG_EXPIRES = InetDiagRequest.NLMSG_HDRLEN + 52; // after the 48-byte sockid; ms
    private static final int MSG_INODE = InetDiagRequest.NLMSG_HDRLEN + 68; // after expires, queues, uid
    private static final int MSG_MIN_LEN = InetDiagRequest.NLMSG_HDRLEN + 24;
    private static final int MSG_FULL_LEN = InetDiagRequest.NLMSG_HDRLEN + 72; // all of inet_diag_msg
    private static final int ERROR_CODE = InetDiagRequest.NLMSG_HDRLEN;
    private static final int TIMER_TIMEWAIT = 3;
    private static final int RTA_HDRLEN = 4;
    private static final int NLA_TYPE_MASK = 0x3FFF; // without NLA_F_NESTED and NLA_F_NET_BYTEORDER
    // struct tcp_info (include/uapi/linux/tcp.h): eight u8 fields, then u32s from tcpi_rto on;
    // tcpi_last_data_recv is the fourteenth field, a u32 at byte 52 (ms).
    private static final int TCPI_LAST_DATA_RECV = 52;
    private static final int CLOSE_WAIT_CODE = TcpState.CLOSE_WAIT.code();

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT;
    private static final ValueLayout.OfShort NET_SHORT = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt NET_INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong NET_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int ADDRESS_CACHE_LIMIT = 1 << 16;
    private static final int V4_SLOTS_LOG2 = 10;
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    private static final int[] NO_PORTS = new int[0];
    private static final TcpState[] STATES = TcpState.values();

    // Shared, not confined: a source is often opened on one thread and sampled on another.
    private final Arena arena = Arena.ofShared();
    private final MemorySegment errno = Downcalls.allocateErrno(arena);
    private final MemorySegment request = arena.allocate(InetDiagRequest.maxLength(), 8);
    private final MemorySegment reply = arena.allocate(RECV_BUFFER, 8);
    private final MemorySegment kernel = arena.allocate(12, 4); // sockaddr_nl {AF_NETLINK, 0, pid 0, groups 0}
    private final long[] byCode = new long[16];
    private Mapped mapped = Mapped.ANY;
    private long received;
    private long receivedBytes;
    private int dumps;
    private int fd = -1;
    private int seq;
    private boolean kernelPortFilter = true;
    private boolean bothFamiliesInOneDump = true;
    private boolean closed;
    private SocketVisitor visitor; // non-null only inside visit(): the count path stays a tally
    private int ext; // the idiag_ext bits of the dumps under way
    // CLOSE_WAIT ages: inode -> System.nanoTime() at which its idle age was 0, for the CLOSE_WAIT of
    // the last visit (and, being filled, of this one); whether the next visit must ask tcp_info.
    private Map<Long, Long> closeWaitZero = new HashMap<>();
    private Map<Long, Long> closeWaitZeroNext = new HashMap<>();
    private boolean ageAllCloseWait = true;
    private boolean missedCloseWait;
    private long visitStartNanos;
    private final Map<Integer, InetAddress> v4Addresses = new HashMap<>();
    private final InetAddress[] v4Slots = new InetAddress[1 << V4_SLOTS_LOG2];
    private final int[] v4SlotBits = new int[1 << V4_SLOTS_LOG2];
    private final Map<V6Bits, InetAddress> v6Addresses = new HashMap<>();

    /** Opens the netlink socket; fails with an IOException when the kernel refuses it. */
    public NetlinkSource() throws IOException {
        kernel.set(SHORT, 0, (short) Libc.AF_NETLINK);
        try {
            fd = openSocket();
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** True on Linux when a netlink sock_diag socket opens and answers a TCP dump; probed once. */
    public static boolean isSupported() {
        return Probe.SUPPORTED;
    }

    @Override
    public SourceKind kind() {
        return SourceKind.NETLINK;
    }

    @Override
    public StateCounts count(SocketFilter filter) throws IOException {
        return count(filter, true);
    }

    /**
     * Counts with or without the kernel-side port filter; the Java-side port check always runs,
     * so both give the same answer and tests can compare them.
     */
    StateCounts count(SocketFilter filter, boolean askKernelToFilterPorts) throws IOException {
        if (closed) {
            throw new IOException("netlink inet_diag: source is closed");
        }
        int wanted = filter.stateMask();
        if (wanted == 0) {
            return StateCounts.EMPTY;
        }
        int[] ports = filter.ports();
        Arrays.fill(byCode, 0);
        received = 0;
        receivedBytes = 0;
        dumps = 0;
        // Java's sockets are dual-stack AF_INET6 sockets even for 127.0.0.1, so the AF_INET6 dump
        // holds IPv4 connections too, with IPv4-mapped addresses (::ffff:a.b.c.d); the family a
        // user means is the connection's, so those count as IPv4 and the v6 dump is split.
        AddressFamily family = filter.family();
        // Visiting needs tcp_info for one thing, a CLOSE_WAIT's idle age, and asks for it in the
        // same dump (a second dump for CLOSE_WAIT alone would walk the whole table again: +25 ms at
        // 52,000 sockets), only when a CLOSE_WAIT it has not aged yet may be there: tcp_info for
        // every full socket costs the kernel +10 ms there. A CLOSE_WAIT has had the peer's FIN,
        // so no data can follow: once known, its age just grows with the clock.
        dumpFamilies(family, wanted, ports, askKernelToFilterPorts,
                visitor != null && ageAllCloseWait ? InetDiagRequest.EXT_INFO : 0);
        if (visitor != null) {
            Map<Long, Long> aged = closeWaitZero;
            closeWaitZero = closeWaitZeroNext;
            closeWaitZeroNext = aged;
            closeWaitZeroNext.clear();
            ageAllCloseWait = missedCloseWait;
            missedCloseWait = false;
        }
        StateCounts.Builder b = new StateCounts.Builder();
        for (TcpState s : STATES) {
            // The kernel tests the mask against a timewait minisocket's tw_substate and reports the
            // same field, but a FIN_WAIT2 minisocket that gets its peer's FIN between the test and
            // the report turns TIME_WAIT in between: count only what was asked for.
            if ((wanted & s.mask()) != 0) {
                b.add(s, byCode[s.code()]);
            }
        }
        return b.build();
    }

    /**
     * Hands every socket that passes the filter to {@code v}, as a {@link SocketRow}, besides
     * counting it; the same filters and family split as {@link #count}. Only this path asks the
     * kernel for tcp_info ({@code INET_DIAG_INFO}, about 250 bytes more per full socket, none for
     * timewait minisockets), read for CLOSE_WAIT sockets only, to fill {@link SocketRow#idleMillis()},
     * and only in the first visit and after one that met a CLOSE_WAIT it had not aged (which gets
     * -1 there): an aged CLOSE_WAIT's age then grows with the clock; the
     * timewait timer comes with every socket's header. Sockets of one address are handed over
     * with one shared InetAddress.
     */
    @Override
    public StateCounts visit(SocketFilter filter, SocketVisitor v) throws IOException {
        visitor = v;
        visitStartNanos = System.nanoTime();
        try {
            return count(filter, true);
        } finally {
            visitor = null;
        }
    }

    /** Sockets the kernel sent for the last count, before the Java-side filters: its cost. */
    long receivedInLastCount() {
        return received;
    }

    /** Dumps the last count or visit asked the kernel for: each walked its whole socket tables. */
    int dumpsInLastCount() {
        return dumps;
    }

    /** Bytes the kernel sent for the last count or visit: what asking for tcp_info adds. */
    long bytesInLastCount() {
        return receivedBytes;
    }

    /** False once the kernel refused the port program (before Linux 4.16); then Java filters alone. */
    boolean usesKernelPortFilter() {
        return kernelPortFilter;
    }

    /** False once the kernel refused the two-family dump; then a dump per family. */
    boolean dumpsBothFamiliesAtOnce() {
        return bothFamiliesInOneDump;
    }

    /** From now on, a dump per family (tests compare the two ways). */
    void dumpEachFamily() {
        bothFamiliesInOneDump = false;
    }

    private void dumpFamilies(AddressFamily family, int wanted, int[] ports, boolean askKernel, int ext) throws IOException {
        this.ext = ext;
        if (family.includesV4() && bothFamiliesInOneDump) {
            // IPv6 alone is the AF_INET6 dump's anyway; the rest are both families, in one walk.
            Mapped v6 = family == AddressFamily.ALL ? Mapped.ANY : Mapped.ONLY;
            boolean portFilter = kernelPortFilter;
            try {
                dump(InetDiagRequest.BOTH_FAMILIES, wanted, ports, askKernel, v6);
                return;
            } catch (KernelError e) {
                // Refused before any socket came (the kernel checks a request first): a dump per family,
                // which finds out for itself whether the port program is understood.
                bothFamiliesInOneDump = false;
                kernelPortFilter = portFilter;
                Arrays.fill(byCode, 0);
                received = 0;
            }
        }
        if (family.includesV4()) {
            dump(Libc.AF_INET, wanted, ports, askKernel, Mapped.ANY);
        }
        dump(Libc.AF_INET6, wanted, ports, askKernel, switch (family) {
            case ALL -> Mapped.ANY;
            case IPV4 -> Mapped.ONLY;
            case IPV6 -> Mapped.NONE;
        });
    }

    private void dump(int family, int wanted, int[] ports, boolean askKernel, Mapped mapped) throws IOException {
        this.mapped = mapped;
        if (fd < 0) {
            fd = openSocket(); // a failed dump closed it: a half-read dump would confuse the next
        }
        boolean bytecode = askKernel && kernelPortFilter && ports.length > 0
                && ports.length <= InetDiagRequest.MAX_KERNEL_FILTER_PORTS;
        try {
            try {
                run(family, wanted, bytecode ? ports : NO_PORTS, ports);
            } catch (KernelError e) {
                if (!bytecode || e.errno != EINVAL) {
                    throw e;
                }
                // A kernel older than 4.16 lacks S_EQ/D_EQ; count all ports and filter here.
                kernelPortFilter = false;
                run(family, wanted, NO_PORTS, ports);
            }
        } catch (IOException | RuntimeException e) {
            closeSocket();
            throw e;
        }
    }

    private void run(int family, int mask, int[] kernelPorts, int[] ports) throws IOException {
        int mySeq = ++seq;
        dumps++;
        int len = InetDiagRequest.write(request, mySeq, family, mask, kernelPorts, ext);
        if (Libc.sendto(errno, fd, request, len, kernel) < 0) {
            throw failure("sendto");
        }
        long deadline = System.nanoTime() + DUMP_DEADLINE_NANOS;
        while (true) {
            if (System.nanoTime() > deadline) {
                throw new IOException("netlink inet_diag: dump did not end within " + DUMP_DEADLINE_NANOS / 1_000_000_000L + " s");
            }
            long n = receive();
            receivedBytes += n;
            long off = 0;
            while (off + InetDiagRequest.NLMSG_HDRLEN <= n) {
                int msgLen = reply.get(INT, off);
                if (msgLen < InetDiagRequest.NLMSG_HDRLEN || off + msgLen > n) {
                    throw new IOException("netlink inet_diag: malformed reply, message length " + msgLen);
                }
                int type = reply.get(SHORT, off + 4) & 0xFFFF;
                if (reply.get(INT, off + 8) == mySeq) {
                    if (type == InetDiagRequest.NLMSG_DONE) {
                        checkDone(off, msgLen);
                        return;
                    }
                    if (type == InetDiagRequest.NLMSG_ERROR) {
                        int error = -reply.get(INT, off + ERROR_CODE);
                        throw new KernelError(error);
                    }
                    if ((type == InetDiagRequest.SOCK_DIAG_BY_FAMILY || type == InetDiagRequest.TCPDIAG_GETSOCK)
                            && msgLen >= MSG_MIN_LEN) {
                        received++;
                        tally(off, msgLen, ports);
                    }
                }
                off += (msgLen + 3) & ~3; // NLMSG_ALIGN
            }
        }
    }

    private void tally(long off, int msgLen, int[] ports) {
        int state = reply.get(BYTE, off + MSG_STATE) & 0x0F;
        // The IPv4-mapped split is for AF_INET6 sockets (a two-family dump holds AF_INET ones too).
        if (mapped != Mapped.ANY && (reply.get(BYTE, off + InetDiagRequest.NLMSG_HDRLEN) & 0xFF) == Libc.AF_INET6
                && isV4Mapped(off) != (mapped == Mapped.ONLY)) {
            return;
        }
        if (ports.length > 0) {
            int sport = reply.get(NET_SHORT, off + MSG_SPORT) & 0xFFFF;
            int dport = reply.get(NET_SHORT, off + MSG_DPORT) & 0xFFFF;
            boolean match = false;
            for (int p : ports) {
                if (p == sport || p == dport) {
                    match = true;
                    break;
                }
            }
            if (!match) {
                return;
            }
        }
        byCode[state]++;
        if (visitor != null && msgLen >= MSG_FULL_LEN) {
            visitor.visit(row(off, msgLen, state));
        }
    }

    private SocketRow row(long off, int msgLen, int state) {
        // Where an IPv4 address starts in the 16-byte field: first for AF_INET, last when IPv4-mapped.
        int v4At = (reply.get(BYTE, off + InetDiagRequest.NLMSG_HDRLEN) & 0xFF) == Libc.AF_INET ? 0
                : isV4Mapped(off) ? 12 : -1;
        long timer = (reply.get(BYTE, off + MSG_TIMER) & 0xFF) == TIMER_TIMEWAIT
                ? reply.get(INT, off + MSG_EXPIRES) & 0xFFFFFFFFL : SocketRow.UNKNOWN;
        return new SocketRow(TcpState.fromCode(state),
                address(off + MSG_SRC, v4At), reply.get(NET_SHORT, off + MSG_SPORT) & 0xFFFF,
                address(off + MSG_DST, v4At), reply.get(NET_SHORT, off + MSG_DPORT) & 0xFFFF,
                reply.get(INT, off + MSG_INODE) & 0xFFFFFFFFL,
                state == CLOSE_WAIT_CODE ? closeWaitIdle(off, msgLen) : SocketRow.UNKNOWN, timer);
    }

    /**
     * A CLOSE_WAIT's idle age in ms: from its tcp_info when this dump asked for it, else from when
     * an earlier visit saw it; -1 for a CLOSE_WAIT new since then, which makes the next visit ask.
     */
    private long closeWaitIdle(long off, int msgLen) {
        long inode = reply.get(INT, off + MSG_INODE) & 0xFFFFFFFFL;
        long idle = ext != 0 ? lastDataReceived(off, msgLen) : SocketRow.UNKNOWN;
        if (idle >= 0) {
            closeWaitZeroNext.put(inode, visitStartNanos - idle * 1_000_000L);
            return idle;
        }
        Long zero = closeWaitZero.get(inode);
        if (zero == null) {
            missedCloseWait = true;
            return SocketRow.UNKNOWN;
        }
        closeWaitZeroNext.put(inode, zero);
        return (visitStartNanos - zero) / 1_000_000L;
    }

    /**
     * tcpi_last_data_recv from the INET_DIAG_INFO attribute among those after inet_diag_msg, or -1
     * when the kernel sent none (a timewait or request minisocket) or a tcp_info too short for it.
     */
    private long lastDataReceived(long off, int msgLen) {
        long end = off + msgLen;
        long at = off + MSG_FULL_LEN;
        while (at + RTA_HDRLEN <= end) {
            int len = reply.get(SHORT, at) & 0xFFFF;
            if (len < RTA_HDRLEN || at + len > end) {
                return SocketRow.UNKNOWN;
            }
            int type = reply.get(SHORT, at + 2) & NLA_TYPE_MASK;
            if (type == InetDiagRequest.INET_DIAG_INFO) {
                return len - RTA_HDRLEN >= TCPI_LAST_DATA_RECV + 4
                        ? reply.get(INT, at + RTA_HDRLEN + TCPI_LAST_DATA_RECV) & 0xFFFFFFFFL : SocketRow.UNKNOWN;
            }
            at += (len + 3) & ~3; // RTA_ALIGN
        }
        return SocketRow.UNKNOWN;
    }

    /**
     * The address at {@code at}, one shared InetAddress per distinct address: a dump of tens of
     * thousands of sockets names a handful of addresses, and building one per row (a copy, a lookup
     * of the right class, an object with a holder) cost more than the grouping that reads it.
     */
    private InetAddress address(long at, int v4At) {
        if (v4At >= 0) {
            int bits = reply.get(NET_INT, at + v4At);
            // A direct-mapped table in front of the map: no boxing for the few addresses a table names.
            int slot = (bits * 0x9E3779B9) >>> (32 - V4_SLOTS_LOG2);
            InetAddress a = v4Slots[slot];
            if (a != null && v4SlotBits[slot] == bits) {
                return a;
            }
            a = v4Addresses.get(bits);
            if (a == null) {
                a = newAddress(at + v4At, 4);
                remember(v4Addresses, bits, a);
            }
            v4Slots[slot] = a;
            v4SlotBits[slot] = bits;
            return a;
        }
        V6Bits bits = new V6Bits(reply.get(NET_LONG, at), reply.get(NET_LONG, at + 8));
        InetAddress a = v6Addresses.get(bits);
        if (a == null) {
            a = newAddress(at, 16);
            remember(v6Addresses, bits, a);
        }
        return a;
    }

    private InetAddress newAddress(long at, int length) {
        byte[] b = new byte[length];
        MemorySegment.copy(reply, BYTE, at, b, 0, length);
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes always make an address
        }
    }

    // Bounded: a host talking to very many peers starts over rather than growing without end.
    private static <K> void remember(Map<K, InetAddress> cache, K key, InetAddress a) {
        if (cache.size() >= ADDRESS_CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(key, a);
    }

    /** An IPv6 address's 128 bits, the key of the address cache. */
    private record V6Bits(long high, long low) {}

    /** True when the local address is ::ffff:a.b.c.d (an IPv4 connection on an IPv6 socket). */
    private boolean isV4Mapped(long off) {
        return reply.get(INT, off + MSG_SRC) == 0
                && reply.get(INT, off + MSG_SRC + 4) == 0
                && reply.get(NET_INT, off + MSG_SRC + 8) == 0x0000FFFF;
    }

    /** Since Linux 4.x NLMSG_DONE carries the dump's result; a negative one is a failed dump. */
    private void checkDone(long off, int msgLen) throws IOException {
        if (msgLen >= InetDiagRequest.NLMSG_HDRLEN + 4) {
            int result = reply.get(INT, off + InetDiagRequest.NLMSG_HDRLEN);
            if (result < 0) {
                throw new KernelError(-result);
            }
        }
    }

    private long receive() throws IOException {
        for (int attempt = 0; ; attempt++) {
            long n = Libc.recv(errno, fd, reply);
            if (n > 0) {
                return n;
            }
            if (n == 0) {
                throw new IOException("netlink inet_diag: recv returned no data before NLMSG_DONE");
            }
            if (Downcalls.errno(errno) != Libc.EINTR || attempt >= EINTR_RETRIES) {
                throw failure("recv");
            }
        }
    }

    private int openSocket() throws IOException {
        int s = Libc.socket(errno, Libc.AF_NETLINK, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, Libc.NETLINK_SOCK_DIAG);
        if (s < 0) {
            throw failure("socket");
        }
        // A receive timeout, so a kernel that never answers fails the count instead of hanging it.
        try (Arena local = Arena.ofConfined()) {
            MemorySegment timeval = local.allocate(16, 8);
            timeval.set(ValueLayout.JAVA_LONG, 0, RECV_TIMEOUT_SECONDS);
            if (Libc.setsockopt(errno, s, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeval) < 0) {
                IOException e = failure("setsockopt(SO_RCVTIMEO)");
                Libc.close(errno, s);
                throw e;
            }
        }
        return s;
    }

    private IOException failure(String call) {
        return new IOException("netlink inet_diag: " + call + " failed: " + Downcalls.describe(Downcalls.errno(errno)));
    }

    private void closeSocket() {
        if (fd >= 0) {
            Libc.close(errno, fd);
            fd = -1;
        }
    }

    /** Closes the socket and frees the native buffers; later counts fail. Safe to call twice. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeSocket();
            arena.close();
        }
    }

    /** Which sockets of an AF_INET6 dump count: all, only IPv4-mapped ones, or only real IPv6. */
    private enum Mapped {
        ANY,
        ONLY,
        NONE
    }

    /** NLMSG_ERROR or a failed NLMSG_DONE: the kernel's own errno. */
    private static final class KernelError extends IOException {
        final int errno;

        KernelError(int errno) {
            super("netlink inet_diag: kernel answered " + Downcalls.describe(errno));
            this.errno = errno;
        }
    }

    /** Holds the one-time answer of {@link #isSupported()}. */
    private static final class Probe {
        static final boolean SUPPORTED = probe();

        private static boolean probe() {
            if (!StateSources.isLinux()) {
                return false;
            }
            try (NetlinkSource s = new NetlinkSource()) {
                // LISTEN only: a real dump through the tcp_diag handler, but a short one.
                s.count(SocketFilter.ALL.withStates(java.util.EnumSet.of(TcpState.LISTEN)), false);
                return true;
            } catch (IOException | RuntimeException | LinkageError e) {
                return false;
            }
        }
    }
}
