package dev.churn.bench.lab;

import dev.churn.bench.posix.ErrnoException;
import java.io.IOException;
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
 * setns(2), which Java does not offer: moves the calling thread into a network namespace. The
 * lab's socket calls go through {@link dev.churn.bench.posix.SocketCalls}.
 */
final class LabLibc {

    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int CLONE_NEWNET = 0x40000000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

    private static final MethodHandle OPEN = downcall("open", FunctionDescriptor.of(INT, ValueLayout.ADDRESS, INT));
    private static final MethodHandle SETNS = downcall("setns", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(INT, INT));

    private LabLibc() {}

    private static MethodHandle downcall(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), fd, Linker.Option.captureCallState("errno"));
    }

    /** Moves the calling thread into the network namespace bound at this path (/run/netns/NAME). */
    static void setNetns(String path) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = a.allocate(CAPTURE);
            int fd = check("open " + path, e, (int) OPEN.invokeExact(e, a.allocateFrom(path), O_RDONLY | O_CLOEXEC));
            try {
                check("setns " + path, e, (int) SETNS.invokeExact(e, fd, CLONE_NEWNET));
            } finally {
                int unused = (int) CLOSE.invokeExact(e, fd);
            }
        } catch (IOException | RuntimeException | Error x) {
            throw x;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static int check(String call, MemorySegment errnoState, int result) throws ErrnoException {
        if (result < 0) {
            throw new ErrnoException(call, (int) ERRNO.get(errnoState, 0L));
        }
        return result;
    }
}
