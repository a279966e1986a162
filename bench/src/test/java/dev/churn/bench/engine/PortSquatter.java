package dev.churn.bench.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

/** A listener on a fixed port, so that a client bound to that port fails with EADDRINUSE. */
final class PortSquatter {

    private PortSquatter() {}

    /** Listens on the first of {@code candidates} that is free, or returns null when none is. */
    static ServerSocket listenOnFirstFree(List<Integer> candidates) {
        for (int p : candidates) {
            try {
                return new ServerSocket(p, 1, InetAddress.getLoopbackAddress());
            } catch (IOException busy) {
                // taken by someone else: try the next
            }
        }
        return null;
    }
}
