package dev.churn.cli;

import dev.churn.monitor.CleanPort;
import dev.churn.monitor.SocketFilter;
import dev.churn.monitor.SourceKind;
import dev.churn.monitor.StateSource;
import dev.churn.monitor.StateSources;
import dev.churn.monitor.TcpState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * A real server program (openssl s_server, nginx) started by a test on a loopback port: started
 * on a port of a fixed range below the ephemeral ones that no socket uses, waited for until the
 * kernel shows its LISTEN socket (bounded), and always killed by {@link #close}. Its standard
 * output and error go to a log file, quoted when it does not start.
 */
final class PeerProcess implements AutoCloseable {

    /** Ports tried: below ip_local_port_range (32768-), so no client connection takes one meanwhile. */
    static final int FIRST_PORT = 26000;
    static final int PORTS = 1000;
    /**
     * Ports tried before giving up, 37 apart (prime to the range's 1000, so they spread over it): another test, or
     * another program churning on this machine, may hold some. Ten, 7 apart, all found TIME_WAIT when another process
     * had served on ports of the range (2026-12-07).
     */
    static final int TRIES = 40;
    private static final int STRIDE = 37;
    static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final int port;
    private final Path log;

    private PeerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** True when this program is installed (an absolute path, executable). */
    static boolean installed(String path) {
        return Files.isExecutable(Path.of(path));
    }

    /**
     * Starts {@code command.apply(port)} on a free port of the range, in {@code dir}, and returns
     * once it listens there; a program that exits first (its port taken after all) is tried on
     * another port. Throws IOException with the log's end when none started.
     */
    static PeerProcess start(Path dir, String name, IntFunction<List<String>> command) throws IOException {
        int base = FIRST_PORT + ThreadLocalRandom.current().nextInt(PORTS);
        String why = "no port of " + TRIES + " tried in " + FIRST_PORT + "-" + (FIRST_PORT + PORTS - 1)
                + " was clean (a listener, or TIME_WAIT of another program's connections)";
        for (int i = 0; i < TRIES; i++) {
            int port = FIRST_PORT + (base - FIRST_PORT + i * STRIDE) % PORTS;
            if (!CleanPort.isClean(port, 0)) {
                continue; // a listener, or TIME_WAIT ends of an earlier test: they would blur the counts
            }
            Path log = dir.resolve(name + "-" + port + ".log");
            Process p = new ProcessBuilder(command.apply(port)).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            PeerProcess peer = new PeerProcess(p, port, log);
            boolean listening = false;
            try {
                listening = peer.awaitListening();
            } finally {
                if (!listening) {
                    peer.close();
                }
            }
            if (listening) {
                return peer;
            }
            why = name + " did not listen on 127.0.0.1:" + port + ": " + peer.logTail();
        }
        throw new IOException(why);
    }

    int port() {
        return port;
    }

    /** The address churn dials: {@code 127.0.0.1:PORT}. */
    String target() {
        return "127.0.0.1:" + port;
    }

    /** What the program wrote (standard output and error). */
    Path log() {
        return log;
    }

    /** The last lines the program wrote. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private boolean awaitListening() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        SocketFilter listening = SocketFilter.ports(port).withStates(EnumSet.of(TcpState.LISTEN));
        try (StateSource s = StateSources.open(SourceKind.AUTO)) {
            while (System.nanoTime() < deadline) {
                if (s.count(listening).get(TcpState.LISTEN) > 0) {
                    return true;
                }
                if (process.waitFor(20, TimeUnit.MILLISECONDS)) {
                    return false; // exited: bind failed or bad arguments
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for the peer to listen", e);
        }
        throw new IOException("not listening on " + port + " after " + START_TIMEOUT.toSeconds() + " s: " + logTail());
    }

    /** Kills the program (SIGTERM, then SIGKILL after 5 s) and waits for it, bounded. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
