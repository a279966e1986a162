package dev.churn.bench.posix;

/** The errno values churn tells apart (Linux numbering); libc's words for any errno are {@link dev.churn.monitor.Downcalls#describe}. */
public final class Errno {

    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    /** A system call this kernel does not have (epoll_pwait2 before Linux 5.11), or a seccomp filter refused. */
    public static final int ENOSYS = 38;
    /** bind(2) to a port below 1024 without CAP_NET_BIND_SERVICE. */
    public static final int EACCES = 13;
    /** bind(2) to a link-local IPv6 address without its interface (fe80::1 with no %scope). */
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int EPIPE = 32;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ECONNABORTED = 103;
    public static final int ECONNRESET = 104;
    /** shutdown(2) on a socket no longer connected: the peer's RST, or a failed connect, closed it. */
    public static final int ENOTCONN = 107;
    public static final int ETIMEDOUT = 110;
    /** A non-blocking connect(2) asked again while its handshake is still under way. */
    public static final int EALREADY = 114;
    public static final int ECONNREFUSED = 111;
    /** What a blocking connect(2) returns when SO_SNDTIMEO runs out before the handshake ends. */
    public static final int EINPROGRESS = 115;

    private Errno() {}
}
