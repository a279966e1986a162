package dev.churn.monitor;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Puts the calling thread under Linux's {@code SCHED_IDLE} policy: it then runs only on a CPU that
 * nothing else wants. An unprivileged thread may enter it but not leave it (the kernel checks
 * {@code RLIMIT_NICE} on the way out), so only a thread made for that purpose should call it.
 */
final class IdlePriority {

    /** {@code SCHED_IDLE} in {@code <sched.h>}. */
    static final int SCHED_IDLE = 5;

    private static final MethodHandle SCHED_SETSCHEDULER = Downcalls.downcallIfPresent("sched_setscheduler",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));

    private IdlePriority() {}

    /**
     * Moves the calling thread (pid 0: Linux schedules threads, not processes) to {@code SCHED_IDLE}.
     * Returns null when it did, else why not, in words for a user.
     */
    static String enter() {
        if (SCHED_SETSCHEDULER == null) {
            return "this libc has no sched_setscheduler";
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Downcalls.allocateErrno(arena);
            MemorySegment param = arena.allocate(ValueLayout.JAVA_INT); // struct sched_param { int sched_priority = 0; }
            int rc = (int) SCHED_SETSCHEDULER.invokeExact(errno, 0, SCHED_IDLE, param);
            return rc == 0 ? null : "sched_setscheduler(SCHED_IDLE): " + Downcalls.describe(Downcalls.errno(errno));
        } catch (Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }
}
