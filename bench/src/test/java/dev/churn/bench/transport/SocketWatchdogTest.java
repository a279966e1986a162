package dev.churn.bench.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.churn.bench.posix.SocketCalls;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** How often the watchdog looks: often enough to end a call near its deadline, no more. */
class SocketWatchdogTest {

    private static final int UNUSED_FD = 999_999;

    @Test
    void itScansFiftyTimesATimeoutBetweenOneAndOneHundredMilliseconds() {
        assertEquals(100_000_000L, SocketWatchdog.scanNanos(Duration.ofSeconds(5)), "the default timeout: ten a second");
        assertEquals(3_000_000L, SocketWatchdog.scanNanos(Duration.ofMillis(150)));
        assertEquals(1_000_000L, SocketWatchdog.scanNanos(Duration.ofMillis(10)), "never a busy loop");
        assertEquals(100_000_000L, SocketWatchdog.scanNanos(Duration.ofHours(1)), "a long timeout still ends within 100 ms of it");
    }

    /**
     * A call that ends just past its deadline, followed at once by another call on the same socket (a response read
     * in two reads, the drain after it): a watchdog that read the first call's socket and deadline must not close the
     * socket under the second, whose deadline is an hour away.
     */
    @Test
    void aCallEndedPastItsDeadlineLeavesTheNextCallOnTheSameSocketAlone() throws Exception {
        SocketWatchdog.Slot slot = new SocketWatchdog.Slot();
        AtomicBoolean done = new AtomicBoolean();
        Thread watchdog = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                slot.expireIfDue(System.nanoTime(), null);
            }
        });
        long wronglyClosed = 0;
        long calls = 0;
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(700);
        try {
            Socket s = new Socket();
            while (System.nanoTime() - until < 0 && wronglyClosed == 0) {
                for (int i = 0; i < 1000; i++) {
                    long now = System.nanoTime();
                    slot.begin(s, now - 1); // overdue: the watchdog may end it, rightly
                    if (!slot.end()) {
                        s = new Socket(); // closed for its overdue call: the next cycle's socket
                        continue;
                    }
                    slot.begin(s, now + TimeUnit.HOURS.toNanos(1));
                    for (int spin = 0; spin < 20; spin++) {
                        Thread.onSpinWait();
                    }
                    calls++;
                    if (!slot.end()) {
                        wronglyClosed++;
                        s = new Socket();
                    }
                }
            }
        } finally {
            done.set(true);
            watchdog.join();
        }
        assertEquals(0, wronglyClosed, "calls an hour from their deadline timed out, of " + calls);
    }

    /**
     * The same for a raw descriptor's slot, whose generation guards it. The descriptor number is one no process has
     * open: the watchdog's shutdown(2) of it fails (EBADF), ignored, and touches nothing of this JVM's.
     */
    @Test
    void aDescriptorCallEndedPastItsDeadlineLeavesTheNextCallAlone() throws Exception {
        SocketWatchdog.DescriptorSlot slot = new SocketWatchdog.DescriptorSlot();
        SocketCalls sys = new SocketCalls();
        AtomicBoolean done = new AtomicBoolean();
        Thread watchdog = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                slot.expireIfDue(System.nanoTime(), sys);
            }
        });
        long wronglyEnded = 0;
        long calls = 0;
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(700);
        try {
            while (System.nanoTime() - until < 0 && wronglyEnded == 0) {
                for (int i = 0; i < 1000; i++) {
                    long now = System.nanoTime();
                    slot.begin(UNUSED_FD, now - 1);
                    if (!slot.end()) {
                        continue;
                    }
                    slot.begin(UNUSED_FD, now + TimeUnit.HOURS.toNanos(1));
                    for (int spin = 0; spin < 20; spin++) {
                        Thread.onSpinWait();
                    }
                    calls++;
                    if (!slot.end()) {
                        wronglyEnded++;
                    }
                }
            }
        } finally {
            done.set(true);
            watchdog.join();
        }
        assertEquals(0, wronglyEnded, "calls an hour from their deadline timed out, of " + calls);
    }
}
