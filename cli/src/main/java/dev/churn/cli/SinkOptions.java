package dev.churn.cli;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options of the sink server's side, shared by {@code churn run} (its built-in sink) and
 * {@code churn serve}: who closes first, the request/response shape, and the listeners.
 */
public final class SinkOptions {

    @Option(names = "--closer", paramLabel = "WHO", converter = OptionConverters.CloserName.class,
            description = "Who closes first: client (TIME_WAIT on the client), server (TIME_WAIT on the server), "
                    + "abort (client SO_LINGER 0: RST, no TIME_WAIT), half (client shutdownOutput first) or never "
                    + "(the server never closes: CLOSE_WAIT); default client. Give 'churn serve' the same as 'churn run'.")
    Closer closer = Closer.CLIENT;

    @Option(names = "--request", paramLabel = "BYTES", converter = OptionConverters.MessageBytes.class,
            description = "Bytes the client sends per connection before the server answers (default 0).")
    int requestBytes;

    @Option(names = "--response", paramLabel = "BYTES", converter = OptionConverters.MessageBytes.class,
            description = "Bytes the server answers per connection (default 0).")
    int responseBytes;

    @Option(names = "--backlog", paramLabel = "N", converter = OptionConverters.PositiveInt.class,
            description = "The server's listen backlog (default 4096; the kernel caps it at net.core.somaxconn).")
    Integer backlog;

    @Option(names = "--reuse-port", description = "Set SO_REUSEPORT on the server's listeners even when there is one, "
            + "so another process may listen on the same port too (several listeners get it anyway).")
    boolean reusePort;

    @Option(names = "--listeners", paramLabel = "N", converter = OptionConverters.Listeners.class,
            description = "The server's listeners on its one port, each with its own serving loop; more than one are "
                    + "bound with SO_REUSEPORT and the kernel spreads connections among them (default: one per "
                    + "available processor, at most " + SocketConfig.MAX_LISTENERS + "; for 'churn run', at most "
                    + "--concurrency, and 1 at --concurrency 1).")
    Integer listeners;

    /** The backlog asked for, or the default. */
    int backlogOrDefault() {
        return backlog == null ? SocketConfig.DEFAULT_BACKLOG : backlog;
    }

    /**
     * The options given that only set up a server (listeners, backlog, SO_REUSEPORT), by name, so that
     * {@code churn run --target} can refuse them rather than ignore them: the target is a server of its own.
     */
    List<String> serverOnlyGiven() {
        List<String> given = new ArrayList<>();
        if (listeners != null) {
            given.add("--listeners");
        }
        if (backlog != null) {
            given.add("--backlog");
        }
        if (reusePort) {
            given.add("--reuse-port");
        }
        return given;
    }

    /** The listeners asked for, or 0: one per processor, decided by the sink (or the run). */
    int listenersOrAuto() {
        return listeners == null ? 0 : listeners;
    }
}
