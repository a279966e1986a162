package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.churn.bench.http.HttpStatusException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** How a failure's first occurrence is told: real sockets where the JDK's naming misleads. */
class FailuresTest {

    /**
     * A connect() that finds its four-tuple taken fails with EADDRNOTAVAIL, which the JDK throws as a BindException:
     * told as the connect's, not as a bind's (QA, 2026-12-06). Two sockets bound to one local port with SO_REUSEADDR,
     * the second connecting where the first is connected.
     */
    @Test
    void aConnectsBindExceptionIsToldAsTheConnects() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 50, lo); Socket first = new Socket(); Socket second = new Socket()) {
            first.setReuseAddress(true);
            first.bind(new InetSocketAddress(lo, 0));
            first.connect(server.getLocalSocketAddress());
            second.setReuseAddress(true);
            second.bind(new InetSocketAddress(lo, first.getLocalPort()));
            BindException e = assertThrows(BindException.class,
                    () -> second.connect(server.getLocalSocketAddress()));
            assertEquals("connect: Cannot assign requested address", Failures.firstMessage(e));
            Failures f = new Failures(System.nanoTime());
            assertEquals(FailureKind.EADDRNOTAVAIL, f.record(e));
            assertEquals("connect: Cannot assign requested address", f.snapshot().get(FailureKind.EADDRNOTAVAIL).firstMessage());
        }
        // A bind's stays a bind's, and a JDK exception keeps its name; churn's own say it in their message.
        try (Socket taken = new Socket(); Socket again = new Socket()) {
            taken.bind(new InetSocketAddress(lo, 0));
            BindException e = assertThrows(BindException.class,
                    () -> again.bind(new InetSocketAddress(lo, taken.getLocalPort())));
            assertEquals("BindException: Address already in use", Failures.firstMessage(e));
        }
        assertEquals("HTTP status 404: HTTP/1.1 404 Not Found", Failures.firstMessage(new HttpStatusException(404,
                "HTTP/1.1 404 Not Found")));
    }
}
