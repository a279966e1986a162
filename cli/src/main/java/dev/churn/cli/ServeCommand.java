package dev.churn.cli;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Linger;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.server.SinkConfig;
import dev.churn.bench.server.SinkServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code churn serve}: the churn sink as a server of its own, for {@code churn run --target} from
 * another process or namespace. Prints {@code listening on ADDR:PORT}, then a line every
 * {@value #REPORT_SECONDS} seconds with the connections accepted; runs until --duration or Ctrl-C,
 * which closes every socket.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs the churn sink server: accepts connections and plays the server's part of the close "
                    + "choreography, for 'churn run --target' in another process.",
            "",
            "Examples:",
            "  churn serve --port 9000                      until Ctrl-C",
            "  churn serve --closer server --duration 1m    the server closes first (TIME_WAIT here)",
        })
public final class ServeCommand implements Callable<Integer> {

    static final int REPORT_SECONDS = 5;
    /** How long Ctrl-C waits for the sockets to be closed before the JVM exits anyway. */
    static final Duration STOP_WAIT = Duration.ofSeconds(10);

    @Spec
    CommandSpec spec;

    @Mixin
    SinkOptions sink = new SinkOptions();

    @Option(names = "--port", paramLabel = "P", converter = OptionConverters.ListenPort.class,
            description = "Port to listen on (default 0: the kernel picks one; it is printed).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", converter = OptionConverters.BindAddress.class,
            description = "Address to listen on (default 127.0.0.1; ::1 for IPv6).")
    InetAddress bind = InetAddress.ofLiteral("127.0.0.1");







    @Option(names = "--duration", paramLabel = "DUR", converter = DurationConverter.class,
            description = "Serve this long, e.g. 30s or 10m (default: until Ctrl-C).")
    Duration duration;

    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        SinkConfig config = RunCommand.usage(() -> new SinkConfig(bind, port,
                new SocketConfig(Linger.OFF, false, sink.reusePort, sink.listenersOrAuto(), false, 0, 0, sink.backlog,
                        bind instanceof Inet6Address, null),
                sink.closer, sink.requestBytes, sink.responseBytes, null));
        PrintWriter out = spec.commandLine().getOut();
        Thread hook = Thread.ofPlatform().name("churn-serve-stop").unstarted(this::stopAndAwait);
        SinkServer server;
        try {
            server = SinkServer.start(config);
        } catch (IOException e) {
            throw new IOException("cannot listen on " + hostPort(new InetSocketAddress(bind, port)) + ": " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(hook);
        try (server) {
            out.println("listening on " + hostPort(server.address()) + " (closer " + sink.closer.label() + ", "
                    + server.listeners() + (server.listeners() == 1 ? " listener)" : " listeners)"));
            out.flush();
            serve(server, out);
        } finally {
            // Said before the hook may let the JVM go (Ctrl-C, SIGTERM): the count is the last word.
            out.println("accepted " + String.format(Locale.ROOT, "%,d", server.accepted()) + " connections; closed");
            out.flush();
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for the close above.
            }
        }
        return ExitCodes.OK;
    }

    // Reports every few seconds until --duration passes or stop() is called.
    private void serve(SinkServer server, PrintWriter out) throws InterruptedException {
        long end = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        long last = 0;
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            long wait = Math.min(left, TimeUnit.SECONDS.toNanos(REPORT_SECONDS));
            if (stop.await(wait, TimeUnit.NANOSECONDS)) {
                return;
            }
            if (wait == TimeUnit.SECONDS.toNanos(REPORT_SECONDS)) {
                long now = server.accepted();
                out.println(String.format(Locale.ROOT, "accepted %,d (+%,.0f/s)%s", now,
                        (now - last) / (double) REPORT_SECONDS, server.held() > 0 ? ", held open " + server.held() : ""));
                out.flush();
                last = now;
            }
        }
    }

    /** What Ctrl-C runs: ends serving and waits, bounded, until every socket is closed. */
    boolean stopAndAwait() {
        stop.countDown();
        try {
            return closed.await(STOP_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
