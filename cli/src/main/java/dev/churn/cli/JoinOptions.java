package dev.churn.cli;

import dev.churn.bench.control.ClockOffset;
import dev.churn.bench.control.ControlProtocolException;
import dev.churn.bench.control.ControlServer;
import dev.churn.bench.control.EpochClock;
import dev.churn.bench.control.JoinClient;
import dev.churn.bench.control.SinkTerms;
import dev.churn.bench.result.SummaryJson;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Option;

/**
 * {@code churn run --join}: the run joins a session on {@code churn serve}'s control port, starts at
 * the instant the server gives every client, and sends its results back to be merged there.
 */
final class JoinOptions {

    static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
    /** How long the control port may take to connect and greet. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Beyond the start timeout: this client may have joined after the first one started the clock. */
    private static final Duration START_SLACK = Duration.ofSeconds(30);
    private static final Duration RETRY = Duration.ofSeconds(1);
    /**
     * What this client asked the server to wait for the session's clients (its start timeout and warm-up), once
     * joined. It waits as long for the start once ready, and the slack: it waited its start timeout alone, so with
     * --warmup auto (asked for as its 2-minute ceiling) it gave up at 31 s while the server still waited for the
     * others' warm-ups, then counted it lost (review, 2026-12-07).
     */
    private Duration asked = Duration.ZERO;

    @Option(names = "--join", description = "With --target: join a session on that 'churn serve' (its control port): every "
            + "client starts at one instant, measured against each one's own clock, and the server merges their results.")
    boolean join;

    @Option(names = "--clients", paramLabel = "N", converter = OptionConverters.PositiveInt.class,
            description = "With --join: the session's size; the server starts it when N clients are ready "
                    + "(default: the server's --clients, else the first client's).")
    Integer clients;

    @Option(names = "--control-port", paramLabel = "P", converter = PortConverter.class,
            description = "With --join: the server's control port (default: the --target port + 1, as 'churn serve' opens it).")
    Integer controlPort;

    @Option(names = "--start-timeout", paramLabel = "DUR", converter = DurationConverter.class,
            description = "With --join: how long the server waits, from the first client, for all N, past the first "
                    + "client's --warmup (clients warm up before they say they are ready; with auto, its ceiling of 2m); "
                    + "then the session is cancelled and each client exits 1 saying who was missing. Also how long a "
                    + "client retries a control port that refuses connections, once a second (default 60s).")
    Duration startTimeout;

    /** Checks the options go together; IllegalArgumentException (one line) otherwise. */
    void check(InetSocketAddress target) {
        if (!join) {
            for (String o : new String[] {clients != null ? "--clients" : null, controlPort != null ? "--control-port" : null,
                    startTimeout != null ? "--start-timeout" : null}) {
                if (o != null) {
                    throw new IllegalArgumentException(o + " needs --join");
                }
            }
            return;
        }
        if (target == null) {
            throw new IllegalArgumentException("--join needs --target HOST:PORT, the 'churn serve' whose session to join");
        }
        if (clients != null && clients > ControlServer.MAX_CLIENTS) {
            // The server refuses such a join: said here, before any connect or wait.
            throw new IllegalArgumentException("--clients is at most " + ControlServer.MAX_CLIENTS + " (a session's clients "
                    + "each hold a control channel and a folder of results on the server), got " + clients);
        }
        if (startTimeout != null && startTimeout.compareTo(Duration.ofHours(23)) > 0) {
            // The server waits a day at most for a session's clients, the warm-up included (ControlServer).
            throw new IllegalArgumentException("--start-timeout is at most 23h (a server waits a day for a session, its"
                    + " clients' warm-up included), got " + DurationConverter.format(startTimeout));
        }
        if (controlPort == null && target.getPort() == 65535) {
            throw new IllegalArgumentException("--join: the --target port is 65535, so there is no port + 1: give --control-port");
        }
    }

    /** The control port: --control-port, or the target's port + 1. */
    InetSocketAddress control(InetSocketAddress target) {
        return new InetSocketAddress(target.getAddress(), controlPort != null ? controlPort : target.getPort() + 1);
    }

    /**
     * Joins, saying so on err; null without --join. Not churn's port or another version: a usage
     * error. A control port that refuses connections is retried once a second for up to the start
     * timeout, saying so once: clients started with the server (a Kubernetes Job beside a Deployment)
     * often come up first. The server's wait for the session's clients runs from this join, and a
     * client says it is ready only after its {@code warmup} (the longest it may take: an automatic
     * one's ceiling): the timeout it asks for holds the warm-up too, or a warm-up longer than the
     * timeout cancelled the session while every client was still warming up (2026-12-05, --warmup 5s
     * against --start-timeout 3s).
     */
    JoinClient join(InetSocketAddress target, String label, SinkTerms terms, Duration warmup, PrintWriter err,
            BooleanSupplier stopped) throws IOException {
        if (!join) {
            return null;
        }
        InetSocketAddress c = control(target);
        long end = System.nanoTime() + startTimeout().toNanos();
        JoinClient j;
        boolean said = false;
        while (true) {
            try {
                j = JoinClient.join(c, label, clients == null ? 0 : clients, terms, startTimeout().plus(warmup), CONNECT_TIMEOUT);
                asked = startTimeout().plus(warmup);
                break;
            } catch (ControlProtocolException e) {
                throw new UsageException("--join: " + e.getMessage());
            } catch (JoinClient.Refused e) {
                if (e.terms()) {
                    throw new UsageException(e.getMessage()); // this command line's options are at fault, as with bad input
                }
                throw e;
            } catch (ConnectException | NoRouteToHostException e) {
                if (System.nanoTime() - end >= 0 || stopped.getAsBoolean()) {
                    throw new IOException("--join: cannot reach a control port at " + SummaryJson.hostPort(c) + ": " + e.getMessage()
                            + (said ? " (retried for " + startTimeout().toSeconds() + " s)" : "")
                            + " (is 'churn serve' running there? it prints its control port)", e);
                }
                if (!said) {
                    err.println("waiting for the control port at " + SummaryJson.hostPort(c) + " (" + e.getMessage()
                            + "); retrying once a second for up to " + startTimeout().toSeconds() + " s");
                    err.flush();
                    said = true;
                }
                try {
                    Thread.sleep(RETRY.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("--join: interrupted while waiting for the control port", ie);
                }
            } catch (IOException e) {
                throw new IOException("--join: cannot reach a control port at " + SummaryJson.hostPort(c) + ": " + e.getMessage()
                        + " (is 'churn serve' running there? it prints its control port)", e);
            }
        }
        JoinClient.Welcome w = j.welcome();
        err.println(String.format(Locale.ROOT, "joined %s as %s (%d of %d)", j.server(), w.label(), w.joined(), w.clients()));
        err.flush();
        return j;
    }

    /**
     * Measures the clock, says ready and sleeps until the start instant; what the session's start
     * cost is printed on err. {@code lastly} runs {@link #LASTLY_LEAD_NANOS} before the instant, after the wait
     * and its collection (the run's measuring windows open there).
     */
    void awaitStart(JoinClient j, PrintWriter err, Runnable lastly) throws IOException {
        try {
            ClockOffset clock;
            try {
                clock = j.synchronize();
            } catch (EOFException | SocketException e) {
                // The first thing this client says after its warm-up. A session cancelled meanwhile left its
                // reason on the channel (synchronize() throws it as Refused); a channel closed without one is a
                // server that went away (killed, or a version before 2026-12-05 that exited without saying).
                throw new IOException(j.server() + " closed the session's channel before this client was ready, without a "
                        + "reason: the server stopped while this client warmed up; its output says why", e);
            }
            err.println(String.format(Locale.ROOT, "clock offset %+.3f ms against the server's (round trip %.3f ms, best of %d); "
                    + "waiting for the session's other clients", clock.offsetNanos() / 1e6, clock.rttNanos() / 1e6, clock.samples()));
            err.flush();
            long at = j.awaitStart((asked.compareTo(startTimeout()) > 0 ? asked : startTimeout()).plus(START_SLACK));
            err.println("start at " + EpochClock.instant(at) + " (server clock)");
            err.flush();
        } catch (ControlProtocolException e) {
            throw new UsageException("--join: " + e.getMessage());
        }
        // A young collection in the lead's last milliseconds starts this client late by its pause: G1
        // pauses of 20-70 ms in a fresh JVM on two loaded cores (-Xlog:safepoint, 2026-12-02). Collect
        // now, while the lead leaves time, so the instant finds an empty young generation; JMH does
        // the same between iterations for the same reason.
        if (j.startAtLocal() - EpochClock.nanos() > GC_LEAD_NANOS) {
            System.gc();
        }
        EpochClock.sleepUntil(j.startAtLocal() - LASTLY_LEAD_NANOS);
        lastly.run();
        EpochClock.sleepUntil(j.startAtLocal());
        j.begin();
    }

    /** How long before the instant the run's measuring windows open: a cold reading of its counters takes about 4 ms. */
    static final long LASTLY_LEAD_NANOS = 20_000_000L;

    /** Lead left before the start instant for a collection first (the server gives 500 ms). */
    private static final long GC_LEAD_NANOS = 250_000_000L;

    Duration startTimeout() {
        return startTimeout == null ? DEFAULT_START_TIMEOUT : startTimeout;
    }
}
