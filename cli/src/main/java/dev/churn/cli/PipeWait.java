package dev.churn.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Reading a named pipe waits in open(2) until something opens it for writing: {@code --truststore} or {@code --cert} given
 * a FIFO that nothing writes to hung with no word (QA, 2026-12-06). A read of such a file that is still waiting after a
 * moment says so, once, on standard error; a file that is not a pipe is read as ever.
 */
final class PipeWait {

    /** How long a read may wait before it is said: a process substitution's writer is there within milliseconds. */
    static final Duration QUIET = Duration.ofSeconds(1);

    private PipeWait() {}

    /** {@code read}'s result; if it reads a pipe among {@code files} and is still waiting after {@link #QUIET}, says so. */
    static <T> T reading(PrintWriter err, String command, Supplier<T> read, Path... files) {
        Path pipe = Arrays.stream(files).filter(Objects::nonNull).filter(PipeWait::isPipe).findFirst().orElse(null);
        if (pipe == null) {
            return read.get();
        }
        Thread warn = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(QUIET);
            } catch (InterruptedException done) {
                return;
            }
            err.println(command + ": waiting for " + pipe + ": a named pipe that nothing has opened for writing yet (write"
                    + " to it, or Ctrl-C)");
            err.flush();
        });
        try {
            return read.get();
        } finally {
            warn.interrupt();
            try {
                warn.join(Duration.ofMillis(200)); // a warning being printed as the read ends comes before what follows
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // Neither a regular file nor a folder, and there: a FIFO (a character device reads at once, and is said elsewhere).
    private static boolean isPipe(Path p) {
        return Files.exists(p) && !Files.isRegularFile(p) && !Files.isDirectory(p) && !p.startsWith("/dev/");
    }
}
