package dev.churn.bench.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** epoll through FFM on real loopback sockets, and the waits an open loop's event loop makes with it. */
class EpollTest {

    @Test
    void aWaitInNanosecondsReportsTheReadyDescriptor() throws Exception {
        SocketCalls sys = new SocketCalls();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Epoll epoll = new Epoll(8)) {
            int fd = sys.socket(SocketCalls.AF_INET, true);
            try {
                epoll.add(fd, Epoll.EPOLLOUT);
                int r = sys.connectOrErrno(fd, encoded(listener), 16);
                assertTrue(r == 0 || r == -Errno.EINPROGRESS, "connect: " + r);
                assertEquals(1, epoll.awaitNanos(2_000_000_000L), "the connected socket is writable");
                assertEquals(fd, epoll.fd(0));
                assertTrue((epoll.events(0) & Epoll.EPOLLOUT) != 0, "events " + epoll.events(0));
            } finally {
                sys.close(fd);
            }
        }
    }

    @Test
    void aWaitWithNothingReadyIsNeverShortAndNotRoundedUpToAMillisecond() throws Exception {
        try (Epoll epoll = new Epoll(8)) {
            long[] took = new long[21];
            for (int i = 0; i < took.length; i++) {
                long t0 = System.nanoTime();
                assertEquals(0, epoll.awaitNanos(100_000));
                took[i] = System.nanoTime() - t0;
                assertTrue(took[i] >= 100_000, "a 100 µs wait returned after " + took[i] + " ns");
            }
            if (kernelAtLeast(5, 11)) {
                assertTrue(Epoll.waitsInNanos(), "this kernel has epoll_pwait2, but the wait fell back to milliseconds");
                Arrays.sort(took);
                // epoll_wait's whole milliseconds made each of these at least 1 ms.
                assertTrue(took[took.length / 2] < 1_000_000, "median of 100 µs waits: " + took[took.length / 2] + " ns");
            }
        }
    }

    @Test
    void aThreadsTimerSlackIsItsOwnToSet() throws Exception {
        long mine = TimerSlack.get();
        AtomicLong fine = new AtomicLong();
        AtomicLong back = new AtomicLong();
        Thread t = Thread.ofPlatform().start(() -> {
            long before = TimerSlack.get();
            TimerSlack.set(1);
            fine.set(TimerSlack.get());
            TimerSlack.set(before);
            back.set(TimerSlack.get() == before ? before : -2);
        });
        t.join();
        assertEquals(1, fine.get(), "the slack after asking for 1 ns");
        assertTrue(back.get() > 0, "the slack given back: " + back.get());
        assertEquals(mine, TimerSlack.get(), "another thread's setting changed this one's");
    }

    private static MemorySegment encoded(ServerSocket s) {
        MemorySegment m = Arena.ofAuto().allocate(32);
        SocketCalls.encode(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort()), m);
        return m;
    }

    private static boolean kernelAtLeast(int major, int minor) {
        String[] v = System.getProperty("os.version", "0.0").split("[.-]");
        try {
            int ma = Integer.parseInt(v[0]);
            int mi = v.length > 1 ? Integer.parseInt(v[1]) : 0;
            return ma > major || (ma == major && mi >= minor);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
