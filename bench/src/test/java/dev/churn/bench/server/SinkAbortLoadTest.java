package dev.churn.bench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Linger;
import dev.churn.bench.config.Load;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import dev.churn.bench.engine.ChurnEngine;
import dev.churn.bench.engine.RunListener;
import dev.churn.bench.engine.RunResult;
import dev.churn.bench.engine.RunSpec;
import dev.churn.bench.lab.NetNamespace;
import dev.churn.monitor.KernelCounters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 9: an open loop whose clients close with SO_LINGER 0 sends the sink an RST per
 * connection. A sink that pays a JDK exception per reset fell behind at 3,000/s, its accept queue
 * overflowed (ListenOverflows +59,941) and the clients' cycles measured its backlog. The run goes
 * in a namespace of its own, so the kernel's per-namespace ListenOverflows is this run's alone.
 */
class SinkAbortLoadTest {

    /** /proc/thread-self follows setns(2); /proc/self would show the main thread's namespace. */
    private static final Path THREAD_PROC = Path.of("/proc/thread-self");
    private static final double RATE = 3000;
    private static final Duration DURATION = Duration.ofSeconds(3);

    @Test
    void lingerZeroOpenLoopNeverOverflowsTheSinksAcceptQueueAndEveryResetIsCounted() throws Exception {
        assumeTrue(NetNamespace.permitted(), "a private network namespace (for a ListenOverflows of our own) needs root");
        SocketConfig socket = new SocketConfig(Linger.ABORT, false, false, 1, false, 0, 0,
                SocketConfig.DEFAULT_BACKLOG, false, null);
        try (NetNamespace ns = NetNamespace.create()) {
            Outcome o = ns.call(() -> {
                KernelCounters before = KernelCounters.read(THREAD_PROC);
                try (SinkServer sink = SinkServer.start(SinkConfig.loopback(socket, Closer.CLIENT, 0, 0))) {
                    RunSpec spec = new RunSpec(TransportKind.BLOCKING, socket, Closer.CLIENT, new Load.Open(RATE, 256), 0,
                            DURATION, null, 0, 0, sink.address(), Duration.ofSeconds(5), 0);
                    RunResult r = new ChurnEngine(spec).run(RunListener.NONE);
                    // Every connection the clients made reaches the sink as accepted, then reset.
                    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                    while ((sink.accepted() < r.completed() || sink.resets() < r.completed()) && System.nanoTime() - deadline < 0) {
                        LockSupport.parkNanos(10_000_000);
                    }
                    long overflows = KernelCounters.read(THREAD_PROC).minus(before).get("ListenOverflows");
                    return new Outcome(r.completed(), r.failures().size(), sink.accepted(), sink.resets(), overflows);
                }
            });
            assertTrue(o.completed() > RATE, "the run did its work: " + o);
            assertEquals(0, o.failureKinds(), () -> "no failures: " + o);
            assertEquals(0, o.listenOverflows(), () -> "the sink kept its accept queue from overflowing: " + o);
            assertEquals(o.completed(), o.accepted(), () -> "every connection accepted: " + o);
            assertEquals(o.completed(), o.resets(), () -> "every client's RST seen and counted by the sink: " + o);
        }
    }

    private record Outcome(long completed, int failureKinds, long accepted, long resets, long listenOverflows) {}
}
