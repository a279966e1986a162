package dev.churn.monitor;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The few libc socket calls the netlink source needs, as FFM downcalls. Each call that can fail
 * takes an errno segment first ({@link Downcalls#allocateErrno}).
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

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong SIZE = ValueLayout.JAVA_LONG;
    private static final AddressLayout PTR = ValueLayout.ADDRESS;

    private static final MethodHandle SOCKET = Downcalls.downcall("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle SETSOCKOPT =
            Downcalls.downcall("setsockopt", FunctionDescriptor.of(INT, INT, INT, INT, PTR, INT));
    private static final MethodHandle SENDTO =
            Downcalls.downcall("sendto", FunctionDescriptor.of(SIZE, INT, PTR, SIZE, INT, PTR, INT));
    private static final MethodHandle RECV = Downcalls.downcall("recv", FunctionDescriptor.of(SIZE, INT, PTR, SIZE, INT));
    private static final MethodHandle CLOSE = Downcalls.downcall("close", FunctionDescriptor.of(INT, INT));

    private Libc() {}

    static int socket(MemorySegment errno, int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(errno, domain, type, protocol);
        } catch (Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    static int setsockopt(MemorySegment errno, int fd, int level, int name, MemorySegment value) {
        try {
            return (int) SETSOCKOPT.invokeExact(errno, fd, level, name, value, (int) value.byteSize());
        } catch (Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    static long sendto(MemorySegment errno, int fd, MemorySegment buf, long len, MemorySegment addr) {
        try {
            return (long) SENDTO.invokeExact(errno, fd, buf, len, 0, addr, (int) addr.byteSize());
        } catch (Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    static long recv(MemorySegment errno, int fd, MemorySegment buf) {
        try {
            return (long) RECV.invokeExact(errno, fd, buf, buf.byteSize(), 0);
        } catch (Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    static int close(MemorySegment errno, int fd) {
        try {
            return (int) CLOSE.invokeExact(errno, fd);
        } catch (Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }
}
