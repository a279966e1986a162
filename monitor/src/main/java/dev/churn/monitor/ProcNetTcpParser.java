package dev.churn.monitor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Counts the rows of {@code /proc/net/tcp} or {@code /proc/net/tcp6} text held in a byte array by
 * scanning bytes in place: no String per line, no regex, no allocation. A row looks like
 * {@code "   3: 0100007F:CBB0 0100007F:D253 01 00000000:00000000 00:00000000 ..."}: the slot number,
 * local address:port, remote address:port, and the state code, all hex but the slot; the fields
 * after the state are not read. Rows that do not have this shape are skipped and counted as
 * malformed.
 */
final class ProcNetTcpParser {

    /** Hex digits in an IPv4 address field of /proc/net/tcp. */
    static final int IPV4_DIGITS = 8;

    /** Hex digits in an IPv6 address field of /proc/net/tcp6. */
    static final int IPV6_DIGITS = 32;

    /** Milliseconds per USER_HZ tick (100 per second), the unit of the {@code tm->when} column. */
    static final long MILLIS_PER_TICK = 10;

    /** Returned by {@link #parseRow} for a row that is not a socket. */
    static final long MALFORMED = -1;

    /** Bit of a {@link #parseRow} result: the local address is IPv4-mapped (::ffff:a.b.c.d). */
    static final long MAPPED = 1L << 40;

    /** Family selection for {@link #count}: count IPv4 connections (IPv4-mapped rows of tcp6 too). */
    static final int COUNT_V4 = 1;

    /** Family selection for {@link #count}: count real IPv6 connections. */
    static final int COUNT_V6 = 2;

    /** Index in a tally of {@link #count(byte[], int, int, int[], int, int, StateCounts.Builder, int[])}: rows that are sockets. */
    static final int GOOD_ROWS = 0;

    /** Index in a tally: rows that are not. */
    static final int MALFORMED_ROWS = 1;

    // The header's first two words (see hasHeader).
    private static final byte[] SL = "sl ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] LOCAL_ADDRESS = "local_address ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** How /proc/net/tcp6 prints ::ffff:0:0/96: four 32-bit words in host order, as hex. */
    private static final byte[] MAPPED_PREFIX = "0000000000000000FFFF0000".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Hex digit value per byte, -1 for any other byte; both cases accepted. */
    private static final byte[] HEX = new byte[256];

    /** Eight bytes at a time for the newline search, which is most of the scanning. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    static {
        java.util.Arrays.fill(HEX, (byte) -1);
        for (int d = 0; d < 10; d++) {
            HEX['0' + d] = (byte) d;
        }
        for (int d = 0; d < 6; d++) {
            HEX['A' + d] = (byte) (10 + d);
            HEX['a' + d] = (byte) (10 + d);
        }
    }

    private ProcNetTcpParser() {}

    /**
     * Counts into {@code into} every row of {@code text[0, length)} after the header line whose
     * state bit is in {@code stateMask} and whose local or remote port is in {@code ports} (any port
     * when empty) and whose family is selected by {@code families} ({@link #COUNT_V4},
     * {@link #COUNT_V6} or both: rows of {@code tcp} are IPv4, rows of {@code tcp6} IPv6 unless their
     * local address is IPv4-mapped); returns how many rows were malformed. {@code addressDigits} is
     * {@link #IPV4_DIGITS} or {@link #IPV6_DIGITS}.
     */
    static int count(byte[] text, int length, int addressDigits, int[] ports, int stateMask, int families, StateCounts.Builder into) {
        int[] tally = new int[2];
        count(text, length, addressDigits, ports, stateMask, families, into, tally);
        return tally[MALFORMED_ROWS];
    }

    /**
     * The same count, adding to {@code tally[GOOD_ROWS]} every row that is a socket (counted or
     * filtered out) and to {@code tally[MALFORMED_ROWS]} every row that is not, so a caller can tell
     * an empty table from one where nothing parsed, without allocating.
     */
    static void count(byte[] text, int length, int addressDigits, int[] ports, int stateMask, int families,
                      StateCounts.Builder into, int[] tally) {
        int malformed = 0;
        int good = 0;
        int start = indexOfNewline(text, 0, length) + 1; // the header; no newline at all: no rows
        if (start == 0) {
            return;
        }
        while (start < length) {
            int end = indexOfNewline(text, start, length);
            if (end < 0) {
                end = length; // the last row without its newline still counts
            }
            long row = parseRow(text, start, end, addressDigits);
            if (row == MALFORMED) {
                malformed++;
            } else {
                good++;
                int code = (int) (row >>> 32) & 0xFF;
                boolean v4 = addressDigits == IPV4_DIGITS || (row & MAPPED) != 0;
                if ((families & (v4 ? COUNT_V4 : COUNT_V6)) != 0
                        && (stateMask & (1 << code)) != 0 && matchesPorts(ports, (int) (row >>> 16) & 0xFFFF, (int) row & 0xFFFF)) {
                    into.addCode(code);
                }
            }
            start = end + 1;
        }
        tally[GOOD_ROWS] += good;
        tally[MALFORMED_ROWS] += malformed;
    }

    /**
     * The per-socket twin of {@link #count}: hands each row that passes the same filters to
     * {@code v} as a {@link SocketRow} (addresses decoded, inode read) and counts it into
     * {@code into}. A separate loop, so the count path stays a pure tally.
     */
    static void visit(byte[] text, int length, int addressDigits, int[] ports, int stateMask, int families,
                      StateCounts.Builder into, int[] tally, SocketVisitor v) {
        int start = indexOfNewline(text, 0, length) + 1;
        if (start == 0) {
            return;
        }
        while (start < length) {
            int end = indexOfNewline(text, start, length);
            if (end < 0) {
                end = length;
            }
            long row = parseRow(text, start, end, addressDigits);
            SocketRow r = row == MALFORMED ? null : socketRow(text, start, end, addressDigits, row);
            if (r == null) {
                tally[MALFORMED_ROWS]++;
            } else {
                tally[GOOD_ROWS]++;
                int code = r.state().code();
                boolean v4 = addressDigits == IPV4_DIGITS || (row & MAPPED) != 0;
                if ((families & (v4 ? COUNT_V4 : COUNT_V6)) != 0
                        && (stateMask & (1 << code)) != 0 && matchesPorts(ports, r.localPort(), r.remotePort())) {
                    into.addCode(code);
                    v.visit(r);
                }
            }
            start = end + 1;
        }
    }

    /**
     * The row {@link #parseRow} accepted as a {@link SocketRow}: both addresses, the timewait
     * timer and the inode, the sixth field after the state
     * ({@code st tx:rx tr:when retrnsmt uid timeout inode}); null when the inode is missing.
     */
    static SocketRow socketRow(byte[] text, int start, int end, int addressDigits, long row) {
        int p = start;
        while (text[p] == ' ') {
            p++;
        }
        p = text[p] >= '0' ? indexOf(text, p, end, ' ') : p; // past the slot
        p = skipSpaces(text, p, end);
        int local = p;
        int remote = local + addressDigits + 6;
        int field = remote + addressDigits + 6; // the state
        for (int i = 0; i < 2 && field < end; i++) {
            field = skipSpaces(text, indexOf(text, field, end, ' '), end);
        }
        long timer = timewaitMillis(text, field, end);
        for (int i = 0; i < 4 && field < end; i++) {
            field = skipSpaces(text, indexOf(text, field, end, ' '), end);
        }
        long inode = 0;
        int digits = 0;
        for (; field < end && text[field] >= '0' && text[field] <= '9' && digits < 19; field++, digits++) {
            inode = inode * 10 + (text[field] - '0');
        }
        if (digits == 0) {
            return null;
        }
        return new SocketRow(TcpState.fromCode((int) (row >>> 32) & 0xFF),
                address(text, local, addressDigits), (int) (row >>> 16) & 0xFFFF,
                address(text, remote, addressDigits), (int) row & 0xFFFF, inode, SocketRow.UNKNOWN, timer);
    }

    /**
     * The {@code tr:when} field at {@code p} in milliseconds when {@code tr} is 3, the timewait
     * timer (get_timewait4_sock and get_timewait6_sock print {@code 03:} and the time left in
     * USER_HZ ticks, hex, never negative), else -1: the other timers (retransmit, keepalive,
     * zero-window probe) are not what a timewait age means.
     */
    static long timewaitMillis(byte[] text, int p, int end) {
        if (p + 3 >= end || HEX[text[p] & 0xFF] != 0 || HEX[text[p + 1] & 0xFF] != 3 || text[p + 2] != ':') {
            return SocketRow.UNKNOWN;
        }
        long ticks = 0;
        int digits = 0;
        for (int i = p + 3; i < end && text[i] != ' '; i++, digits++) {
            int d = HEX[text[i] & 0xFF];
            if (d < 0 || ticks > Long.MAX_VALUE >> 4) {
                return SocketRow.UNKNOWN;
            }
            ticks = ticks << 4 | d;
            if (ticks > Long.MAX_VALUE / MILLIS_PER_TICK) {
                return SocketRow.UNKNOWN;
            }
        }
        return digits == 0 ? SocketRow.UNKNOWN : ticks * MILLIS_PER_TICK;
    }

    private static int indexOf(byte[] text, int p, int end, char c) {
        while (p < end && text[p] != c) {
            p++;
        }
        return p;
    }

    /**
     * The kernel prints each 32-bit word of an address as a host-order number, so on a
     * little-endian machine the bytes of each word come out reversed; an IPv4-mapped IPv6
     * address becomes the IPv4 address (InetAddress does that).
     */
    private static java.net.InetAddress address(byte[] text, int p, int digits) {
        byte[] b = new byte[digits / 2];
        boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        for (int i = 0; i < b.length; i++) {
            int word = i & ~3;
            int inWord = little ? 3 - (i & 3) : i & 3;
            int at = p + 2 * (word + inWord);
            b[i] = (byte) (HEX[text[at] & 0xFF] << 4 | HEX[text[at + 1] & 0xFF]);
        }
        try {
            return java.net.InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes always make an address
        }
    }

    /**
     * True when {@code text} starts with the header line the kernel writes above the rows of
     * {@code tcp} and {@code tcp6}: {@code "  sl  local_address rem_address   st ..."} (tcp6 says
     * {@code remote_address}). An empty table still has it; garbage does not.
     */
    static boolean hasHeader(byte[] text, int length) {
        int end = indexOfNewline(text, 0, length);
        if (end < 0) {
            return false;
        }
        int p = 0;
        while (p < end && text[p] == ' ') {
            p++;
        }
        return startsWith(text, p, end, SL) && startsWith(text, skipSpaces(text, p + SL.length, end), end, LOCAL_ADDRESS);
    }

    private static int skipSpaces(byte[] text, int p, int end) {
        while (p < end && text[p] == ' ') {
            p++;
        }
        return p;
    }

    private static boolean startsWith(byte[] text, int p, int end, byte[] prefix) {
        if (end - p < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (text[p + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses one row in {@code text[start, end)} (no newline inside) and returns
     * {@code state << 32 | localPort << 16 | remotePort}, with {@link #MAPPED} set for an IPv6 row
     * whose local address is IPv4-mapped, or {@link #MALFORMED}.
     */
    static long parseRow(byte[] text, int start, int end, int addressDigits) {
        int p = start;
        while (p < end && text[p] == ' ') {
            p++;
        }
        int slot = p;
        while (p < end && text[p] >= '0' && text[p] <= '9') {
            p++;
        }
        if (p == slot || p + 1 >= end || text[p] != ':' || text[p + 1] != ' ') {
            return MALFORMED;
        }
        p += 2;
        while (p < end && text[p] == ' ') {
            p++;
        }
        int local = endpointPort(text, p, end, addressDigits);
        if (local < 0) {
            return MALFORMED;
        }
        long mapped = addressDigits == IPV6_DIGITS && isMapped(text, p) ? MAPPED : 0;
        p += addressDigits + 6; // address, ':', 4 port digits, ' '
        int remote = endpointPort(text, p, end, addressDigits);
        if (remote < 0) {
            return MALFORMED;
        }
        p += addressDigits + 6;
        // two state digits, a space, and the first digit of tx_queue: the row goes on past the state
        if (p + 3 >= end || text[p + 2] != ' ' || HEX[text[p + 3] & 0xFF] < 0) {
            return MALFORMED;
        }
        int high = HEX[text[p] & 0xFF];
        int low = HEX[text[p + 1] & 0xFF];
        if ((high | low) < 0) {
            return MALFORMED;
        }
        int code = high << 4 | low;
        if (TcpState.fromCode(code) == null) {
            return MALFORMED;
        }
        return mapped | (long) code << 32 | (long) local << 16 | remote;
    }

    /** True when the 32 hex digits at {@code p} (already checked to be hex) start with ::ffff:0:0/96. */
    private static boolean isMapped(byte[] text, int p) {
        for (int i = 0; i < MAPPED_PREFIX.length; i++) {
            if ((text[p + i] & ~0x20) != MAPPED_PREFIX[i] && text[p + i] != MAPPED_PREFIX[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The port of an {@code ADDRESS:PORT} field followed by a space at {@code p}, or -1 when the
     * field is not exactly {@code addressDigits} hex digits, a colon and four hex digits.
     */
    private static int endpointPort(byte[] text, int p, int end, int addressDigits) {
        int colon = p + addressDigits;
        if (colon + 5 >= end || text[colon] != ':' || text[colon + 5] != ' ') {
            return -1;
        }
        int bad = 0;
        for (int i = p; i < colon; i++) {
            bad |= HEX[text[i] & 0xFF]; // any -1 sets the sign bit
        }
        int port = 0;
        for (int i = colon + 1; i < colon + 5; i++) {
            int d = HEX[text[i] & 0xFF];
            bad |= d;
            port = port << 4 | d;
        }
        return bad < 0 ? -1 : port;
    }

    private static boolean matchesPorts(int[] ports, int local, int remote) {
        if (ports.length == 0) {
            return true;
        }
        for (int p : ports) {
            if (p == local || p == remote) {
                return true;
            }
        }
        return false;
    }

    /** Index of the first '\n' in {@code text[from, to)}, or -1. */
    static int indexOfNewline(byte[] text, int from, int to) {
        int i = from;
        // SWAR: a zero byte in word ^ NEWLINES marks a newline; the lowest marked byte is exact.
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = (long) LONGS.get(text, i) ^ NEWLINES;
            long found = (x - LOW_BITS) & ~x & HIGH_BITS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (text[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
