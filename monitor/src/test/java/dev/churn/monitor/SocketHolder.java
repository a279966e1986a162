package dev.churn.monitor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A helper process for tests that need sockets owned by a known pid: connects N sockets to a
 * loopback port, prints {@code ready}, then holds them (never closing, so a peer's close leaves
 * them in CLOSE_WAIT) until its standard input ends.
 */
public final class SocketHolder {

    private SocketHolder() {}

    /** Arguments: host, port, count. */
    public static void main(String[] args) throws IOException {
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(args[0], Integer.parseInt(args[1])), 5_000);
            held.add(s);
        }
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold until the test closes our stdin (or dies)
        }
        System.out.println(held.size());
    }

    /** Starts a holder with the test's own classpath. */
    static Process start(String host, int port, int count) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SocketHolder.class.getName(),
                host, Integer.toString(port), Integer.toString(count))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        return p;
    }
}
