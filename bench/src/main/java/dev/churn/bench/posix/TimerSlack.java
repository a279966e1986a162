package dev.churn.bench.posix;

import dev.churn.monitor.Downcalls;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The calling thread's timer slack (prctl(2) PR_SET_TIMERSLACK): how late the kernel may fire a timed
 * sleep of this thread (epoll_pwait2's timeout, a futex wait's) so as to batch wake-ups. Linux's
 * default is 50 µs. A thread that starts an open loop's cycles on schedule asks for 1 ns, since every
 * microsecond it wakes late is in the latency of the cycle it then starts (counted from the
 * intended start).
 */
public final class TimerSlack {

    private static final int PR_SET_TIMERSLACK = 29;
    private static final int PR_GET_TIMERSLACK = 30;
    private static final MethodHandle PRCTL = Downcalls.variadicDowncall("prctl",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG), 1);

    private TimerSlack() {}

    /** Sets the calling thread's slack; false when the kernel refused (the default then stays). */
    public static boolean set(long nanos) {
        return call(PR_SET_TIMERSLACK, nanos) == 0;
    }

    /** The calling thread's slack in nanoseconds, or -1 when it cannot be read. */
    public static long get() {
        return call(PR_GET_TIMERSLACK, 0);
    }

    private static int call(int option, long arg) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Downcalls.allocateErrno(arena);
            return (int) PRCTL.invokeExact(errno, option, arg);
        } catch (Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }
}
