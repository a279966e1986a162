package dev.churn.monitor;

import java.lang.foreign.AddressLayout;
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

/**
 * The few libc socket calls the netlink source needs, as FFM downcalls. Each call that can fail
 * takes an {@link #allocateErrno errno segment} first, which the linker fills right after the
 * call, so {@link #errno} is the call's own errno and not one the JVM overwrote since.
 */
final class Libc {

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int AF_NETLINK = 16;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int NETLINK_SOCK_DIAG = 4;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVTIMEO = 20;
    static final int EINTR = 4;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option SAVE_ERRNO = Linker.Option.captureCallState("errno");

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong SIZE = ValueLayout.JAVA_LONG;
    private static final AddressLayout PTR = ValueLayout.ADDRESS;

    private static final MethodHandle SOCKET = downcall("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle SETSOCKOPT =
            downcall("setsockopt", FunctionDescriptor.of(INT, INT, INT, INT, PTR, INT));
    private static final MethodHandle SENDTO =
            downcall("sendto", FunctionDescriptor.of(SIZE, INT, PTR, SIZE, INT, PTR, INT));
    private static final MethodHandle RECV = downcall("recv", FunctionDescriptor.of(SIZE, INT, PTR, SIZE, INT));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LIBC.findOrThrow("strerror"),
            FunctionDescriptor.of(PTR.withTargetLayout(MemoryLayout.sequenceLayout(1024, ValueLayout.JAVA_BYTE)), INT));

    private Libc() {}

    private static MethodHandle downcall(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LIBC.findOrThrow(name), fd, SAVE_ERRNO);
    }

    /** A segment to pass as the first argument of each call; read it with {@link #errno}. */
    static MemorySegment allocateErrno(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    /** The errno the last call that was given this segment left. */
    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    static int socket(MemorySegment errno, int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(errno, domain, type, protocol);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int setsockopt(MemorySegment errno, int fd, int level, int name, MemorySegment value) {
        try {
            return (int) SETSOCKOPT.invokeExact(errno, fd, level, name, value, (int) value.byteSize());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long sendto(MemorySegment errno, int fd, MemorySegment buf, long len, MemorySegment addr) {
        try {
            return (long) SENDTO.invokeExact(errno, fd, buf, len, 0, addr, (int) addr.byteSize());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long recv(MemorySegment errno, int fd, MemorySegment buf) {
        try {
            return (long) RECV.invokeExact(errno, fd, buf, buf.byteSize(), 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int close(MemorySegment errno, int fd) {
        try {
            return (int) CLOSE.invokeExact(errno, fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** "errno 105 (No buffer space available)": the number and libc's words for it. */
    static String describe(int errno) {
        String text;
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            text = s.equals(MemorySegment.NULL) ? "unknown error" : s.getString(0);
        } catch (Throwable t) {
            text = "unknown error";
        }
        return "errno " + errno + " (" + text + ")";
    }

    private static RuntimeException rethrow(Throwable t) {
        // invokeExact declares Throwable; the downcalls themselves throw nothing checked.
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
