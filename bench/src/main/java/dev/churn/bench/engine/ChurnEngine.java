package dev.churn.bench.engine;

import dev.churn.bench.engine.RunResult.EndReason;
import dev.churn.bench.server.SinkConfig;
import dev.churn.bench.server.SinkServer;
import dev.churn.bench.config.Layers;
import dev.churn.bench.config.TransportKind;
import dev.churn.bench.http.HttpRequest;
import dev.churn.bench.posix.VirtualThreadPoller;
import dev.churn.bench.tls.ClientTls;
import dev.churn.bench.tls.ServerIdentity;
import dev.churn.bench.tls.ServerTls;
import dev.churn.bench.transport.ClientPlan;
import dev.churn.bench.transport.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one churn run: {@code new ChurnEngine(spec).run(listener)} blocks until the run ends and
 * returns what it measured, warm-up excluded. It starts the built-in sink when the spec has no
 * target and closes it at the end. {@link #stop()} (from a Ctrl-C hook, any thread) makes the
 * loops finish their current cycle; run() then returns with {@link EndReason#STOPPED}.
 * Every thread the run starts is joined before run() returns, but for a stopped run's workers still in a cycle after
 * the transport's stop grace (a second): those are given up on, their cycles counted unfinished. A given-up worker in
 * a socket call ends within about a second, as closing the transport's watchdog ends its call; one held elsewhere is
 * left to end by itself.
 */
public final class ChurnEngine {

    /** Longest wait at the end of a run for the sink to accept what clients connected. */
    private static final long ACCEPT_GRACE_NANOS = 2_000_000_000L;
    private static final long STOPPED_ACCEPT_GRACE_NANOS = 100_000_000L;
    /**
     * The wait for the sink's accepts ends once none came for this long. The connects still unaccepted then are, as
     * a rule, handshakes whose last ACK a full accept queue dropped (ListenOverflows): the client's connect() returned,
     * the kernel queues the connection only after its SYN-ACK retransmit, a second and more later, if ever. Waiting
     * for them held an open loop past capacity 2 s at its warm-up's end (the measured part starts after the wait) and
     * 2 s at its end; the ACCEPT pairing counts them as connects without an accept instead. Half a second, not less:
     * under the SYN-ACK retransmit's first second, yet longer than a sink thread stalls on a busy 2-core machine (a GC
     * pause, a descheduled loop), where the wait must go on.
     */
    private static final long ACCEPT_STALL_NANOS = 500_000_000L;

    private final RunSpec spec;
    private volatile RunControl control;
    private volatile boolean stopRequested;
    private volatile boolean warmupEndAsked;
    private StartGate gate = StartGate.OPEN;

    public ChurnEngine(RunSpec spec) {
        this.spec = spec;
    }

    /** Waits on this gate before the measured part begins (see {@link StartGate}); returns this engine. */
    public ChurnEngine withStartGate(StartGate g) {
        gate = g;
        return this;
    }

    /**
     * Ends the warm-up at the reporter's next look (within a tick) rather than at its time: the measured
     * part's start gate then runs at once. Safe from any thread; nothing once the warm-up is over.
     */
    public void endWarmupNow() {
        warmupEndAsked = true;
        RunControl c = control;
        if (c != null) {
            c.askWarmupEnd();
        }
    }

    /** Ends the run early; safe from any thread, before or during run(). */
    public void stop() {
        stopRequested = true;
        RunControl c = control;
        if (c != null) {
            c.end(EndReason.STOPPED);
        }
    }

    /** Runs the spec, reporting to the listener on the engine's reporting thread, and returns the result. */
    public RunResult run(RunListener listener) throws IOException {
        RunControl c = new RunControl(spec, System.nanoTime());
        control = c;
        if (stopRequested) {
            c.end(EndReason.STOPPED);
        }
        if (warmupEndAsked) {
            c.askWarmupEnd();
        }
        if (spec.layers().tls() != null) {
            spec.layers().provider().apply();
        }
        if (spec.transport() == TransportKind.VIRTUAL) {
            VirtualThreadPoller.start(); // as the TLS sink does: before a burst of connections can leave it no descriptor
        }
        ServerTls sinkTls = spec.builtInSink() ? sinkTls() : null;
        SinkServer sink = spec.builtInSink() ? SinkServer.start(sinkConfig(c, sinkTls)) : null;
        try {
            InetSocketAddress target = sink != null ? sink.address() : spec.target();
            int[] ports = sink != null ? sink.ports() : new int[] {target.getPort()};
            RunInfo info = new RunInfo(spec, target, ports, System.currentTimeMillis(), System.nanoTime());
            Reporter reporter = new Reporter(info, c, listener);
            Thread reporting = Thread.ofPlatform().name("churn-reporter").start(reporter);
            Throwable driverError = null;
            try {
                Uninterruptibly.await(reporter.started);
                // Made before the gate, so what follows it is the first cycles, not class loading (~50 ms cold).
                ClientPlan plan = plan(target, sinkTls);
                Transport warm = spec.warmup().isZero() ? null : Transport.of(spec.transport(), plan.forWarmup(), spec.loops());
                Transport measured = Transport.of(spec.transport(), plan, spec.loops());
                if (spec.warmup().isZero()) {
                    // The listeners begin measuring before the measured span begins, not inside it (a cold
                    // reading of the kernel's counters, parsing /proc in the interpreter, takes about 4 ms),
                    // at the gate's very end, so that the hosts of a gated run start together and their
                    // windows do not hold the wait.
                    try {
                        openGate(listener::measuring); // with a warm-up, the driver waits at its end instead
                    } catch (IOException e) {
                        c.begin(System.nanoTime()); // the reporter reads the run's generation, even of a run that never began
                        c.end(EndReason.STOPPED);
                        throw e;
                    }
                }
                long begun = System.nanoTime();
                c.begin(begun);
                if (spec.warmup().isZero()) {
                    gate.began(begun);
                }
                reporter.begun.countDown();
                driverError = drive(warm, measured, c, sink, listener);
            } finally {
                reporter.begun.countDown();
                long end = System.nanoTime();
                if (sink != null) {
                    awaitAccepts(sink, c);
                }
                reporter.workersDone(end);
                Uninterruptibly.join(reporting);
            }
            if (driverError != null) {
                throw asIo(driverError);
            }
            if (reporter.died() != null) {
                throw asIo(reporter.died());
            }
            if (reporter.listenerError() != null) {
                throw reporter.listenerError();
            }
            // Accepts the sink failed (out of descriptors) stall clients without failing them, and its idle resets
            // and TLS failures are its own: the result says so.
            RunResult.SinkFaults faults = sink == null ? null : new RunResult.SinkFaults(sink.acceptFailures(),
                    sink.firstAcceptFailure(), sink.idleCloses(), sink.tlsFailures());
            return faults == null || faults.none() ? reporter.result() : reporter.result().withSinkFaults(faults);
        } finally {
            if (sink != null) {
                sink.close();
            }
        }
    }

    /**
     * Runs the warm-up (with {@link ClientPlan#forWarmup}) and then the measured part, each with its
     * own transport, on a thread of its own so that an interrupt of the caller turns into stop() and
     * still waits for every worker to end. The measured part begins once every warm-up cycle has
     * ended and the built-in sink has accepted every warm-up connection, so neither a warm-up cycle
     * nor the sink's warm-up backlog falls in the measured window.
     */
    private Throwable drive(Transport warm, Transport measured, RunControl c, SinkServer sink, RunListener listener) {
        Throwable[] error = new Throwable[1];
        Thread driver = Thread.ofPlatform().name("churn-driver").start(() -> {
            try {
                if (!spec.warmup().isZero()) {
                    if (sink != null) {
                        sink.holdNever(false); // --closer never keeps the run's connections, not the warm-up's
                    }
                    warm.run(c.warmupCycles());
                    if (sink != null) {
                        awaitAccepts(sink, c);
                        sink.holdNever(true);
                    }
                    if (c.endReason() != null) {
                        return; // stopped, or too many failures, during the warm-up
                    }
                    openGate(listener::measuring);
                    long measuredFrom = System.nanoTime();
                    c.beginMeasured(measuredFrom);
                    gate.began(measuredFrom);
                }
                measured.run(c.measuredCycles());
                c.awaitScheduleEnd();
            } catch (InterruptedException e) {
                c.end(EndReason.STOPPED);
            } catch (IOException e) {
                c.end(EndReason.STOPPED);
                error[0] = new UncheckedIOException(e);
            } catch (RuntimeException | Error e) {
                c.end(EndReason.STOPPED);
                error[0] = e;
            }
        });
        boolean interrupted = false;
        while (true) {
            try {
                driver.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                c.end(EndReason.STOPPED);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return error[0];
    }

    // The gate, its interrupt kept: the run's own stop path handles a stop that came while waiting.
    private void openGate(Runnable lastly) throws IOException {
        try {
            gate.await(lastly);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to start", e);
        }
    }

    /**
     * Clients may finish before the sink has accepted their connections (they do not wait for it
     * unless a response or the server's FIN is part of the cycle); wait, bounded, until it has, so
     * every ACCEPT time lands in the result, or until it accepted nothing for {@link #ACCEPT_STALL_NANOS}.
     */
    private void awaitAccepts(SinkServer sink, RunControl c) {
        // Stopped: the user wants out now, and a partial ACCEPT histogram says nothing wrong.
        long grace = c.endReason() == EndReason.STOPPED ? STOPPED_ACCEPT_GRACE_NANOS : ACCEPT_GRACE_NANOS;
        long now = System.nanoTime();
        long deadline = now + Math.min(spec.connectTimeout().toNanos(), grace);
        long accepted = sink.accepted();
        long lastAccept = now;
        while (accepted < c.connects() && now - deadline < 0 && now - lastAccept < ACCEPT_STALL_NANOS) {
            LockSupport.parkNanos(200_000);
            now = System.nanoTime();
            long a = sink.accepted();
            if (a != accepted) {
                accepted = a;
                lastAccept = now;
            }
        }
    }

    /** The built-in sink's TLS, with the identity given or one made now; null without --tls. */
    private ServerTls sinkTls() {
        Layers l = spec.layers();
        if (l.tls() == null) {
            return null;
        }
        ServerIdentity id = l.sinkIdentity() != null ? l.sinkIdentity() : ServerIdentity.selfSigned(l.sinkKeyOrDefault(), List.of());
        // Tickets only for a client that resumes: see ServerTls.
        return ServerTls.of(id, l.tls().version(), l.tls().groups(), l.tls().ciphers(), l.tls().resume());
    }

    /**
     * A JVM system property, {@code -Dchurn.sink.blocking=true|false} (in JAVA_TOOL_OPTIONS for ./churn):
     * forces the built-in sink's way of serving a run with one connection in flight and one listener,
     * blocking calls ({@link SinkConfig#withBlocking}) or the epoll loop, whatever {@link #blockingSink}
     * would choose. A diagnostic, to measure what the sink costs; ignored for any other run.
     */
    public static final String BLOCKING_SINK_PROPERTY = "churn.sink.blocking";

    /**
     * Whether this run's built-in sink serves in blocking calls, one connection at a time, as a C
     * accept loop does. Only a run with one connection in flight, one listener and no TLS can be
     * served so (more in flight would wait for each other's FIN). Of those, by default, the runs whose
     * client is churn's own on raw descriptors ({@code raw}, {@code epoll}) and waits for the sink on
     * every cycle (a request and a response, or --http): there the sink's five system calls a
     * connection beat the loop's nine, in alternating pairs on 2026-12-04 (bench/scripts/sink-ab.sh;
     * docs/performance.md, "Connection churn"). Everywhere else the loop was the faster or even:
     * without a response the client never waits for the sink, and the blocking thread's sleeps in
     * accept(2) and read(2) cost the client's thread their wake-ups; the JDK's clients
     * ({@code blocking}, {@code nio}) were even, or lost in the steady state.
     */
    public static boolean blockingSink(RunSpec spec) {
        if (!spec.builtInSink() || spec.layers().tls() != null || spec.sinkListeners() != 1
                || spec.effectiveConcurrency() != 1) {
            return false;
        }
        String forced = System.getProperty(BLOCKING_SINK_PROPERTY);
        if (forced != null && !forced.isBlank()) {
            return Boolean.parseBoolean(forced.strip());
        }
        boolean ownClient = spec.transport() == TransportKind.RAW || spec.transport() == TransportKind.EPOLL;
        boolean waitsForSink = spec.layers().httpPath() != null || (spec.requestBytes() > 0 && spec.responseBytes() > 0);
        return ownClient && waitsForSink;
    }

    private SinkConfig sinkConfig(RunControl c, ServerTls tls) {
        // Epoll loops, one per listener, so no connection waits for another's FIN; one listener per
        // processor by default (SO_REUSEPORT, set by the sink), so the sink keeps up with a client
        // that runs on every core, and one for one client at a time. Even then a loop beats a
        // blocking accept-and-serve thread: that one sleeps in accept(2) and read(2) between
        // connections, and the client's thread pays its two wake-ups per connection in the softirq
        // of its own packets (docs/performance.md, 2026-12-02). Not so when churn's own raw-descriptor
        // client waits for the sink's answer on every cycle: there the blocking thread is the faster
        // (blockingSink).
        return SinkConfig.loopback(spec.socket().withListeners(spec.sinkListeners()), spec.closer(), spec.requestBytes(),
                        spec.responseBytes())
                .withBlocking(blockingSink(spec))
                .withAcceptObserver(c.acceptClock())
                .withTls(tls)
                .withHttp(spec.layers().httpPath() != null);
    }

    /** The client's plan; against the built-in sink, its TLS trusts only the certificate the sink made. */
    private ClientPlan plan(InetSocketAddress target, ServerTls sinkTls) {
        Layers l = spec.layers();
        ClientPlan p = ClientPlan.of(target, spec.socket(), spec.closer(), spec.requestBytes(), spec.responseBytes(),
                spec.connectTimeout());
        if (l.tls() != null) {
            p = p.withTls(ClientTls.of(l.tls(), sinkTls == null ? null : sinkTls.certificate()));
        }
        if (l.httpPath() != null) {
            p = p.withHttp(HttpRequest.get(l.httpPath(), target));
        }
        return p;
    }

    private static IOException asIo(Throwable t) {
        if (t instanceof OutOfMemoryError e) {
            return OutOfMemory.explained(e);
        }
        if (t instanceof UncheckedIOException u) {
            return u.getCause();
        }
        if (t.getCause() instanceof IOException io) {
            return io;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        throw (Error) t;
    }
}
