package dev.churn.bench.engine;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Load;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import java.net.InetSocketAddress;
import java.time.Duration;

/** Short ways to write the run specs the tests use. */
final class Specs {

    private Specs() {}

    /** A closed-loop count run against the built-in sink, no payload, no warm-up. */
    static RunSpec count(TransportKind t, Closer c, int concurrency, long connections) {
        return new RunSpec(t, SocketConfig.DEFAULTS, c, new Load.Closed(concurrency), connections, null, null,
                0, 0, null, Duration.ofSeconds(5), 0);
    }

    static RunSpec withPayload(RunSpec s, int request, int response) {
        return new RunSpec(s.transport(), s.socket(), s.closer(), s.load(), s.connections(), s.duration(), s.warmup(),
                request, response, s.target(), s.connectTimeout(), s.maxFailures());
    }

    static RunSpec withSocket(RunSpec s, SocketConfig socket) {
        return new RunSpec(s.transport(), socket, s.closer(), s.load(), s.connections(), s.duration(), s.warmup(),
                s.requestBytes(), s.responseBytes(), s.target(), s.connectTimeout(), s.maxFailures());
    }

    static RunSpec withTarget(RunSpec s, InetSocketAddress target, long maxFailures) {
        return new RunSpec(s.transport(), s.socket(), s.closer(), s.load(), s.connections(), s.duration(), s.warmup(),
                s.requestBytes(), s.responseBytes(), target, s.connectTimeout(), maxFailures);
    }

    static RunSpec withWarmup(RunSpec s, Duration warmup) {
        return new RunSpec(s.transport(), s.socket(), s.closer(), s.load(), s.connections(), s.duration(), warmup,
                s.requestBytes(), s.responseBytes(), s.target(), s.connectTimeout(), s.maxFailures());
    }

    static RunSpec timed(TransportKind t, Closer c, Load load, Duration duration, Duration warmup) {
        return new RunSpec(t, SocketConfig.DEFAULTS, c, load, 0, duration, warmup, 0, 0, null, Duration.ofSeconds(5), 0);
    }
}
