package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CleanPortTest {

    @Test
    void aPortWithOnlyOurListenerIsCleanAndOneWithStrangersIsNot() throws Exception {
        try (KnownSockets k = KnownSockets.ipv4(0, 0, 2)) {
            assertTrue(CleanPort.isClean(k.port(), 3), "LISTEN plus 2 TIME_WAIT are 3 sockets");
            assertFalse(CleanPort.isClean(k.port(), 1), "2 TIME_WAIT sockets on the port are strangers to a new listener");
        }
    }

    @Test
    void bindRejectsADirtyPortClosesItAndKeepsTheNextCleanOne() throws Exception {
        try (KnownSockets dirty = KnownSockets.ipv4(0, 0, 2)) {
            java.util.List<java.net.ServerSocket> made = new java.util.ArrayList<>();
            java.util.concurrent.atomic.AtomicBoolean firstClosed = new java.util.concurrent.atomic.AtomicBoolean();
            // first binding "gets" the fixture's port (its 2 TIME_WAITs are strangers); the next a fresh one
            record Bound(int port, java.net.ServerSocket socket, Runnable onClose) implements AutoCloseable {
                @Override
                public void close() throws java.io.IOException {
                    onClose.run();
                    if (socket != null) {
                        socket.close();
                    }
                }
            }
            Bound got = CleanPort.bind(() -> {
                if (made.isEmpty()) {
                    made.add(null);
                    return new Bound(dirty.port(), null, () -> firstClosed.set(true));
                }
                java.net.ServerSocket s = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                made.add(s);
                return new Bound(s.getLocalPort(), s, () -> {});
            }, Bound::port, 1, CleanPort.GiveUp.FAIL);
            try (got) {
                assertTrue(firstClosed.get(), "the dirty binding was released");
                assertTrue(got.port() != dirty.port());
                assertTrue(CleanPort.isClean(got.port(), 1));
            }
        }
    }

    @Test
    void bindGivesUpAfterItsTriesAsItIsTold() throws Exception {
        try (KnownSockets dirty = KnownSockets.ipv4(0, 0, 2)) {
            // FAIL: every binding closed, and the reason said.
            java.util.concurrent.atomic.AtomicInteger bound = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger released = new java.util.concurrent.atomic.AtomicInteger();
            java.io.IOException e = assertThrows(java.io.IOException.class, () -> CleanPort.bind(() -> {
                bound.incrementAndGet();
                return (AutoCloseable) released::incrementAndGet;
            }, b -> dirty.port(), 1, CleanPort.GiveUp.FAIL));
            assertEquals(CleanPort.MAX_TRIES, bound.get());
            assertEquals(CleanPort.MAX_TRIES, released.get(), "the last rejected binding is closed too");
            assertTrue(e.getMessage().contains("the last, " + dirty.port() + ","), e.getMessage());

            // KEEP_LAST: the last binding kept open, the others closed.
            bound.set(0);
            released.set(0);
            AutoCloseable kept = CleanPort.bind(() -> {
                bound.incrementAndGet();
                return (AutoCloseable) released::incrementAndGet;
            }, b -> dirty.port(), 1, CleanPort.GiveUp.KEEP_LAST);
            assertEquals(CleanPort.MAX_TRIES, bound.get());
            assertEquals(CleanPort.MAX_TRIES - 1, released.get(), "all but the kept one closed");
            kept.close();
        }
    }
}
