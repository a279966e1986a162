package dev.churn.monitor;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The FFM glue every libc call in churn shares. A handle from {@link #downcall} takes an
 * {@link #allocateErrno errno segment} as its first argument, which the linker fills right after
 * the call, so {@link #errno} is that call's own errno and not one the JVM overwrote since.
 */
public final class Downcalls {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option SAVE_ERRNO = Linker.Option.captureCallState("errno");
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("strerror"),
            FunctionDescriptor.of(ValueLayout.ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(1024, ValueLayout.JAVA_BYTE)),
                    ValueLayout.JAVA_INT));

    private Downcalls() {}

    /** A handle on libc's {@code name} that captures errno into the segment passed first. */
    public static MethodHandle downcall(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), fd, SAVE_ERRNO);
    }

    /** As {@link #downcall}, for a variadic function: {@code fixed} arguments before the variadic ones. */
    public static MethodHandle variadicDowncall(String name, FunctionDescriptor fd, int fixed) {
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), fd, SAVE_ERRNO,
                Linker.Option.firstVariadicArg(fixed));
    }

    /** As {@link #downcall}, or null when libc has no {@code name} (an older libc than the call). */
    public static MethodHandle downcallIfPresent(String name, FunctionDescriptor fd) {
        return LINKER.defaultLookup().find(name).map(a -> LINKER.downcallHandle(a, fd, SAVE_ERRNO)).orElse(null);
    }

    /** A segment to pass as the first argument of each call; read it with {@link #errno}. */
    public static MemorySegment allocateErrno(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    /** The errno the last call that was given this segment left. */
    public static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** "errno 105 (No buffer space available)": the number and libc's words for it. */
    public static String describe(int errno) {
        String text;
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            text = s.equals(MemorySegment.NULL) ? "unknown error" : s.getString(0);
        } catch (Throwable t) {
            text = "unknown error";
        }
        return "errno " + errno + " (" + text + ")";
    }

    /**
     * For the {@code catch (Throwable t)} invokeExact forces on callers: downcalls throw nothing
     * checked, so anything caught is an Error (rethrown here) or a RuntimeException.
     */
    public static RuntimeException unexpected(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        return t instanceof RuntimeException r ? r : new IllegalStateException(t);
    }
}
