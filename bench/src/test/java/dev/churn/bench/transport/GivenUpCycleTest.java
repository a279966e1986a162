package dev.churn.bench.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A run stopped while a cycle is stuck in a call only the watchdog times out (a server that accepts and then neither
 * reads nor answers) gives up on the cycle after {@link StopGrace#GRACE} and returns; the cycle's thread must not be
 * left behind. It was: the watchdog closed with the transport, so the call it watched was never ended, and the worker
 * thread stayed blocked, with its socket, for as long as the server kept the connection, past its own timeout. Real
 * loopback sockets.
 */
class GivenUpCycleTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(4);

    /** Stops as soon as the cycle started, as Ctrl-C does, and remembers the thread that runs it. */
    private static final class StoppedWhileInFlight extends CountingCycles {
        final AtomicReference<Thread> worker = new AtomicReference<>();
        final AtomicInteger givenUp = new AtomicInteger(-1);

        StoppedWhileInFlight() {
            super(1, 1);
        }

        @Override
        void starting() {
            worker.set(Thread.currentThread());
        }

        @Override
        public boolean stopping() {
            return worker.get() != null;
        }

        @Override
        public int giveUp(long waitedNanos) {
            givenUp.set(inFlight.get());
            return inFlight.get();
        }
    }

    /** Stuck in the response's read: only blocking and raw have their reads timed by the watchdog alone. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = TransportKind.class, names = {"BLOCKING", "RAW"})
    void aCycleStuckInItsReadDoesNotOutliveTheRun(TransportKind kind) throws Exception {
        stuck(kind, 1);
    }

    /** Stuck in the request's write, which the watchdog times on every transport with worker threads. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = TransportKind.class, names = {"BLOCKING", "RAW", "NIO", "VIRTUAL"})
    void aCycleStuckInItsWriteDoesNotOutliveTheRun(TransportKind kind) throws Exception {
        stuck(kind, 16 << 20);
    }

    private static void stuck(TransportKind kind, int requestBytes) throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 50, lo)) {
            server.setReceiveBufferSize(4096); // accepted sockets inherit it: a 16 MiB request cannot all fit
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        held.add(server.accept()); // held open: never read, never answered, never closed
                    }
                } catch (IOException e) {
                    // the test closed the server
                }
            });
            ClientPlan plan = ClientPlan.of(new InetSocketAddress(lo, server.getLocalPort()), SocketConfig.DEFAULTS,
                    Closer.CLIENT, requestBytes, 1, TIMEOUT);
            StoppedWhileInFlight cycles = new StoppedWhileInFlight();
            long t0 = System.nanoTime();
            Transport.of(kind, plan, 1).run(cycles);
            long returned = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(1, cycles.givenUp.get(), "the stuck cycle was given up on");
            assertTrue(returned < TIMEOUT.toMillis(), "gave up after the stop's grace, not the timeout: " + returned + " ms");
            Thread worker = cycles.worker.get();
            // Well past the call's own timeout: whatever ends it, it is over by then.
            worker.join(TIMEOUT.plusSeconds(2));
            assertFalse(worker.isAlive(), () -> worker.getName() + " still alive "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms after the run began, at "
                    + Arrays.toString(worker.getStackTrace()).replace(", ", "\n  "));
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
