package dev.churn.bench.lab;

import dev.churn.monitor.TimeWaitBudget;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.locks.LockSupport;

/** Real client-side TIME_WAIT sockets on loopback, to fill a namespace's table to a cap the test set. */
final class TimeWaitFill {

    private TimeWaitFill() {}

    /**
     * Leaves {@code n} client-side TIME_WAIT sockets in the calling thread's network namespace, and
     * returns once its sockstat counts them (bounded: 1 s).
     */
    static void leave(int n) throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket l = new ServerSocket(0, 50, lo)) {
            for (int i = 0; i < n; i++) {
                try (Socket c = new Socket(lo, l.getLocalPort()); Socket s = l.accept()) {
                    c.close(); // the client's FIN first: it ends in TIME_WAIT
                    if (s.getInputStream().read() != -1) {
                        throw new IOException("expected the client's FIN");
                    }
                }
            }
        }
        for (int i = 0; i < 100 && TimeWaitBudget.readThisThread().inUse() < n; i++) {
            LockSupport.parkNanos(10_000_000);
        }
    }
}
