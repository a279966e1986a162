package dev.churn.bench.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The C library's error messages in English, whatever the user's locale. The JDK words a failed socket call with
 * strerror(3), in the language of LC_MESSAGES, and {@code FailureKind} reads the failure's class from those words:
 * under LANG=de_DE.UTF-8 a refused connect said 'Verbindungsaufbau abgelehnt' and counted as 'other' (20 of 20, a
 * review of 2026-12-07), and a port shortage as 'other' would not have backed off. Only LC_MESSAGES changes:
 * the character set of file names and arguments (LC_CTYPE) stays the user's.
 */
public final class ErrorMessages {

    /** glibc's and musl's LC_MESSAGES. */
    private static final int LC_MESSAGES = 5;

    private ErrorMessages() {}

    /**
     * Sets LC_MESSAGES to "C" for the whole process; false when libc refused or has no setlocale. setlocale(3) is not
     * thread-safe: call it first thing, before any thread of churn's reads an error message.
     */
    public static boolean inEnglish() {
        Linker linker = Linker.nativeLinker();
        var setlocale = linker.defaultLookup().find("setlocale");
        if (setlocale.isEmpty()) {
            return false;
        }
        MethodHandle h = linker.downcallHandle(setlocale.get(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment result = (MemorySegment) h.invokeExact(LC_MESSAGES, arena.allocateFrom("C"));
            return !result.equals(MemorySegment.NULL);
        } catch (Throwable t) {
            return false; // no English messages: the failures are still counted, some as 'other'
        }
    }
}
