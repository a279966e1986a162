package dev.churn.bench.posix;

import dev.churn.monitor.Downcalls;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/**
 * The socket system calls themselves, through FFM, with nothing of the JDK's socket layer in
 * between: one call is one system call. Each instance owns the scratch memory its calls use (errno
 * capture, addresses, option values), so it allocates nothing per call and belongs to one thread
 * at a time. Every call that fails throws an {@link ErrnoException} with the call and its errno.
 */
public final class SocketCalls {

    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_REUSEPORT = 15;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_ERROR = 4;
    public static final int SO_LINGER = 13;
    public static final int SO_RCVTIMEO = 20;
    public static final int SO_SNDTIMEO = 21;
    public static final int IPPROTO_TCP = 6;
    public static final int TCP_NODELAY = 1;
    public static final int TCP_DEFER_ACCEPT = 9;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;

    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCKADDR_IN = 16;
    private static final int SOCKADDR_IN6 = 28;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static final MethodHandle SOCKET = Downcalls.downcall("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle SETSOCKOPT = Downcalls.downcall("setsockopt",
            FunctionDescriptor.of(INT, INT, INT, INT, ValueLayout.ADDRESS, INT));
    private static final MethodHandle GETSOCKOPT = Downcalls.downcall("getsockopt",
            FunctionDescriptor.of(INT, INT, INT, INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle BIND = Downcalls.downcall("bind", FunctionDescriptor.of(INT, INT, ValueLayout.ADDRESS, INT));
    private static final MethodHandle LISTEN = Downcalls.downcall("listen", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle ACCEPT = Downcalls.downcall("accept",
            FunctionDescriptor.of(INT, INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle ACCEPT4 = Downcalls.downcall("accept4",
            FunctionDescriptor.of(INT, INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, INT));
    private static final MethodHandle CONNECT = Downcalls.downcall("connect", FunctionDescriptor.of(INT, INT, ValueLayout.ADDRESS, INT));
    private static final MethodHandle GETSOCKNAME = Downcalls.downcall("getsockname",
            FunctionDescriptor.of(INT, INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle READ = Downcalls.downcall("read", FunctionDescriptor.of(LONG, INT, ValueLayout.ADDRESS, LONG));
    private static final MethodHandle WRITE = Downcalls.downcall("write", FunctionDescriptor.of(LONG, INT, ValueLayout.ADDRESS, LONG));
    private static final MethodHandle SHUTDOWN = Downcalls.downcall("shutdown", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle CLOSE = Downcalls.downcall("close", FunctionDescriptor.of(INT, INT));

    private final MemorySegment errno;
    private final MemorySegment address;
    private final MemorySegment length;
    private final MemorySegment option;

    /** Scratch memory for one thread's calls, freed with this object. */
    public SocketCalls() {
        Arena arena = Arena.ofAuto();
        errno = Downcalls.allocateErrno(arena);
        address = arena.allocate(SOCKADDR_IN6, 8);
        length = arena.allocate(INT);
        option = arena.allocate(16, 8);
    }

    /** AF_INET for an IPv4 address, AF_INET6 otherwise. */
    public static int family(InetAddress a) {
        return a instanceof Inet4Address ? AF_INET : AF_INET6;
    }

    /**
     * Writes {@code a} as a sockaddr_in or sockaddr_in6 into {@code to} (at least 28 bytes) and
     * returns its length: encode a target once, connect to it every cycle.
     */
    public static int encode(InetSocketAddress a, MemorySegment to) {
        byte[] ip = a.getAddress().getAddress();
        to.fill((byte) 0);
        to.set(BE_SHORT, 2, (short) a.getPort());
        if (ip.length == 4) {
            to.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
            MemorySegment.copy(ip, 0, to, ValueLayout.JAVA_BYTE, 4, 4);
            return SOCKADDR_IN;
        }
        to.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET6);
        MemorySegment.copy(ip, 0, to, ValueLayout.JAVA_BYTE, 8, 16);
        // sin6_scope_id: a link-local address (fe80::1%eth0) is reached through its interface; without it connect(2)
        // and bind(2) fail with EINVAL.
        to.set(ValueLayout.JAVA_INT_UNALIGNED, 24, ((Inet6Address) a.getAddress()).getScopeId());
        return SOCKADDR_IN6;
    }

    /** A new TCP socket of this family, close-on-exec. */
    public int socket(int family) throws ErrnoException {
        return socket(family, false);
    }

    /** A new TCP socket of this family, close-on-exec, and non-blocking if asked. */
    public int socket(int family, boolean nonBlocking) throws ErrnoException {
        int r;
        try {
            r = (int) SOCKET.invokeExact(errno, family, SOCK_STREAM | SOCK_CLOEXEC | (nonBlocking ? SOCK_NONBLOCK : 0), 0);
        } catch (Throwable t) {
            throw Downcalls.unexpected(t);
        }
        return check("socket", r);
    }

    /** setsockopt with an int value. */
    public void setInt(int fd, int level, int name, int value) throws ErrnoException {
        option.set(INT, 0, value);
        setsockopt(fd, level, name, 4);
    }

    /** SO_LINGER on (with this many seconds; 0 makes close send an RST) or off. */
    public void setLinger(int fd, boolean on, int seconds) throws ErrnoException {
        option.set(INT, 0, on ? 1 : 0);
        option.set(INT, 4, seconds);
        setsockopt(fd, SOL_SOCKET, SO_LINGER, 8);
    }

    /**
     * SO_RCVTIMEO or SO_SNDTIMEO. A blocking connect(2) also gives up after SO_SNDTIMEO, with
     * EINPROGRESS; reads and writes with EAGAIN.
     */
    public void setTimeout(int fd, int name, long millis) throws ErrnoException {
        option.set(LONG, 0, millis / 1000);
        option.set(LONG, 8, (millis % 1000) * 1000);
        setsockopt(fd, SOL_SOCKET, name, 16);
    }

    private void setsockopt(int fd, int level, int name, int size) throws ErrnoException {
        int r;
        try {
            r = (int) SETSOCKOPT.invokeExact(errno, fd, level, name, option, size);
        } catch (Throwable t) {
            throw Downcalls.unexpected(t);
        }
        check("setsockopt", r);
    }

    /**
     * getsockopt with an int value, e.g. {@link #SO_ERROR}: the error a non-blocking connect ended
     * with (0 when it succeeded), which reading it clears.
     */
    public int getInt(int fd, int level, int name) throws ErrnoException {
        length.set(INT, 0, 4);
        int r;
        try {
            r = (int) GETSOCKOPT.invokeExact(errno, fd, level, name, option, length);
        } catch (Throwable t) {
            throw Downcalls.unexpected(t);
        }
        check("getsockopt", r);
        return option.get(INT, 0);
    }

    /** Binds to this address and port (0: the kernel picks). */
    public void bind(int fd, InetSocketAddress local) throws ErrnoException {
        int len = encode(local, address);
        int r;
        try {
            r = (int) BIND.invokeExact(errno, fd, address, len);
        } catch (Throwable t) {
            throw Downcalls.unexpected(t);
        }
        check("bind", r);
    }

    /** listen(2) with this backlog. */
    public void listen(int fd, int backlog) throws ErrnoException {
        int r;
        try {
            r = (int) LISTEN.invokeExact(errno, fd, backlog);
        } catch (Throwable t) {
            throw Downcalls.unexpected(t);
        }
        check("listen", r);
    }

    /** Accepts one connection (blocking) and returns its descriptor. */
    public int accept(int fd) throws ErrnoException {
        int r;
        try {
            r = (int) ACCEPT.invokeExact(errno, fd, MemorySegment.NULL, MemorySegment.NULL);
        } catch (Throwable t) {
            throw Downcalls.unexpected(t);
        }
        return check("accept", r);
    }

    /**
     * Accepts one connection with accept4(2) and returns its descriptor (close-on-exec, and
     * non-blocking if asked), or minus the errno: EAGAIN on an empty queue of a non-blocking
     * listener is an answer, not an exception, and so is a failure a server loop simply survives.
     * The peer's port is then {@link #acceptedPeerPort}.
     */
    public int acceptOrErrno(int fd, boolean nonBlocking) {
        length.set(INT, 0, SOCKADDR_IN6);
        while (true) {
            int r;
            try {
                r = (int) ACCEPT4.invokeExact(errno, fd, address, length, SOCK_CLOEXEC | (nonBlocking ? SOCK_NONBLOCK : 0));
            } catch (Throwable t) {
                throw Downcalls.unexpected(t);
            }
            if (r >= 0) {
                return r;
            }
            int e = Downcalls.errno(errno);
            if (e != Errno.EINTR) {
                return -e;
            }
        }
    }

    /** The remote port of the connection the last {@link #acceptOrErrno} returned: same offset in sockaddr_in and sockaddr_in6. */
    public int acceptedPeerPort() {
        return Short.toUnsignedInt(address.get(BE_SHORT, 2));
    }

    /** Connects (blocking) to an address {@link #encode encoded} into {@code to}, {@code len} bytes long. */
    public void connect(int fd, MemorySegment to, int len) throws ErrnoException {
        int r;
        try {
            r = (int) CONNECT.invokeExact(errno, fd, to, len);
        } catch (Throwable t) {
            throw Downcalls.unexpected(t);
        }
        check("connect", r);
    }

    /**
     * Starts or makes a connect to an address {@link #encode encoded} into {@code to} and returns 0
     * (connected), or minus the errno: {@code -EINPROGRESS} from a non-blocking socket whose
     * handshake is under way is an answer, not an exception. (A non-blocking connect never sleeps, so
     * never returns EINTR.)
     */
    public int connectOrErrno(int fd, MemorySegment to, int len) {
        int r;
        try {
            r = (int) CONNECT.invokeExact(errno, fd, to, len);
        } catch (Throwable t) {
            throw Downcalls.unexpected(t);
        }
        return r < 0 ? -Downcalls.errno(errno) : 0;
    }

    /** The socket's local address, from getsockname(2). */
    public InetSocketAddress localAddress(int fd) throws ErrnoException {
        getsockname(fd);
        int port = Short.toUnsignedInt(address.get(BE_SHORT, 2));
        boolean v4 = address.get(ValueLayout.JAVA_SHORT, 0) == AF_INET;
        byte[] ip = address.asSlice(v4 ? 4 : 8, v4 ? 4 : 16).toArray(ValueLayout.JAVA_BYTE);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("getsockname gave a " + ip.length + "-byte address", e);
        }
    }

    /** The socket's local port, from getsockname(2): at the same offset in sockaddr_in and sockaddr_in6. */
    public int localPort(int fd) throws ErrnoException {
        getsockname(fd);
        return Short.toUnsignedInt(address.get(BE_SHORT, 2));
    }

    private void getsockname(int fd) throws ErrnoException {
        length.set(INT, 0, SOCKADDR_IN6);
        int r;
        try {
            r = (int) GETSOCKNAME.invokeExact(errno, fd, address, length);
        } catch (Throwable t) {
            throw Downcalls.unexpected(t);
        }
        check("getsockname", r);
    }

    /** Reads up to {@code len} bytes into {@code buf}; 0 at end of stream. Retries EINTR. */
    public long read(int fd, MemorySegment buf, long len) throws ErrnoException {
        while (true) {
            long n;
            try {
                n = (long) READ.invokeExact(errno, fd, buf, len);
            } catch (Throwable t) {
                throw Downcalls.unexpected(t);
            }
            if (n >= 0) {
                return n;
            }
            int e = Downcalls.errno(errno);
            if (e != Errno.EINTR) {
                throw new ErrnoException("read", e);
            }
        }
    }

    /**
     * Reads up to {@code len} bytes and returns how many (0 at end of stream), or minus the errno:
     * {@code -ECONNRESET} for a peer's RST, {@code -EAGAIN} when a non-blocking socket has nothing.
     * No exception per reset, which is what a server that sees thousands of RSTs a second needs.
     * Retries EINTR.
     */
    public long readOrErrno(int fd, MemorySegment buf, long len) {
        while (true) {
            long n;
            try {
                n = (long) READ.invokeExact(errno, fd, buf, len);
            } catch (Throwable t) {
                throw Downcalls.unexpected(t);
            }
            if (n >= 0) {
                return n;
            }
            int e = Downcalls.errno(errno);
            if (e != Errno.EINTR) {
                return -e;
            }
        }
    }

    /** Writes up to {@code len} bytes and returns how many, or minus the errno ({@code -EAGAIN}, {@code -EPIPE}...). Retries EINTR. */
    public long writeOrErrno(int fd, MemorySegment buf, long len) {
        while (true) {
            long n;
            try {
                n = (long) WRITE.invokeExact(errno, fd, buf, len);
            } catch (Throwable t) {
                throw Downcalls.unexpected(t);
            }
            if (n >= 0) {
                return n;
            }
            int e = Downcalls.errno(errno);
            if (e != Errno.EINTR) {
                return -e;
            }
        }
    }

    /** Writes all {@code len} bytes of {@code buf}. Retries EINTR and short writes. */
    public void writeFully(int fd, MemorySegment buf, long len) throws ErrnoException {
        for (long done = 0; done < len; ) {
            long n;
            try {
                n = (long) WRITE.invokeExact(errno, fd, buf.asSlice(done), len - done);
            } catch (Throwable t) {
                throw Downcalls.unexpected(t);
            }
            int e = n < 0 ? Downcalls.errno(errno) : 0;
            if (n >= 0) {
                done += n;
            } else if (e != Errno.EINTR) {
                throw new ErrnoException("write", e);
            }
        }
    }

    /**
     * shutdown(SHUT_WR): sends our FIN and keeps reading. ENOTCONN is no failure here, as in the JDK's
     * shutdownOutput (sun.nio.ch.Net): a peer's RST that came first closed the socket, and the read that follows
     * reports it as the reset it was (ECONNRESET), on these transports as on the JDK's. Thrown, it was counted as
     * 'other' (raw and epoll, --closer half against a server that resets after answering).
     */
    public void shutdownOutput(int fd) throws ErrnoException {
        int r;
        try {
            r = (int) SHUTDOWN.invokeExact(errno, fd, SHUT_WR);
        } catch (Throwable t) {
            throw Downcalls.unexpected(t);
        }
        if (r < 0 && Downcalls.errno(errno) != Errno.ENOTCONN) {
            throw new ErrnoException("shutdown", Downcalls.errno(errno));
        }
    }

    /** shutdown(2): {@link #SHUT_WR} sends our FIN and keeps reading. */
    public void shutdown(int fd, int how) throws ErrnoException {
        int r;
        try {
            r = (int) SHUTDOWN.invokeExact(errno, fd, how);
        } catch (Throwable t) {
            throw Downcalls.unexpected(t);
        }
        check("shutdown", r);
    }

    /**
     * close(2). The descriptor is gone whatever it returns (Linux never leaves it open after a
     * failed close), so callers must not close it again.
     */
    public void close(int fd) throws ErrnoException {
        int r;
        try {
            r = (int) CLOSE.invokeExact(errno, fd);
        } catch (Throwable t) {
            throw Downcalls.unexpected(t);
        }
        check("close", r);
    }

    /** Closes, ignoring errors: for paths that already report a failure. */
    public void closeQuietly(int fd) {
        try {
            close(fd);
        } catch (ErrnoException ignored) {
            // the descriptor is released either way
        }
    }

    private int check(String call, int result) throws ErrnoException {
        if (result < 0) {
            throw new ErrnoException(call, Downcalls.errno(errno));
        }
        return result;
    }
}
