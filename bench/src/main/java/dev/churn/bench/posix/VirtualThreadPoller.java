package dev.churn.bench.posix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts the JDK's poller for virtual threads' blocking I/O now, while descriptors are plenty. The JDK makes it on
 * the first virtual thread that blocks on a socket (its epoll instances are descriptors); made in a burst that ran the
 * process out of them, its class failed to initialize for good, and every later virtual thread's socket I/O threw
 * {@code NoClassDefFoundError}: {@code churn serve --tls} under {@code ulimit -n 64} printed 45 stack traces and held
 * its 51 connections open forever, its handlers dead (QA, 2026-12-06).
 */
public final class VirtualThreadPoller {

    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final long PARK_WAIT_NANOS = 1_000_000_000L;

    private VirtualThreadPoller() {}

    /**
     * A virtual thread blocks on a pipe's read until a byte comes: the JDK starts its poller to park it. Idempotent;
     * IOException when the process has no descriptors even for the pipe (then nothing else would run either).
     */
    public static void start() throws IOException {
        if (STARTED.get()) {
            return;
        }
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            Thread reader = Thread.ofVirtual().name("churn-poller-start").start(() -> {
                try {
                    source.read(ByteBuffer.allocate(1));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            // Until the reader is parked in the poller (or has finished): the byte must come after it blocked. At most
            // a second: a byte sent sooner only lets the read return without parking, never hangs the start.
            long deadline = System.nanoTime() + PARK_WAIT_NANOS;
            while (reader.getState() != Thread.State.WAITING && reader.isAlive() && System.nanoTime() - deadline < 0) {
                Thread.sleep(1);
            }
            sink.write(ByteBuffer.wrap(new byte[] {1}));
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Error e) {
            // The poller's own start failed (out of descriptors already): said as the I/O failure it is.
            throw new IOException("the JDK's poller for virtual threads could not start: " + e, e);
        }
        STARTED.set(true);
    }
}
