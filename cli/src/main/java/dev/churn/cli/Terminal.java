package dev.churn.cli;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** Whether standard error is an interactive terminal, where a progress bar may redraw itself. */
final class Terminal {

    private static final int STDERR = 2;

    private Terminal() {}

    /**
     * True when file descriptor 2 is a terminal. Java's Console only speaks of stdin and stdout, so
     * this asks libc's isatty(2) through FFM; anything that goes wrong answers false (no bar).
     */
    static boolean stderrIsTerminal() {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle isatty = linker.downcallHandle(
                    linker.defaultLookup().find("isatty").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            return (int) isatty.invokeExact(STDERR) == 1 && !"dumb".equals(System.getenv("TERM"));
        } catch (Throwable t) {
            return false;
        }
    }
}
