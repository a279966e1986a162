package dev.churn.bench.engine;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.EventLoops;
import dev.churn.bench.config.Layers;
import dev.churn.bench.config.Load;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Everything a churn run does. The run ends at {@code connections} measured cycles or after
 * {@code duration}, whichever comes first (at least one must be set; 0 / null means unset); the
 * {@code warmup} before it is excluded from results. {@code target} null means the built-in
 * loopback sink. {@code maxFailures} 0 means failures never stop the run. {@code threads} is the
 * {@code selector} and {@code epoll} transports' event loops (0: one per processor, see {@link #loops}); other
 * transports refuse it. {@code layers}: TLS and HTTP over TCP ({@link Layers#NONE}: raw bytes).
 * {@code autoWarmup}: the warm-up ends when the JIT has gone quiet, {@code warmup} being its ceiling
 * (null: it runs {@code warmup} long).
 */
public record RunSpec(
        TransportKind transport,
        SocketConfig socket,
        Closer closer,
        Load load,
        long connections,
        Duration duration,
        Duration warmup,
        int requestBytes,
        int responseBytes,
        InetSocketAddress target,
        Duration connectTimeout,
        long maxFailures,
        int threads,
        Layers layers,
        AutoWarmup autoWarmup) {

    /** The largest --request or --response: 16 MiB, which each cycle's buffers hold whole. */
    public static final int MAX_MESSAGE_BYTES = 1 << 24;

    /** A run's hard ceiling whatever was asked: every load loop stops by itself. */
    public static final Duration MAX_DURATION = Duration.ofHours(24);

    public RunSpec {
        if (transport == null || socket == null || closer == null || load == null) {
            throw new IllegalArgumentException("transport, socket, closer and load must be set");
        }
        if (connections < 0) {
            throw new IllegalArgumentException("--connections must be > 0, got " + connections);
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("--duration must be positive");
        }
        if (connections == 0 && duration == null) {
            throw new IllegalArgumentException("give --connections or --duration");
        }
        if (duration != null && duration.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("--duration must be at most " + MAX_DURATION.toHours() + "h");
        }
        // An automatic warm-up runs until the JIT is quiet, at most its own ceiling, which stands for
        // the warm-up's length wherever one is needed (RunControl's time-up, the engine's "is there one").
        warmup = autoWarmup != null ? autoWarmup.most() : warmup == null ? Duration.ZERO : warmup;
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("--warmup must not be negative");
        }
        // As long as a run may measure: --warmup 1000000h was accepted and reset connections for good (QA, 2026-12-06).
        if (warmup.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("--warmup must be at most " + MAX_DURATION.toHours() + "h, got "
                    + (warmup.toMillis() % 3_600_000 == 0 ? warmup.toHours() + "h" : warmup.toMillis() / 1000.0 + "s"));
        }
        if (requestBytes < 0 || responseBytes < 0 || requestBytes > MAX_MESSAGE_BYTES || responseBytes > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("--request and --response must be 0.." + MAX_MESSAGE_BYTES + " bytes");
        }
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("--connect-timeout must be positive");
        }
        if (maxFailures < 0) {
            throw new IllegalArgumentException("--max-failures must be >= 0 (0 = never stop)");
        }
        if (threads < 0) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        if (threads > 0 && !transport.eventLoops()) {
            // blocking, nio and raw already run a thread per connection in flight; virtual threads run
            // on the JVM's carriers (-Djdk.virtualThreadScheduler.parallelism), not on loops of ours.
            throw new IllegalArgumentException("--threads is the event loops of the selector and epoll transports; --transport "
                    + transport.label() + " runs " + (transport == TransportKind.VIRTUAL
                            ? "a virtual thread per connection" : "a thread per connection in flight (--concurrency)"));
        }
        layers = layers == null ? Layers.NONE : layers;
        if (layers.tls() != null && (transport == TransportKind.RAW || transport == TransportKind.EPOLL)) {
            // The JDK's SSLSocket serves blocking and virtual, its SSLEngine nio and selector; raw and
            // epoll have no JDK socket to lay TLS over.
            throw new IllegalArgumentException("--tls runs on --transport blocking, virtual, nio or selector, not "
                    + transport.label());
        }
        if (layers.httpPath() != null && transport == TransportKind.RAW) {
            throw new IllegalArgumentException("--http runs on --transport blocking, virtual, nio, selector or epoll, not raw");
        }
        if (layers.httpPath() != null && requestBytes > 0) {
            throw new IllegalArgumentException("--http sends an HTTP request of its own: leave out --request");
        }
        if (threads > load.concurrency()) {
            String bound = load instanceof Load.Closed ? "--concurrency, or --connections when that is fewer"
                    : "--concurrency, or an open loop's default bound, which this process's limits may lower";
            throw new IllegalArgumentException("--threads " + threads + " is more than the " + load.concurrency()
                    + (load.concurrency() == 1 ? " connection" : " connections") + " in flight (" + bound
                    + "): each loop needs at least one");
        }
    }

    /** A spec whose warm-up, if any, runs the length it is given. */
    public RunSpec(TransportKind transport, SocketConfig socket, Closer closer, Load load, long connections,
                   Duration duration, Duration warmup, int requestBytes, int responseBytes, InetSocketAddress target,
                   Duration connectTimeout, long maxFailures, int threads, Layers layers) {
        this(transport, socket, closer, load, connections, duration, warmup, requestBytes, responseBytes, target,
                connectTimeout, maxFailures, threads, layers, null);
    }

    /** A plain TCP spec (no TLS, no HTTP). */
    public RunSpec(TransportKind transport, SocketConfig socket, Closer closer, Load load, long connections,
                   Duration duration, Duration warmup, int requestBytes, int responseBytes, InetSocketAddress target,
                   Duration connectTimeout, long maxFailures, int threads) {
        this(transport, socket, closer, load, connections, duration, warmup, requestBytes, responseBytes, target,
                connectTimeout, maxFailures, threads, Layers.NONE);
    }

    /** A spec whose event-loop transport (selector, epoll), if it is one, runs one loop per processor. */
    public RunSpec(TransportKind transport, SocketConfig socket, Closer closer, Load load, long connections,
                   Duration duration, Duration warmup, int requestBytes, int responseBytes, InetSocketAddress target,
                   Duration connectTimeout, long maxFailures) {
        this(transport, socket, closer, load, connections, duration, warmup, requestBytes, responseBytes, target,
                connectTimeout, maxFailures, 0);
    }

    /**
     * The cycles in flight at most: the load's concurrency, but never more than the measured
     * connections asked for, since more could only start threads that never get a cycle.
     */
    public int effectiveConcurrency() {
        int c = load.concurrency();
        return connections > 0 && connections < c ? (int) connections : c;
    }

    /**
     * The event loops of selector and epoll: {@code threads}, or one per processor when 0, never more
     * than the {@link #effectiveConcurrency} (each needs a connection); 1 for other transports.
     */
    public int loops() {
        if (!transport.eventLoops()) {
            return 1;
        }
        int most = effectiveConcurrency();
        return threads > 0 ? Math.min(threads, most) : EventLoops.perProcessor(most);
    }

    /**
     * The built-in sink's listeners, each an epoll loop of its own on the shared port: the ones asked
     * for, else one per processor (at most the connections in flight, and 1 for one client at a time,
     * which is served inline).
     */
    public int sinkListeners() {
        if (socket.listeners() > 0) {
            return socket.listeners();
        }
        int most = Math.min(effectiveConcurrency(), SocketConfig.MAX_LISTENERS);
        return builtInSink() ? EventLoops.perProcessor(most) : 1;
    }

    /** True when the run uses the built-in loopback sink server. */
    public boolean builtInSink() {
        return target == null;
    }
}
