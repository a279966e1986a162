package dev.churn.cli;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
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

    @Option(names = "--request", paramLabel = "BYTES", converter = OptionConverters.NonNegativeInt.class,
            description = "Bytes the client sends per connection before the server answers (default 0).")
    int requestBytes;

    @Option(names = "--response", paramLabel = "BYTES", converter = OptionConverters.NonNegativeInt.class,
            description = "Bytes the server answers per connection (default 0).")
    int responseBytes;

    @Option(names = "--backlog", paramLabel = "N", converter = OptionConverters.PositiveInt.class,
            description = "The server's listen backlog (default 4096; the kernel caps it at net.core.somaxconn).")
    int backlog = SocketConfig.DEFAULT_BACKLOG;

    @Option(names = "--reuse-port", description = "Set SO_REUSEPORT on the listeners (needed for --listeners > 1).")
    boolean reusePort;

    @Option(names = "--listeners", paramLabel = "N", converter = OptionConverters.PositiveInt.class,
            description = "Listeners on the server's port, each with its own thread (with --reuse-port; default 1).")
    int listeners = 1;
}
