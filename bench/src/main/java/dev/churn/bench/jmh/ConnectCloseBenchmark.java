package dev.churn.bench.jmh;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import dev.churn.bench.engine.PhaseRecorder;
import dev.churn.bench.server.SinkConfig;
import dev.churn.bench.server.SinkServer;
import dev.churn.bench.transport.ClientPlan;
import dev.churn.bench.transport.CycleRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The connect/close cycle against the built-in loopback sink. One operation is one connection
 * cycle: connect(), no payload, then the close choreography of {@code closer} (client: the client's
 * FIN first, TIME_WAIT on the client; server: the sink closes first and the client closes after
 * reading its FIN, TIME_WAIT on the sink's port). Each invocation runs {@value #BATCH} cycles: with
 * {@code blocking}, {@code nio} and {@code raw} one after another on the benchmark thread, with {@code virtual}
 * one after another on a virtual thread the invocation starts and joins, with {@code selector} and {@code epoll} all
 * {@value #BATCH} at once on one event loop (so their score is per connection at concurrency {@value #BATCH}). Two methods,
 * {@code connectClose} (Throughput) and {@code connectCloseLatency} (SampleTime), run the same cycles. Run it with
 * {@code -prof dev.churn.bench.jmh.TcpStateProfiler} for the kernel's view of each iteration.
 */
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ConnectCloseBenchmark {

    /** Cycles per invocation. */
    public static final int BATCH = 16;

    @Param({"blocking", "nio", "virtual", "selector", "raw", "epoll"})
    public String transport;

    /** SO_LINGER on the client: off, 0 (RST, no TIME_WAIT) or seconds. */
    @Param({"off", "0"})
    public String linger;

    @Param({"false"})
    public boolean reuseAddr;

    @Param({"false"})
    public boolean reusePort;

    @Param({"client", "server"})
    public String closer;

    @Param({"ipv4"})
    public String family;

    private SinkServer sink;
    private TransportKind kind;
    private ClientPlan plan;
    private PhaseRecorder phases;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        SocketConfig socket = CycleSetup.socket(linger, reuseAddr, reusePort, family);
        Closer c = CycleSetup.closer(closer);
        kind = CycleSetup.transport(transport);
        sink = SinkServer.start(SinkConfig.loopback(socket, c, 0, 0));
        phases = new PhaseRecorder();
        plan = ClientPlan.of(sink.address(), socket, c, 0, 0, Duration.ofSeconds(5));
        BenchRegistry.register(phases, sink.port());
    }

    /**
     * Each benchmark thread's own runner, against the one sink: a {@link CycleRunner} is not thread-safe (its
     * cycles own their buffers), and with JMH's {@code -t 2} a shared one mixed two threads' cycles.
     */
    @State(Scope.Thread)
    public static class Client {
        CycleRunner runner;

        @Setup(Level.Trial)
        public void setUp(ConnectCloseBenchmark b) {
            runner = new CycleRunner(b.kind, b.plan, b.phases, b.kind.eventLoops() ? BATCH : 1);
        }
    }

    /** Throughput: {@value #BATCH} connect/close cycles per invocation, scored per cycle, in cycles per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public void connectClose(Client client) throws IOException, InterruptedException {
        client.runner.run(BATCH);
    }

    /**
     * SampleTime: the same {@value #BATCH} cycles, each invocation's time divided by {@value #BATCH}, in
     * microseconds per cycle; the profiler's {@code connect.p99}, {@code close.p99} and {@code cycle.p99}
     * are the per-cycle percentiles this mode cannot see.
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @OperationsPerInvocation(BATCH)
    public void connectCloseLatency(Client client) throws IOException, InterruptedException {
        client.runner.run(BATCH);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sink.close();
    }
}
