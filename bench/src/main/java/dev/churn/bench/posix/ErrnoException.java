package dev.churn.bench.posix;

import dev.churn.monitor.Downcalls;
import java.io.IOException;

/** A system call that failed: which call, and the errno it left, in numbers and in libc's words. */
public final class ErrnoException extends IOException {

    private final String call;
    private final int errno;

    public ErrnoException(String call, int errno) {
        super(call + ": " + Downcalls.describe(errno));
        this.call = call;
        this.errno = errno;
    }

    /** The call that failed, e.g. "connect". */
    public String call() {
        return call;
    }

    /** The errno it left. */
    public int errno() {
        return errno;
    }
}
