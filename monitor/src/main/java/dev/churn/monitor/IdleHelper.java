package dev.churn.monitor;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A thread at {@code SCHED_IDLE} ({@value #THREAD_NAME}) that takes a {@link StateSampler}'s costly counts on a
 * CPU the load leaves idle, with a source of its own. The sampler's thread stays at normal priority and keeps the
 * clock: it posts a {@link Job}, waits for it a bounded time, and when the helper has not finished by then (a
 * machine the load keeps busy starves an idle thread for seconds) abandons it and counts on its own source.
 *
 * <p>Why: with 24,000 TIME_WAIT on a run's ports a count costs 5 ms of CPU, and on two vCPUs a one-connection
 * ping-pong gave back 3% of its rate when the sampler ran at idle priority (docs/performance.md, "The sampler at
 * idle priority"); at 64 flows the same thread took 12-15 samples in 5 s instead of 42-45, one of them 2.6-4.4 s
 * late. The hand-off keeps the first and not the second.
 */
final class IdleHelper implements AutoCloseable {

    /** The helper's thread name ({@code /proc/<pid>/task/<tid>/comm} shows its first 15 characters). */
    static final String THREAD_NAME = "churn-state-idle";

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int POSTED = 0;
    private static final int TAKING = 1;
    private static final int DONE = 2;
    private static final int ABANDONED = 3;

    /** One count asked of the helper; its fields are written before {@code DONE} and read after. */
    static final class Job {
        private final AtomicInteger state = new AtomicInteger(POSTED);
        private final Thread waiter;
        long epochMillis;
        long t0;
        long t1;
        long cpuNanos;
        StateCounts counts;
        Exception error;

        private Job(Thread waiter) {
            this.waiter = waiter;
        }
    }

    private final StateSource source;
    private final SocketFilter filter;
    private final AtomicReference<Job> pending = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;
    // Why the helper is not at idle priority (then it takes no jobs), null while it is or before it began.
    private volatile String unavailable;
    private volatile boolean ready;
    // CPU spent on counts, abandoned ones included: it is the process's all the same.
    private volatile long spentCpuNanos;

    IdleHelper(StateSource source, SocketFilter filter) {
        this.source = source;
        this.filter = filter;
        this.thread = Thread.ofPlatform().daemon().name(THREAD_NAME).unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    /** True once the thread runs at idle priority and takes jobs. */
    boolean ready() {
        return ready;
    }

    /** Why the helper takes no jobs (it could not enter idle priority), or null. */
    String unavailable() {
        return unavailable;
    }

    /** CPU the helper's counts have cost so far, abandoned ones included. */
    long spentCpuNanos() {
        return spentCpuNanos;
    }

    /**
     * Asks for one count and waits until {@code deadlineNanos} ({@link System#nanoTime}) for it, or until {@code
     * stillWanted} turns false. Returns the finished job, or null when it was abandoned: the caller then counts on
     * its own source. A job abandoned mid-count finishes on the helper unseen.
     */
    Job take(long deadlineNanos, java.util.function.BooleanSupplier stillWanted) {
        Job job = new Job(Thread.currentThread());
        Job stale = pending.getAndSet(job);
        if (stale != null) {
            stale.state.compareAndSet(POSTED, ABANDONED); // never begun: the helper skips it
        }
        LockSupport.unpark(thread);
        long wait;
        while (job.state.get() != DONE && (wait = deadlineNanos - System.nanoTime()) > 0 && stillWanted.getAsBoolean()) {
            LockSupport.parkNanos(this, wait);
        }
        if (job.state.get() == DONE) {
            return job;
        }
        // Either it is still posted or it is being counted: both are given up. The CAS can lose only to DONE.
        if (job.state.compareAndSet(POSTED, ABANDONED) || job.state.compareAndSet(TAKING, ABANDONED)) {
            return null;
        }
        return job;
    }

    private void loop() {
        String refused = IdlePriority.enter();
        if (refused != null) {
            unavailable = refused;
            return;
        }
        ready = true;
        while (running) {
            Job job = pending.getAndSet(null);
            if (job == null) {
                LockSupport.park(this);
                continue;
            }
            if (!job.state.compareAndSet(POSTED, TAKING)) {
                continue; // abandoned before it began
            }
            count(job);
            if (job.state.compareAndSet(TAKING, DONE)) {
                LockSupport.unpark(job.waiter);
            }
        }
    }

    private void count(Job job) {
        long cpu0 = THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
        job.epochMillis = System.currentTimeMillis();
        job.t0 = System.nanoTime();
        try {
            job.counts = source.count(filter);
        } catch (IOException | RuntimeException e) {
            job.error = e;
        }
        job.t1 = System.nanoTime();
        if (cpu0 >= 0) {
            job.cpuNanos = THREADS.getCurrentThreadCpuTime() - cpu0;
            spentCpuNanos += job.cpuNanos; // one writer: this thread
        }
    }

    /**
     * Stops the thread and closes its source once it has stopped; a thread still inside a count after {@code
     * waitMillis} keeps its source open (it is a daemon, and the source is freed with the process).
     */
    void stop(long waitMillis) {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(waitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            try {
                source.close();
            } catch (IOException | RuntimeException e) {
                // nothing was counted with it after this point; the sampler's own source is the one that matters
            }
        }
    }

    @Override
    public void close() {
        stop(1_000);
    }
}
