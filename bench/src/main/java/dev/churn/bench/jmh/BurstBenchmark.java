package dev.churn.bench.jmh;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.engine.Phase;
import dev.churn.bench.engine.PhaseRecorder;
import dev.churn.bench.server.SinkConfig;
import dev.churn.bench.server.SinkServer;
import dev.churn.bench.transport.ClientPlan;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A burst: open {@code n} connections, then close them all. One operation is the whole burst, timed
 * once (SingleShotTime, batch of one): {@code n} blocking connect()s one after another, each socket
 * kept open, then {@code n} close()s. Each iteration is one burst, and TIME_WAIT lives 60 s, so the
 * iterations build TIME_WAIT in steps of {@code n}, which {@code tcp.time_wait.peak} shows.
 *
 * <p>The sink closes first ({@code closer=server}): it closes each connection as it accepts it and
 * holds no descriptor, so the TIME_WAIT sockets sit on the sink's port, and 10,000 connections need
 * 10,000 client descriptors, not 20,000 (this machine's limit is 20,000). With {@code closer=client}
 * both sides hold every connection: keep {@code n} at 1,000 there. {@code linger=0} closes with RST:
 * no TIME_WAIT at all.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, batchSize = 1)
@Measurement(iterations = 3, batchSize = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class BurstBenchmark {

    @Param({"1000", "10000"})
    public int n;

    @Param({"off"})
    public String linger;

    @Param({"server"})
    public String closer;

    @Param({"ipv4"})
    public String family;

    private SinkServer sink;
    private ClientPlan plan;
    private PhaseRecorder phases;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        if (n < 1 || n > 20_000) {
            throw new IllegalArgumentException("n must be 1..20000, got " + n);
        }
        SocketConfig socket = CycleSetup.socket(linger, false, false, family);
        Closer c = CycleSetup.closer(closer);
        sink = SinkServer.start(SinkConfig.loopback(socket, c, 0, 0));
        plan = ClientPlan.of(sink.address(), socket, c, 0, 0, Duration.ofSeconds(5));
        phases = new PhaseRecorder();
        BenchRegistry.register(phases, sink.port());
    }

    /**
     * Each benchmark thread's own sockets: with JMH's {@code -t 2} a shared array had one thread's sockets
     * overwritten by the other's and never closed (CLOSE_WAIT peaked at 3,000 for n=1000 over three iterations).
     */
    @State(Scope.Thread)
    public static class Held {
        Socket[] sockets;

        @Setup(Level.Trial)
        public void setUp(BurstBenchmark b) {
            sockets = new Socket[b.n];
        }
    }

    /** Opens {@code n} connections, then closes them all; closes whatever it opened even when a connect fails. */
    @Benchmark
    public void burst(Held held) throws IOException {
        Socket[] sockets = held.sockets;
        int opened = 0;
        try {
            for (; opened < n; opened++) {
                Socket s = plan.newSocket();
                sockets[opened] = s;
                long c0 = System.nanoTime();
                s.connect(plan.target(), plan.timeoutMillis());
                phases.record(Phase.CONNECT, System.nanoTime() - c0);
            }
        } finally {
            closeAll(sockets, Math.min(opened + 1, n));
        }
    }

    private void closeAll(Socket[] sockets, int count) throws IOException {
        IOException first = null;
        for (int i = 0; i < count; i++) {
            Socket s = sockets[i];
            sockets[i] = null;
            if (s == null) {
                continue;
            }
            long k0 = System.nanoTime();
            try {
                s.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
            phases.record(Phase.CLOSE, System.nanoTime() - k0);
        }
        if (first != null) {
            throw first;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sink.close();
    }
}
