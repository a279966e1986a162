package dev.churn.bench.posix;

import dev.churn.monitor.Downcalls;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * An epoll(7) instance through FFM, for a server loop on raw descriptors: {@link #add} or
 * {@link #modify} a descriptor's interest, {@link #await} readiness, then read {@link #fd(int)} and
 * {@link #events(int)} of each ready one. The descriptor itself is the event's data. Belongs to one
 * thread at a time; {@link #close} it when done.
 */
public final class Epoll implements AutoCloseable {

    public static final int EPOLLIN = 0x001;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;

    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLL_CTL_MOD = 3;

    /**
     * struct epoll_event is packed on x86-64 (events at 0, data at 4: 12 bytes) and naturally
     * aligned elsewhere (data at 8: 16 bytes).
     */
    private static final boolean PACKED = switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
        case "amd64", "x86_64" -> true;
        default -> false;
    };
    private static final long EVENT_SIZE = PACKED ? 12 : 16;
    private static final long DATA_OFFSET = PACKED ? 4 : 8;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfInt INT_UNALIGNED = ValueLayout.JAVA_INT_UNALIGNED;

    private static final MethodHandle CREATE = Downcalls.downcall("epoll_create1", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle CTL = Downcalls.downcall("epoll_ctl",
            FunctionDescriptor.of(INT, INT, INT, INT, ValueLayout.ADDRESS));
    private static final MethodHandle WAIT = Downcalls.downcall("epoll_wait",
            FunctionDescriptor.of(INT, INT, ValueLayout.ADDRESS, INT, INT));
    private static final MethodHandle CLOSE = Downcalls.downcall("close", FunctionDescriptor.of(INT, INT));
    /**
     * epoll_pwait2(2) (Linux 5.11, glibc 2.35), whose timeout is a timespec: epoll_wait's is in whole
     * milliseconds, so an open loop's event loop that waited for a start 0.1 ms away slept 1 ms and
     * began its cycles up to a millisecond late, inside their latency (cycle p50 642 µs where connect and
     * close took 26, at --rate 10000, 2026-12-05). Null where libc lacks it.
     */
    private static final MethodHandle PWAIT2 = Downcalls.downcallIfPresent("epoll_pwait2",
            FunctionDescriptor.of(INT, INT, ValueLayout.ADDRESS, INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    /** False once the kernel said it has no epoll_pwait2 (ENOSYS): epoll_wait's milliseconds then. */
    private static volatile boolean pwait2Works = PWAIT2 != null;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment errno;
    private final MemorySegment one;
    private final MemorySegment ready;
    /** struct timespec {tv_sec; tv_nsec} for epoll_pwait2's timeout. */
    private final MemorySegment timespec;
    private final int capacity;
    private final int epfd;

    /** A new epoll instance that reports up to {@code capacity} ready descriptors per {@link #await}. */
    public Epoll(int capacity) throws ErrnoException {
        this.capacity = capacity;
        this.errno = Downcalls.allocateErrno(arena);
        this.one = arena.allocate(EVENT_SIZE, 8);
        this.ready = arena.allocate(EVENT_SIZE * capacity, 8);
        this.timespec = arena.allocate(16, 8);
        int r;
        try {
            r = (int) CREATE.invokeExact(errno, EPOLL_CLOEXEC);
        } catch (Throwable t) {
            throw Downcalls.unexpected(t);
        }
        if (r < 0) {
            int e = Downcalls.errno(errno);
            arena.close();
            throw new ErrnoException("epoll_create1", e);
        }
        this.epfd = r;
    }

    /** Watches {@code fd} for these events (EPOLLIN, EPOLLOUT; errors and hang-ups always). */
    public void add(int fd, int events) throws ErrnoException {
        ctl(EPOLL_CTL_ADD, fd, events);
    }

    /** Changes what {@code fd} is watched for. */
    public void modify(int fd, int events) throws ErrnoException {
        ctl(EPOLL_CTL_MOD, fd, events);
    }

    /** Stops watching {@code fd} (closing it does that too, when no copy of it is open). */
    public void remove(int fd) throws ErrnoException {
        ctl(EPOLL_CTL_DEL, fd, 0);
    }

    private void ctl(int op, int fd, int events) throws ErrnoException {
        one.set(INT, 0, events);
        one.set(INT_UNALIGNED, DATA_OFFSET, fd);
        int r;
        try {
            r = (int) CTL.invokeExact(errno, epfd, op, fd, one);
        } catch (Throwable t) {
            throw Downcalls.unexpected(t);
        }
        if (r < 0) {
            throw new ErrnoException("epoll_ctl", Downcalls.errno(errno));
        }
    }

    /** Waits up to {@code timeoutMillis} for readiness and returns how many descriptors are ready (0: none, or interrupted). */
    public int await(int timeoutMillis) throws ErrnoException {
        int r;
        try {
            r = (int) WAIT.invokeExact(errno, epfd, ready, capacity, timeoutMillis);
        } catch (Throwable t) {
            throw Downcalls.unexpected(t);
        }
        return readyOrThrow(r, "epoll_wait");
    }

    /** A wait's result: how many are ready, 0 when a signal interrupted it, else its errno thrown. */
    private int readyOrThrow(int r, String call) throws ErrnoException {
        if (r >= 0) {
            return r;
        }
        int e = Downcalls.errno(errno);
        if (e == Errno.EINTR) {
            return 0;
        }
        throw new ErrnoException(call, e);
    }

    /**
     * As {@link #await(int)}, to the nanosecond where the kernel can (epoll_pwait2), else rounded up to
     * whole milliseconds: never shorter than asked, so a caller waiting for a time is not woken early.
     */
    public int awaitNanos(long timeoutNanos) throws ErrnoException {
        if (timeoutNanos <= 0 || !pwait2Works) {
            return await(timeoutNanos <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, (timeoutNanos + 999_999) / 1_000_000));
        }
        timespec.set(ValueLayout.JAVA_LONG, 0, timeoutNanos / 1_000_000_000);
        timespec.set(ValueLayout.JAVA_LONG, 8, timeoutNanos % 1_000_000_000);
        int r;
        try {
            r = (int) PWAIT2.invokeExact(errno, epfd, ready, capacity, timespec, MemorySegment.NULL);
        } catch (Throwable t) {
            throw Downcalls.unexpected(t);
        }
        if (r < 0 && Downcalls.errno(errno) == Errno.ENOSYS) {
            pwait2Works = false;
            return awaitNanos(timeoutNanos);
        }
        return readyOrThrow(r, "epoll_pwait2");
    }

    /** True when {@link #awaitNanos} waits to the nanosecond (epoll_pwait2), false when in whole milliseconds. */
    public static boolean waitsInNanos() {
        return pwait2Works;
    }

    /** The descriptor of the i-th ready event of the last {@link #await}. */
    public int fd(int i) {
        return ready.get(INT_UNALIGNED, i * EVENT_SIZE + DATA_OFFSET);
    }

    /** The events of the i-th ready event of the last {@link #await}. */
    public int events(int i) {
        return ready.get(INT_UNALIGNED, i * EVENT_SIZE);
    }

    @Override
    public void close() {
        try {
            // close(2) releases the descriptor whatever it returns: nothing to check
            int ignored = (int) CLOSE.invokeExact(errno, epfd);
        } catch (Throwable t) {
            throw Downcalls.unexpected(t);
        } finally {
            arena.close();
        }
    }
}
