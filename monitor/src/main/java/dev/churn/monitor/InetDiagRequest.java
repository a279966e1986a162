package dev.churn.monitor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Writes one {@code SOCK_DIAG_BY_FAMILY} dump request, an {@code nlmsghdr} followed by an
 * {@code inet_diag_req_v2} (include/uapi/linux/inet_diag.h), into a reused native buffer, with an
 * optional {@code INET_DIAG_REQ_BYTECODE} attribute that lets the kernel skip sockets on other
 * ports before it copies them to us; or the older {@code TCPDIAG_GETSOCK} request (an
 * {@code inet_diag_req}), which the kernel dumps for both address families in one walk of its
 * socket tables (net/ipv4/inet_diag.c, inet_diag_dump_compat: "sdiag_family = AF_UNSPEC").
 */
final class InetDiagRequest {

    static final int NLMSG_HDRLEN = 16;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int SOCK_DIAG_BY_FAMILY = 20;
    /** The compat request and reply type (TCPDIAG_GETSOCK): both families in one dump. */
    static final int TCPDIAG_GETSOCK = 18;
    /** The family of a {@link #TCPDIAG_GETSOCK} dump: both. */
    static final int BOTH_FAMILIES = 0;
    static final int IPPROTO_TCP = 6;

    private static final short NLM_F_REQUEST = 0x1;
    private static final short NLM_F_DUMP = 0x300; // NLM_F_ROOT | NLM_F_MATCH
    private static final int REQ_V2_LEN = 56; // family, protocol, ext, pad, states, inet_diag_sockid (48)
    private static final int REQ_COMPAT_LEN = 60; // family, src_len, dst_len, ext, inet_diag_sockid (48), states, dbug
    private static final int NLA_HDRLEN = 4;
    private static final short INET_DIAG_REQ_BYTECODE = 1;

    /** Attribute type of the reply's struct tcp_info (enum INET_DIAG_INFO). */
    static final int INET_DIAG_INFO = 2;

    /** The idiag_ext bit that asks for {@link #INET_DIAG_INFO}; no extension is {@code 0}. */
    static final int EXT_INFO = 1 << (INET_DIAG_INFO - 1);

    // inet_diag_bc_op codes; S_EQ/D_EQ exist since Linux 4.16, which is what ss uses for "sport = :P".
    private static final byte BC_JMP = 1;
    private static final byte BC_S_EQ = 11;
    private static final byte BC_D_EQ = 12;
    private static final int OP_LEN = 4;
    private static final int COND_LEN = 2 * OP_LEN; // the op, then an op whose "no" carries the port

    /** Above this many ports the program would outgrow an attribute's u16 length; filter in Java only. */
    static final int MAX_KERNEL_FILTER_PORTS = 1024;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT;
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    private InetDiagRequest() {}

    /** Bytes the largest request takes, the size of the buffer to reuse. */
    static long maxLength() {
        return NLMSG_HDRLEN + Math.max(REQ_V2_LEN, REQ_COMPAT_LEN) + NLA_HDRLEN + bytecodeLength(MAX_KERNEL_FILTER_PORTS);
    }

    /**
     * Writes a dump request into {@code buf} and returns its length: for one family
     * ({@code AF_INET}, {@code AF_INET6}), or for {@link #BOTH_FAMILIES} as a {@link #TCPDIAG_GETSOCK}
     * request. When {@code ports} is non-empty the kernel is asked to pass only sockets whose local
     * or remote port is one of them; {@code ext} asks for reply attributes ({@link #EXT_INFO} or 0).
     */
    static int write(MemorySegment buf, int seq, int family, int stateMask, int[] ports, int ext) {
        if (ports.length > MAX_KERNEL_FILTER_PORTS) {
            throw new IllegalArgumentException("ports: at most " + MAX_KERNEL_FILTER_PORTS + " for a kernel filter, got " + ports.length);
        }
        boolean both = family == BOTH_FAMILIES;
        int reqLen = both ? REQ_COMPAT_LEN : REQ_V2_LEN;
        int bc = ports.length == 0 ? 0 : bytecodeLength(ports.length);
        int len = NLMSG_HDRLEN + reqLen + (bc == 0 ? 0 : NLA_HDRLEN + bc);
        buf.asSlice(0, len).fill((byte) 0);
        buf.set(INT, 0, len);
        buf.set(SHORT, 4, (short) (both ? TCPDIAG_GETSOCK : SOCK_DIAG_BY_FAMILY));
        buf.set(SHORT, 6, (short) (NLM_F_REQUEST | NLM_F_DUMP));
        buf.set(INT, 8, seq);
        long req = NLMSG_HDRLEN;
        if (both) {
            // idiag_family is not read by a dump (the kernel dumps both); the protocol is the type's.
            buf.set(BYTE, req, (byte) Libc.AF_INET);
            buf.set(BYTE, req + 3, (byte) ext);
            buf.set(INT, req + 52, stateMask);
        } else {
            buf.set(BYTE, req, (byte) family);
            buf.set(BYTE, req + 1, (byte) IPPROTO_TCP);
            buf.set(BYTE, req + 2, (byte) ext);
            buf.set(INT, req + 4, stateMask);
        }
        if (bc != 0) {
            long attr = req + reqLen;
            buf.set(SHORT, attr, (short) (NLA_HDRLEN + bc));
            buf.set(SHORT, attr + 2, INET_DIAG_REQ_BYTECODE);
            writeBytecode(buf, attr + NLA_HDRLEN, ports);
        }
        return len;
    }

    /** One S_EQ and one D_EQ condition per port, a JMP after each condition but the last. */
    static int bytecodeLength(int ports) {
        int conditions = 2 * ports;
        return conditions * COND_LEN + (conditions - 1) * OP_LEN;
    }

    /**
     * An OR of conditions, laid out as iproute2's ss lays out {@code a or b}: each condition's
     * "yes" falls through to a JMP that leaps past the end (the kernel's accept: exactly zero bytes
     * left), its "no" hops over that JMP to the next condition; the last condition's "no" lands
     * four bytes past the end, the kernel's reject. The kernel's audit insists every jump target
     * lies on the chain of "yes" steps from the start, which this layout keeps.
     */
    private static void writeBytecode(MemorySegment buf, long at, int[] ports) {
        int total = bytecodeLength(ports.length);
        long off = at;
        int conditions = 2 * ports.length;
        for (int i = 0; i < conditions; i++) {
            op(buf, off, (i & 1) == 0 ? BC_S_EQ : BC_D_EQ, COND_LEN, COND_LEN + OP_LEN);
            op(buf, off + OP_LEN, (byte) 0, 0, ports[i >> 1]); // the port, host order, in "no"
            off += COND_LEN;
            if (i < conditions - 1) {
                int left = total - (int) (off - at); // bytes from this JMP to the end
                op(buf, off, BC_JMP, OP_LEN, left);
                off += OP_LEN;
            }
        }
    }

    private static void op(MemorySegment buf, long off, byte code, int yes, int no) {
        buf.set(BYTE, off, code);
        buf.set(BYTE, off + 1, (byte) yes);
        buf.set(SHORT, off + 2, (short) no);
    }
}
