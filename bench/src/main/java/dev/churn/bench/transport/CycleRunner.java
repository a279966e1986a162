package dev.churn.bench.transport;

import dev.churn.bench.config.TransportKind;
import dev.churn.bench.engine.Phase;
import dev.churn.bench.engine.PhaseRecorder;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a fixed number of connection cycles of one {@link ClientPlan} and returns when they are done,
 * recording each cycle's phases (connect, first byte, close, cycle) into a {@link PhaseRecorder}:
 * the hook JMH benchmarks call once per operation. {@code blocking}, {@code nio} and {@code raw} run the cycles
 * one after another on the calling thread; {@code virtual} runs {@code concurrency} virtual threads, each looping cycles, and
 * {@code selector} and {@code epoll} run up to {@code concurrency} cycles at once on one event loop, all
 * through their {@link Transport}. Not thread-safe: one per benchmark thread.
 */
public final class CycleRunner {

    private final TransportKind kind;
    private final ClientPlan plan;
    private final PhaseRecorder recorder;
    private final int concurrency;
    private final SocketCycle socketCycle;
    private final ChannelCycle channelCycle;
    private final RawCycle rawCycle;
    private final Transport transport;

    /** A runner for this transport and plan; {@code concurrency} matters to {@code selector}, {@code epoll} and {@code virtual} only. */
    public CycleRunner(TransportKind kind, ClientPlan plan, PhaseRecorder recorder, int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
        }
        this.kind = kind;
        this.plan = plan;
        this.recorder = recorder;
        this.concurrency = concurrency;
        this.socketCycle = kind == TransportKind.BLOCKING ? new SocketCycle(plan) : null;
        this.channelCycle = kind == TransportKind.NIO ? new ChannelCycle(plan) : null;
        this.rawCycle = kind == TransportKind.RAW ? new RawCycle(plan) : null;
        this.transport = kind == TransportKind.VIRTUAL || kind.eventLoops() ? Transport.of(kind, plan) : null;
    }

    /** Runs {@code n} cycles; throws the first cycle's error, after the in-flight ones ended, if any failed. */
    public void run(int n) throws IOException, InterruptedException {
        Batch batch = new Batch(n);
        switch (kind) {
            case BLOCKING -> {
                for (Ticket t = batch.next(); t != null; t = batch.next()) {
                    socketCycle.run(batch, t);
                }
            }
            case NIO -> {
                for (Ticket t = batch.next(); t != null; t = batch.next()) {
                    channelCycle.run(batch, t);
                }
            }
            case RAW -> {
                for (Ticket t = batch.next(); t != null; t = batch.next()) {
                    rawCycle.run(batch, t);
                }
            }
            case VIRTUAL, SELECTOR, EPOLL -> transport.run(batch);
        }
        if (batch.failure != null) {
            throw new IOException(batch.failures.get() + " of " + n + " cycles failed, first: " + batch.failure.getMessage(), batch.failure);
        }
    }

    /** The transport kind this runner uses. */
    public TransportKind kind() {
        return kind;
    }

    /** A batch of n cycles that all start at once; the first failure stops it. */
    private final class Batch implements Cycles {
        private final AtomicInteger left;
        private final AtomicInteger failures = new AtomicInteger();
        private volatile IOException failure;

        Batch(int n) {
            this.left = new AtomicInteger(n);
        }

        @Override
        public int concurrency() {
            return concurrency;
        }

        @Override
        public Ticket next() {
            if (failure != null || left.getAndDecrement() <= 0) {
                return null;
            }
            long start = System.nanoTime();
            return () -> start;
        }

        @Override
        public boolean awaitStart(Ticket t) {
            return true;
        }

        @Override
        public boolean stopping() {
            return failure != null;
        }

        @Override
        public void abandon(Ticket t) {
            // a batch ends only by failure, which is already reported
        }

        @Override
        public void connected(Ticket t, int localPort, long connectStartNanos, long connectEndNanos) {
            // no ACCEPT pairing: wantsConnected() is false
        }

        @Override
        public boolean wantsConnected() {
            return false;
        }

        @Override
        public void completed(Ticket t, long connectNanos, long firstByteNanos, long closeNanos, long endNanos) {
            recorder.record(Phase.CONNECT, connectNanos);
            if (firstByteNanos >= 0) {
                recorder.record(Phase.FIRST_BYTE, firstByteNanos);
            }
            recorder.record(Phase.CLOSE, closeNanos);
            recorder.record(Phase.CYCLE, endNanos - t.intendedStartNanos());
        }

        @Override
        public void completedTls(Ticket t, long connectNanos, long tlsNanos, boolean resumed, long firstByteNanos,
                                 long closeNanos, long endNanos) {
            recorder.record(Phase.TLS, tlsNanos);
            completed(t, connectNanos, firstByteNanos, closeNanos, endNanos);
        }

        @Override
        public void failed(Ticket t, IOException e) {
            failures.incrementAndGet();
            if (failure == null) {
                failure = e;
            }
        }
    }
}
