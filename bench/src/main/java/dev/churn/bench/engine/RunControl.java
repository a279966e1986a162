package dev.churn.bench.engine;

import dev.churn.bench.config.Load;
import dev.churn.bench.config.PortRange;
import dev.churn.bench.engine.RunResult.EndReason;
import dev.churn.bench.transport.Cycles;
import dev.churn.bench.transport.Ticket;
import dev.churn.monitor.EphemeralPorts;
import dev.churn.monitor.StateSources;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The run as transports see it: hands out tickets on the load's schedule, decides when the run
 * ends (count, duration, failures, stop, the hard ceiling), and records every cycle's outcome into
 * the {@link Generation} its ticket was claimed in. The warm-up runs through {@link #warmupCycles},
 * which stops handing out tickets once {@link #endWarmup} is called; the measured part starts with
 * {@link #beginMeasured}, after the warm-up's cycles have all ended.
 */
final class RunControl implements Cycles {

    /**
     * Open loop: at most {@link #GATE_AHEAD} workers at a time hold a claimed slot and wait for its
     * start; the idle others wait here, parked, until one of them has started. Without it every idle
     * worker (up to --concurrency, 1,000 by default) held a future slot and woke each
     * {@link #PARK_SLICE_NANOS} to look for stop(): up to 100,000 wake-ups a second that took the CPU
     * from the sink (accept wait p50 0.1 s at 2,000/s against 19 µs with 16 workers). Not fair: a
     * worker back from its cycle may take a permit at once.
     * Only for transports with a thread (platform or virtual) per connection in flight: the
     * {@code selector}'s loops each hold at most one claimed ticket, waiting in select, and one
     * blocked here would stall every connection it serves (and their timings).
     */
    private final Semaphore startGate = new Semaphore(GATE_AHEAD);

    /**
     * How many slots may be claimed and waited for at once. With one (a lock, until 2026-12-05), the
     * worker for the next slot was woken only when the current one started, and on a busy CPU it
     * often claimed late: `blocking` at --rate 10000 started late by 1.9 ms at p99 (median of 7
     * runs), and by 0.7 ms with four, its CPU per connection unchanged (128 and 121 µs; docs/performance.md).
     */
    static final int GATE_AHEAD = 4;

    /** Longest single park while waiting for an intended start, so stop() is seen promptly. */
    private static final long PARK_SLICE_NANOS = 10_000_000;

    /** One claimed cycle, tied to the generation it was claimed in. */
    private static final class Claim implements Ticket {
        final Generation generation;
        final long intendedStartNanos;
        /** When it was claimed (nanoTime). */
        final long claimedNanos;
        /** Holds a permit of the open loop's start gate until its cycle starts or is abandoned. */
        boolean holdsGate;
        /**
         * Gated open loop: its claimer came from the end of a cycle of this part, found a permit of the gate free and
         * every other worker in a cycle, so no worker was idle when the permit came free (see {@link #slotWaitNanos}).
         * Never a worker's first claim of a part: at a part's start the workers find permits free because they are
         * still starting, none busy. A worker holding a permit for an earlier start is not counted busy: if this
         * claim is late, so is that start, and that worker is late waking, not in a cycle.
         */
        boolean freeGate;
        /**
         * Event loop's claim: the latest span in which every slot of every loop was in flight, before the claim
         * (nanoTime; equal when there was none). See {@link #slotWaitNanos}.
         */
        long allBusyFrom;
        long allBusyUntil;
        /** Open loop: the latest start of its part before it was claimed, and that start's slot share. */
        Generation.LastStart previous;

        Claim(Generation generation, long intendedStartNanos, long claimedNanos) {
            this.generation = generation;
            this.intendedStartNanos = intendedStartNanos;
            this.claimedNanos = claimedNanos;
        }

        /**
         * How much of this start's {@code lag} was waiting for a free slot; the rest is the client's waking (a park
         * that overslept, a thread not scheduled, the gate's hand-over). The part of the lag up to the latest start
         * before its claim is inherited, in that start's shares: a loop that falls behind because its slots are
         * busy carries a backlog every later start inherits. Of the lag after it, an idle worker waits at the gate
         * and claims as soon as a start frees a permit; a claimer with {@link #freeGate} came from the end of its
         * cycle with every other worker in one, so from then until its claim every slot was busy. With
         * {@link #GATE_AHEAD} claims held at once, the permit it took may have come free at an earlier start than
         * the latest: the fresh part is then counted short, never long. The event loops claim without a gate: a loop
         * with a free slot holds the next ticket or claims it when it next looks, so of the lag after the latest start
         * the part inside the latest span in which every slot was busy ({@link #allBusyFrom}) was the slot wait, the
         * rest a loop busy with its other connections. An older span in the same lag is missed: short, never long.
         */
        long slotWaitNanos(long lag) {
            long previousStart = previous.nanos();
            long inherited = Math.clamp(previousStart - intendedStartNanos, 0, lag);
            long from = previousStart - intendedStartNanos > 0 ? previousStart : intendedStartNanos;
            long fresh = 0;
            if (freeGate) {
                fresh = claimedNanos - from;
            } else if (allBusyUntil != allBusyFrom) {
                long overlapFrom = allBusyFrom - from > 0 ? allBusyFrom : from;
                long overlapUntil = allBusyUntil - claimedNanos < 0 ? allBusyUntil : claimedNanos;
                fresh = overlapUntil - overlapFrom;
            }
            return Math.clamp(fresh, 0, lag - inherited) + Math.round(inherited * previous.slotShare());
        }

        Generation generation() {
            return generation;
        }

        @Override
        public long intendedStartNanos() {
            return intendedStartNanos;
        }
    }

    private final RunSpec spec;
    private final int concurrency;
    private final double nanosPerCycle;
    private final boolean gated;
    private final AtomicLong scheduled = new AtomicLong();
    private final AtomicReference<EndReason> end = new AtomicReference<>();
    private final AcceptClock acceptClock;
    // The target's port when a connect could reach itself (selfConnectPort), else -1.
    private final int selfPort;
    private final AtomicLong connects = new AtomicLong();
    private volatile Generation generation;
    private volatile long scheduleStartNanos;
    private volatile long hardDeadlineNanos;
    /**
     * When the run was stopped (Ctrl-C, --max-failures), nanoTime; {@link Generation#NO_DEADLINE} until
     * then. An open loop intends no start after it: the in-flight cycles' last second after a stop
     * was counted as starts due and "missed" (80 of them at 100/s), and blamed on the client.
     */
    private volatile long stoppedAtNanos = Generation.NO_DEADLINE;
    private volatile boolean warmupOver;
    /**
     * When the warm-up's time is up: past it the warm-up hands out no more tickets, whether or not
     * the reporter has said so yet ({@link #endWarmup}). The reporter can be held back: its log
     * writes take the JDK Cleaner's lock (a Deflater registers with it), and 5,000 virtual threads
     * queued on that lock (each socket takes it) kept it from ending a 1 s warm-up for minutes
     * (2026-12-04), the workers churning on all the while.
     */
    private long warmupEndNanos;

    /** A control for this spec; {@code acceptBaseNanos} is a time before any connect (for ACCEPT pairing). */
    RunControl(RunSpec spec, long acceptBaseNanos) {
        this.spec = spec;
        this.concurrency = spec.effectiveConcurrency();
        this.nanosPerCycle = spec.load() instanceof Load.Open o ? 1e9 / o.ratePerSecond() : 0;
        this.gated = nanosPerCycle > 0 && spec.transport().threadPerConnection();
        this.acceptClock = spec.builtInSink() ? new AcceptClock(acceptBaseNanos, acceptStaleNanos(spec.connectTimeout()), this::recordAccept,
                spec.socket().bindPorts())
                : null;
        this.selfPort = selfConnectPort(spec.target(), EphemeralPorts.read(StateSources.DEFAULT_PROC_ROOT), spec.socket().bindPorts());
    }

    /**
     * The target's port when a connect could reach its own socket (a loopback target whose port lies in the ephemeral
     * range, or in --bind-ports: with nothing listening there, that port may be the local one too), else -1. Only then
     * does a run without the built-in sink ask each connect its local port.
     */
    static int selfConnectPort(InetSocketAddress target, EphemeralPorts ports, PortRange bindPorts) {
        if (target == null || target.getAddress() == null || !target.getAddress().isLoopbackAddress()) {
            return -1;
        }
        int p = target.getPort();
        boolean local = bindPorts != null ? p >= bindPorts.from() && p <= bindPorts.to() : p >= ports.low() && p <= ports.high();
        return local ? p : -1;
    }

    /** The accept waits never taken for a connect the sink never accepted, whatever --connect-timeout says. */
    static final Duration MIN_ACCEPT_STALE = Duration.ofSeconds(10);

    /**
     * How long a client post waits for its accept before an accept on its port is taken for a later
     * connection's (AcceptClock's stale bound): the connect timeout, at least {@link #MIN_ACCEPT_STALE}.
     * The bound only guards a port reused after a connection the kernel dropped from a full accept
     * queue; a connection that is queued stays there until the sink accepts it, however long. With
     * the connect timeout alone, a sink lagging past a short one had its waits cut off: measured
     * 2026-12-04, {@code --rate 100000 --duration 2s --connect-timeout 200ms} recorded 10,704 waits,
     * none over 200 ms, and called 16,369 connects never accepted, each with its accept beside it.
     */
    static long acceptStaleNanos(Duration connectTimeout) {
        return Math.max(connectTimeout.toNanos(), MIN_ACCEPT_STALE.toNanos());
    }

    /** The ACCEPT pairing the built-in sink reports to, or null with an external target. */
    AcceptClock acceptClock() {
        return acceptClock;
    }

    /** Starts the schedule now: the warm-up if there is one, else the measured part. */
    void begin(long now) {
        scheduleStartNanos = now;
        hardDeadlineNanos = now + RunSpec.MAX_DURATION.toNanos();
        warmupEndNanos = now + (spec.warmup().isZero() ? 1L << 62 : spec.warmup().toNanos());
        generation = spec.warmup().isZero() ? measuredFrom(now) : new Generation(false, now, Generation.NO_DEADLINE);
        if (spec.warmup().isZero() && acceptClock != null) {
            acceptClock.measuredFrom(now);
        }
    }

    /**
     * Warm-up cycles that have all failed, this many from the start, end the warm-up early: a warm-up in
     * which nothing completes warms nothing up (a TLS certificate the client rejects, a server that resets
     * every connection), and the measured part then shows the same failures, counted, seconds sooner.
     */
    static final int FUTILE_WARMUP_FAILURES = 100;

    /** Whether {@code g}, a warm-up, has failed its first {@link #FUTILE_WARMUP_FAILURES} cycles and completed none. */
    boolean warmupFutile(Generation g) {
        return !g.measured && g.completed.sum() == 0 && g.failed.get() >= FUTILE_WARMUP_FAILURES;
    }

    /** Someone outside the run asked for its warm-up to end now ({@link ChurnEngine#endWarmupNow}). */
    private volatile boolean warmupEndAsked;

    void askWarmupEnd() {
        warmupEndAsked = true;
    }

    boolean warmupEndAsked() {
        return warmupEndAsked;
    }

    /** The warm-up is over: {@link #warmupCycles} hands out no more tickets. */
    void endWarmup() {
        warmupOver = true;
    }

    /**
     * Starts the measured part now, in a fresh generation: from now on cycles count. An open loop's
     * schedule starts again here, so the pause between the warm-up's last cycle and the first
     * measured one does not count as lag.
     */
    void beginMeasured(long now) {
        scheduled.set(0);
        scheduleStartNanos = now;
        if (acceptClock != null) {
            acceptClock.measuredFrom(now);
        }
        generation = measuredFrom(now);
    }

    /** The warm-up's view of this control: the same tickets, until {@link #endWarmup}. */
    Cycles warmupCycles() {
        return new Part(this, true);
    }

    /** The measured part's view of this control. */
    Cycles measuredCycles() {
        return new Part(this, false);
    }

    /**
     * A part's view of this control. The warm-up's and the measured part's transports both see this
     * one class: when the warm-up had a class of its own, every call the transports make through
     * Cycles changed receiver at the switch, and so did the outcome of the warm-up's end test, each a
     * reason for the JIT to drop the compiled hot path as the measured part began (see
     * {@link Generation#limit}).
     */
    private static final class Part implements Cycles {
        private final RunControl c;
        private final boolean warmup;

        Part(RunControl c, boolean warmup) {
            this.c = c;
            this.warmup = warmup;
        }

        @Override
        public int concurrency() {
            return c.concurrency();
        }

        @Override
        public Ticket next() {
            // One test (&, not &&), false in both parts until the warm-up is over.
            return c.warmupOver & warmup ? null : c.next(null);
        }

        @Override
        public Ticket next(Ticket previous) {
            return c.warmupOver & warmup ? null : c.next(previous);
        }

        @Override
        public Ticket next(long allBusyFrom, long allBusyUntil) {
            return c.warmupOver & warmup ? null : c.next(allBusyFrom, allBusyUntil);
        }

        @Override
        public boolean openLoop() {
            return c.openLoop();
        }

        @Override
        public boolean awaitStart(Ticket t) {
            return c.awaitStart(t);
        }

        @Override
        public boolean stopping() {
            return c.stopping();
        }

        @Override
        public void abandon(Ticket t) {
            c.abandon(t);
        }

        @Override
        public void connected(Ticket t, int localPort, long connectStartNanos, long connectEndNanos) throws SelfConnectException {
            c.connected(t, localPort, connectStartNanos, connectEndNanos);
        }

        @Override
        public boolean wantsConnected() {
            return c.wantsConnected();
        }

        @Override
        public void completed(Ticket t, long connectNanos, long firstByteNanos, long closeNanos, long endNanos) {
            c.completed(t, connectNanos, firstByteNanos, closeNanos, endNanos);
        }

        @Override
        public void completedTls(Ticket t, long connectNanos, long tlsNanos, boolean resumed, long firstByteNanos,
                                 long closeNanos, long endNanos) {
            c.completedTls(t, connectNanos, tlsNanos, resumed, firstByteNanos, closeNanos, endNanos);
        }

        @Override
        public void failed(Ticket t, IOException e) {
            c.failed(t, e);
        }

        @Override
        public int giveUp(long waitedNanos) {
            return c.giveUp(waitedNanos);
        }
    }

    /** True when this run is an open loop (a rate). */
    @Override
    public boolean openLoop() {
        return nanosPerCycle > 0;
    }

    /**
     * When an open loop's measured schedule ends, or {@link Generation#NO_DEADLINE}: the slot of its last cycle
     * included, at most the deadline. Only a run that ended by its schedule (count or duration) has one. A run of N
     * connections at R/s takes N/R seconds and one of --duration D takes D, though the last cycle starts one period
     * before that and may end long before: without it, 2 connections at 1/s reported 2.0/s over 1.001 s.
     */
    long scheduleEnd(Generation g) {
        EndReason r = end.get();
        if (!openLoop() || !g.measured || (r != EndReason.DURATION_REACHED && r != EndReason.COUNT_REACHED)) {
            return Generation.NO_DEADLINE;
        }
        long horizon = g.deadlineNanos != Generation.NO_DEADLINE ? g.deadlineNanos : hardDeadlineNanos;
        long slots = Schedule.intended(g.startNanos, horizon, nanosPerCycle, spec.connections());
        long scheduled = g.startNanos + (long) (slots * nanosPerCycle);
        return scheduled - horizon > 0 ? horizon : scheduled;
    }

    /** Waits, parked, until the measured schedule's end ({@link #scheduleEnd}); returns early when the run is stopped. */
    void awaitScheduleEnd() {
        long until = scheduleEnd(generation);
        if (until == Generation.NO_DEADLINE) {
            return;
        }
        for (long wait = until - System.nanoTime(); wait > 0 && !stopping(); wait = until - System.nanoTime()) {
            LockSupport.parkNanos(Math.min(wait, PARK_SLICE_NANOS));
        }
    }

    /** Where the measured part {@code g}'s window ends: its last cycle's end, or its schedule's end when later. */
    long windowEnd(Generation g, long fallback) {
        long last = g.windowEnd(fallback);
        long scheduled = scheduleEnd(g);
        if (scheduled != Generation.NO_DEADLINE && scheduled - last > 0) {
            return scheduled;
        }
        // An open loop kept its schedule until the stop: its window runs to it. --rate 0.2 stopped at 8.4 s said
        // "0.400 connections/s over 5.001 s", its last cycle's end, twice the rate asked (QA, 2026-12-06).
        long stopped = stoppedAtNanos;
        if (openLoop() && g.measured && end.get() == EndReason.STOPPED && stopped != Generation.NO_DEADLINE
                && stopped - last > 0 && stopped - g.startNanos > 0) {
            return stopped;
        }
        return last;
    }

    /** An open loop's schedule in the measured part {@code g}, whose window ended at {@code windowEnd}; null in a closed loop. */
    Schedule schedule(Generation g, long windowEnd) {
        if (!openLoop() || !g.measured) {
            return null;
        }
        long horizon = g.deadlineNanos != Generation.NO_DEADLINE && g.deadlineNanos - windowEnd < 0 ? g.deadlineNanos : windowEnd;
        long stopped = stoppedAtNanos;
        if (stopped != Generation.NO_DEADLINE && stopped - horizon < 0) {
            horizon = Math.max(g.startNanos, stopped); // a stop in the warm-up leaves no measured schedule to keep
        }
        long intended = Schedule.intended(g.startNanos, horizon, nanosPerCycle, spec.connections());
        // A percentile is its bucket's highest equivalent value, up to 0.1% above the exact latest: capped at it
        // (a p99 of 25,624.6 µs beside a latest of 25,611.7, 2026-12-05).
        long max = g.maxLagNanos.get();
        long p50 = g.startLag.getTotalCount() == 0 ? 0 : Math.min(max, g.startLag.getValueAtPercentile(50));
        long p99 = g.startLag.getTotalCount() == 0 ? 0 : Math.min(max, g.startLag.getValueAtPercentile(99));
        long lagSum = g.lagNanosSum.sum();
        double slotShare = lagSum == 0 ? 0 : (double) g.slotWaitNanosSum.sum() / lagSum;
        return new Schedule(intended, g.started.sum(), p50, p99, max, g.peakInFlight.get(), concurrency,
                slotShare);
    }

    private Generation measuredFrom(long now) {
        long deadline = spec.duration() == null ? Generation.NO_DEADLINE : now + spec.duration().toNanos();
        return new Generation(true, now, deadline, spec.connections(), nanosPerCycle == 0);
    }

    Generation generation() {
        return generation;
    }

    /** Why the run ended, or null while it goes on. */
    EndReason endReason() {
        return end.get();
    }

    /**
     * Ends the run (the first reason given wins); loops finish their current cycle. A stop (Ctrl-C) overrides the count or the
     * duration reached: an open loop that had claimed its last slots (COUNT_REACHED) waited out their starts, 13 s at
     * --rate 0.2, deaf to Ctrl-C, until the shutdown hook gave up and nothing was written (QA, 2026-12-06).
     */
    void end(EndReason reason) {
        long now = System.nanoTime();
        boolean stop = reason == EndReason.STOPPED || reason == EndReason.TOO_MANY_FAILURES;
        while (true) {
            EndReason was = end.get();
            boolean reached = was == EndReason.COUNT_REACHED || was == EndReason.DURATION_REACHED;
            if (was != null && !(reason == EndReason.STOPPED && reached)) {
                return;
            }
            if (end.compareAndSet(was, reason)) {
                if (stop) {
                    stoppedAtNanos = now;
                }
                return;
            }
        }
    }

    @Override
    public int concurrency() {
        return concurrency;
    }

    @Override
    public Ticket next() {
        return next(null);
    }

    @Override
    public Ticket next(Ticket previous) {
        if (!gated) {
            return claim();
        }
        boolean waited = !startGate.tryAcquire();
        if (waited) {
            startGate.acquireUninterruptibly();
        }
        Claim t = null;
        try {
            t = claim();
            if (t != null) {
                t.holdsGate = true;
                t.freeGate = !waited && previous instanceof Claim p && p.generation == t.generation
                        && t.generation.inFlight() >= concurrency - 1;
            }
            return t;
        } finally {
            if (t == null) {
                startGate.release();
            }
        }
    }

    /** An event loop's claim: see {@link Claim#slotWaitNanos}. */
    @Override
    public Ticket next(long allBusyFrom, long allBusyUntil) {
        Claim c = claim();
        if (c != null) {
            c.allBusyFrom = allBusyFrom;
            c.allBusyUntil = allBusyUntil;
        }
        return c;
    }

    /** Open loop: the claimer of a slot keeps its permit until its cycle starts (or is abandoned). */
    private void releaseGate(Ticket t) {
        Claim c = (Claim) t;
        if (c.holdsGate) {
            c.holdsGate = false;
            startGate.release();
        }
    }

    private Claim claim() {
        if (end.get() != null) {
            return null;
        }
        Generation g = generation;
        // Read before the claim's clock: the latest start before the claim, never one after it.
        Generation.LastStart before = nanosPerCycle > 0 ? g.lastStart.get() : null;
        long now = System.nanoTime();
        if ((warmupOver | now - warmupEndNanos >= 0) & g.warmup) {
            // A thread that was waiting for the open loop's gate when the warm-up ended: without this it would claim
            // one more warm-up cycle, and so would each of the others, one period apart (a 1,000-thread open loop at
            // --rate 10 warmed up 100 s longer). And the warm-up's time up, said or not (see warmupEndNanos).
            return null;
        }
        if (now - hardDeadlineNanos >= 0 || g.pastDeadline(now)) {
            end(EndReason.DURATION_REACHED);
            return null;
        }
        if (!reserve(g)) {
            end(EndReason.COUNT_REACHED);
            return null;
        }
        // A closed loop's cycle starts now, or after the pause a shortage of descriptors or ports asked for.
        long intended = g.backoff.startAt(now);
        if (intended != now && intended - g.effectiveDeadlineNanos >= 0) {
            g.attempted.decrementAndGet();
            end(EndReason.DURATION_REACHED);
            return null;
        }
        if (nanosPerCycle > 0) {
            intended = scheduleStartNanos + (long) (scheduled.getAndIncrement() * nanosPerCycle);
            // A warm-up's start due past the run's hard deadline does not end the run: it waits for the warm-up's end
            // and is given back (awaitStart). It ended a run at --rate 0.00001, a start a day, in its warm-up.
            if (intended - g.effectiveDeadlineNanos >= 0 || (g.measured & intended - hardDeadlineNanos >= 0)) {
                g.attempted.decrementAndGet();
                end(EndReason.DURATION_REACHED);
                return null;
            }
        }
        Claim c = new Claim(g, intended, now);
        c.previous = before;
        return c;
    }

    /** Counts one more attempt; in the measured part, never more than the asked-for connections. */
    private boolean reserve(Generation g) {
        // The same loop for every part (the warm-up's limit is Long.MAX_VALUE): see Generation.limit.
        long limit = g.limit;
        for (long a = g.attempted.get(); a < limit; a = g.attempted.get()) {
            if (g.attempted.compareAndSet(a, a + 1)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean awaitStart(Ticket t) {
        try {
            return waitForStart(t);
        } finally {
            releaseGate(t);
        }
    }

    private boolean waitForStart(Ticket t) {
        long intended = t.intendedStartNanos();
        for (long wait = intended - System.nanoTime(); wait > 0; wait = intended - System.nanoTime()) {
            if (stopping() || (warmupOver && !((Claim) t).generation().measured)) {
                abandon(t);
                return false;
            }
            LockSupport.parkNanos(Math.min(wait, PARK_SLICE_NANOS));
        }
        Generation g = ((Claim) t).generation();
        // A warm-up ticket reached late, after the warm-up's time was up, would hold the measured part back by a cycle.
        if (stopping() || (warmupOver & g.warmup)) {
            abandon(t);
            return false;
        }
        long now = System.nanoTime();
        if (now - hardDeadlineNanos >= 0 || g.pastDeadline(now)) {
            // An open loop behind its schedule holds tickets due before the deadline that it reaches only after it:
            // none starts then. They ran on for up to one more --duration, late (a 6 s run at 100,000/s lasted
            // 12.9 s), and a --duration must hold. They are not lost: Schedule counts them, intended but not
            // started (missed), and says the generator fell behind.
            end(EndReason.DURATION_REACHED);
            abandon(t);
            return false;
        }
        int n = g.start();
        if (n < 0) {
            abandon(t); // the run gave up on this part: it reads its results now
            return false;
        }
        g.peakInFlight.accumulateAndGet(n, Math::max);
        g.started.increment();
        g.cycleStarted(now);
        if (nanosPerCycle > 0) {
            long lag = Math.max(0, now - intended);
            g.maxLagNanos.accumulateAndGet(lag, Math::max);
            g.startLag.recordValue(lag);
            long slotWait = ((Claim) t).slotWaitNanos(lag);
            g.lagNanosSum.add(lag);
            g.slotWaitNanosSum.add(slotWait);
            g.startedAt(now, lag == 0 ? 0 : (double) slotWait / lag);
        }
        return true;
    }

    /**
     * True once the run must stop early (stop() or too many failures). Reaching the count or the
     * duration is not stopping: tickets already handed out are within both and still run.
     */
    @Override
    public boolean stopping() {
        EndReason r = end.get();
        return r == EndReason.STOPPED || r == EndReason.TOO_MANY_FAILURES;
    }

    @Override
    public void abandon(Ticket t) {
        ((Claim) t).generation().attempted.decrementAndGet();
        releaseGate(t);
    }

    @Override
    public boolean wantsConnected() {
        return acceptClock != null || selfPort > 0;
    }

    @Override
    public void connected(Ticket t, int localPort, long connectStartNanos, long connectEndNanos) throws SelfConnectException {
        if (localPort == selfPort) {
            throw new SelfConnectException(localPort);
        }
        if (acceptClock != null) {
            acceptClock.connected(localPort, connectStartNanos, connectEndNanos, ((Claim) t).generation().measured);
        }
        connects.incrementAndGet();
    }

    /** The measured part's ACCEPT pairing so far, or null without the built-in sink. */
    AcceptPairing acceptPairing() {
        return acceptClock == null ? null : acceptClock.pairing();
    }

    /** How many connects succeeded (and were reported to {@link #connected}) in the whole run. */
    long connects() {
        return connects.get();
    }

    @Override
    public void completed(Ticket t, long connectNanos, long firstByteNanos, long closeNanos, long endNanos) {
        Claim c = (Claim) t;
        Generation g = c.generation();
        if (!g.beginEnd()) {
            return; // counted as unfinished already
        }
        try {
            record(c, g, connectNanos, firstByteNanos, closeNanos, endNanos);
        } finally {
            g.endRecorded(); // whatever happens, a give-up waiting for this cycle's end must not wait for ever
        }
    }

    @Override
    public void completedTls(Ticket t, long connectNanos, long tlsNanos, boolean resumed, long firstByteNanos,
                             long closeNanos, long endNanos) {
        Claim c = (Claim) t;
        Generation g = c.generation();
        if (!g.beginEnd()) {
            return; // counted as unfinished already
        }
        try {
            // Before the cycle counts: whoever sees the cycle counted sees its handshake counted too.
            g.recorder.record(Phase.TLS, tlsNanos);
            if (resumed) {
                g.tlsResumed.increment();
            }
            record(c, g, connectNanos, firstByteNanos, closeNanos, endNanos);
        } finally {
            g.endRecorded();
        }
    }

    private void record(Claim c, Generation g, long connectNanos, long firstByteNanos, long closeNanos, long endNanos) {
        PhaseRecorder r = g.recorder;
        r.record(Phase.CONNECT, connectNanos);
        if (firstByteNanos >= 0) {
            r.record(Phase.FIRST_BYTE, firstByteNanos);
        }
        r.record(Phase.CLOSE, closeNanos);
        r.record(Phase.CYCLE, endNanos - c.intendedStartNanos());
        g.backoff.completed();
        g.completed.increment();
        g.cycleEnded(endNanos);
    }

    @Override
    public void failed(Ticket t, IOException e) {
        Generation g = ((Claim) t).generation();
        if (!g.beginEnd()) {
            return; // counted as unfinished already
        }
        long failed;
        try {
            long now = System.nanoTime();
            g.cycleEnded(now);
            FailureKind kind = g.failures.record(e);
            if (nanosPerCycle == 0) {
                g.backoff.failed(kind, now);
            }
            failed = g.failed.incrementAndGet();
        } finally {
            g.endRecorded();
        }
        if (spec.maxFailures() > 0 && failed >= spec.maxFailures() && g == generation) {
            end(EndReason.TOO_MANY_FAILURES);
        }
    }

    /**
     * Counts the cycles still in flight as failed ({@link FailureKind#UNFINISHED}) in the current part,
     * and drops whatever any cycle of that part reports after: the results are read next, and a late
     * record would make them disagree with themselves. Returns how many it counted.
     */
    @Override
    public int giveUp(long waitedNanos) {
        Generation g = generation;
        int cycles = g.giveUp();
        boolean stopped = stopping();
        for (int i = 0; i < cycles; i++) {
            g.failures.record(new UnfinishedCycleException(waitedNanos, stopped));
            g.failed.incrementAndGet();
        }
        return cycles;
    }

    /**
     * An ACCEPT wait, recorded in the part of the run its client's cycle was claimed in: a warm-up
     * connection the sink accepts after the measured part began is dropped, not counted.
     */
    private void recordAccept(long nanos, boolean measured) {
        Generation g = generation;
        if (g.measured == measured) {
            g.recorder.record(Phase.ACCEPT, nanos);
        }
    }
}
