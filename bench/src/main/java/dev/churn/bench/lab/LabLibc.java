package dev.churn.bench.lab;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The libc calls the lab needs and Java does not offer: IPv4 listeners with options Java hides
 * (TCP_DEFER_ACCEPT, a backlog of 0) and setns(2). Each call captures its own errno and throws an
 * IOException naming the call and the error when it fails.
 */
final class LabLibc {

    static final int AF_INET = 2;
    static final int SOCK_STREAM = 1;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int IPPROTO_TCP = 6;
    static final int TCP_DEFER_ACCEPT = 9;
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;
    static final int CLONE_NEWNET = 0x40000000;
    static final int SOCKADDR_IN_SIZE = 16;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout PTR = ValueLayout.ADDRESS;

    private static final MethodHandle SOCKET = downcall("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle SETSOCKOPT = downcall("setsockopt", FunctionDescriptor.of(INT, INT, INT, INT, PTR, INT));
    private static final MethodHandle BIND = downcall("bind", FunctionDescriptor.of(INT, INT, PTR, INT));
    private static final MethodHandle LISTEN = downcall("listen", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle ACCEPT = downcall("accept", FunctionDescriptor.of(INT, INT, PTR, PTR));
    private static final MethodHandle GETSOCKNAME = downcall("getsockname", FunctionDescriptor.of(INT, INT, PTR, PTR));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle OPEN = downcall("open", FunctionDescriptor.of(INT, PTR, INT));
    private static final MethodHandle SETNS = downcall("setns", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LIBC.findOrThrow("strerror"),
            FunctionDescriptor.of(ValueLayout.ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE)), INT));

    private LabLibc() {}

    private static MethodHandle downcall(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LIBC.findOrThrow(name), fd, Linker.Option.captureCallState("errno"));
    }

    /** A TCP/IPv4 socket descriptor. */
    static int socket() throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = a.allocate(CAPTURE);
            return check("socket", e, (int) SOCKET.invokeExact(e, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        } catch (IOException | RuntimeException | Error x) {
            throw x;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** setsockopt with an int value. */
    static void setInt(int fd, int level, int name, int value) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = a.allocate(CAPTURE);
            MemorySegment v = a.allocateFrom(INT, value);
            check("setsockopt", e, (int) SETSOCKOPT.invokeExact(e, fd, level, name, v, 4));
        } catch (IOException | RuntimeException | Error x) {
            throw x;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Binds to 127.0.0.1:port (0: the kernel picks) and listens with this backlog; returns the port. */
    static int bindLoopbackAndListen(int fd, int port, int backlog) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = a.allocate(CAPTURE);
            MemorySegment sin = a.allocate(SOCKADDR_IN_SIZE);
            sin.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
            sin.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) port);
            sin.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 4, 0x7f000001);
            check("bind", e, (int) BIND.invokeExact(e, fd, sin, SOCKADDR_IN_SIZE));
            check("listen", e, (int) LISTEN.invokeExact(e, fd, backlog));
            MemorySegment len = a.allocateFrom(INT, SOCKADDR_IN_SIZE);
            check("getsockname", e, (int) GETSOCKNAME.invokeExact(e, fd, sin, len));
            return Short.toUnsignedInt(sin.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 2));
        } catch (IOException | RuntimeException | Error x) {
            throw x;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Accepts one connection (blocking); returns its descriptor. */
    static int accept(int fd) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = a.allocate(CAPTURE);
            return check("accept", e, (int) ACCEPT.invokeExact(e, fd, MemorySegment.NULL, MemorySegment.NULL));
        } catch (IOException | RuntimeException | Error x) {
            throw x;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Closes a descriptor, ignoring errors: closing is cleanup. */
    static void close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            int unused = (int) CLOSE.invokeExact(a.allocate(CAPTURE), fd);
        } catch (Throwable t) {
            // nothing to do about a failed close
        }
    }

    /** Moves the calling thread into the network namespace bound at this path (/run/netns/NAME). */
    static void setNetns(String path) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = a.allocate(CAPTURE);
            int fd = check("open " + path, e, (int) OPEN.invokeExact(e, a.allocateFrom(path), O_RDONLY | O_CLOEXEC));
            try {
                check("setns " + path, e, (int) SETNS.invokeExact(e, fd, CLONE_NEWNET));
            } finally {
                close(fd);
            }
        } catch (IOException | RuntimeException | Error x) {
            throw x;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static int check(String call, MemorySegment errnoState, int result) throws IOException {
        if (result < 0) {
            int errno = (int) ERRNO.get(errnoState, 0L);
            throw new IOException(call + " failed: errno " + errno + " (" + strerror(errno) + ")");
        }
        return result;
    }

    private static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.equals(MemorySegment.NULL) ? "unknown error" : s.getString(0);
        } catch (Throwable t) {
            return "unknown error";
        }
    }
}
