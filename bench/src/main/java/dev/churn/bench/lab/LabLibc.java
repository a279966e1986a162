package dev.churn.bench.lab;

import dev.churn.bench.posix.ErrnoException;
import dev.churn.monitor.Downcalls;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * setns(2), which Java does not offer: moves the calling thread into a network namespace. The
 * lab's socket calls go through {@link dev.churn.bench.posix.SocketCalls}.
 */
final class LabLibc {

    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int CLONE_NEWNET = 0x40000000;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

    private static final MethodHandle OPEN = Downcalls.downcall("open", FunctionDescriptor.of(INT, ValueLayout.ADDRESS, INT));
    private static final MethodHandle SETNS = Downcalls.downcall("setns", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle CLOSE = Downcalls.downcall("close", FunctionDescriptor.of(INT, INT));

    private LabLibc() {}

    /** Moves the calling thread into the network namespace bound at this path (/run/netns/NAME). */
    static void setNetns(String path) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = Downcalls.allocateErrno(a);
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
            throw new ErrnoException(call, Downcalls.errno(errnoState));
        }
        return result;
    }
}
