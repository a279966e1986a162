package dev.churn.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.Locale;

/**
 * {@code --rcvbuf} and {@code --sndbuf} as the kernel takes them. Linux keeps twice the value set (the
 * other half for its bookkeeping), but holds what is set to net.core.rmem_max (wmem_max) and the result
 * to a floor of its own, silently: {@code --rcvbuf 100000000 --sndbuf 1} gave sockets of 8,388,608 and
 * 4,608 bytes while the table said 'SO_RCVBUF 100,000,000, SO_SNDBUF 1' (review, 2026-12-07, ss -tm).
 * A value the kernel would not keep is refused, saying what it would have made of it.
 */
final class SocketBuffers {

    private SocketBuffers() {
    }

    /** Refuses (IllegalArgumentException, one line) a --rcvbuf or --sndbuf the kernel would change; 0 is its default. */
    static void check(int rcvBuf, int sndBuf) {
        check("--rcvbuf", StandardSocketOptions.SO_RCVBUF, rcvBuf, "net.core.rmem_max");
        check("--sndbuf", StandardSocketOptions.SO_SNDBUF, sndBuf, "net.core.wmem_max");
    }

    private static void check(String option, SocketOption<Integer> name, int asked, String sysctl) {
        if (asked <= 0) {
            return;
        }
        int kept = kernelKeeps(name, asked);
        if (kept == asked) {
            return;
        }
        throw new IllegalArgumentException(kept > asked
                ? String.format(Locale.ROOT, "%s %,d: the kernel would raise it to %,d, its floor, silently: give at least"
                        + " that", option, asked, kept)
                : String.format(Locale.ROOT, "%s %,d: the kernel would hold it to %,d (%s), silently: give at most that,"
                        + " or raise %s", option, asked, kept, sysctl, sysctl));
    }

    /**
     * What the kernel makes of {@code value} set on a socket of this process's network namespace, as set: the JDK
     * halves what getsockopt(2) says on Linux, the doubled value, so a value kept reads back as given.
     */
    private static int kernelKeeps(SocketOption<Integer> name, int value) {
        try (SocketChannel probe = SocketChannel.open()) {
            probe.setOption(name, value);
            return probe.getOption(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a socket to try " + name.name() + ": " + e.getMessage(), e);
        }
    }
}
