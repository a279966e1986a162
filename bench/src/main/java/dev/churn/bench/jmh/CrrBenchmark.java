package dev.churn.bench.jmh;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Connect/request/response/close with 1-byte messages, the netperf TCP_CRR and neper tcp_crr shape.
 * One operation is one transaction: connect(), write one byte, read the sink's one-byte answer, then
 * the client closes first (TIME_WAIT on the client). The suite runs it on {@code blocking} and {@code nio}, on the
 * benchmark thread; {@code -p transport=} takes any of the six. The profiler's {@code first_byte.*} results are the
 * request-to-response times.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CrrBenchmark {

    @Param({"blocking", "nio"})
    public String transport;

    @Param({"ipv4"})
    public String family;

    private SinkServer sink;
    private ClientPlan plan;
    private PhaseRecorder phases;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        SocketConfig socket = CycleSetup.socket("off", false, false, family);
        sink = SinkServer.start(SinkConfig.loopback(socket, Closer.CLIENT, 1, 1));
        phases = new PhaseRecorder();
        plan = ClientPlan.of(sink.address(), socket, Closer.CLIENT, 1, 1, Duration.ofSeconds(5));
        BenchRegistry.register(phases, sink.port());
    }

    /**
     * Each benchmark thread's own runner: a shared one is not thread-safe, and with JMH's {@code -t 2} two
     * threads wrote through nio's one request buffer, one sent nothing and timed out on its answer.
     */
    @State(Scope.Thread)
    public static class Client {
        CycleRunner runner;

        @Setup(Level.Trial)
        public void setUp(CrrBenchmark b) {
            runner = new CycleRunner(CycleSetup.transport(b.transport), b.plan, b.phases, 1);
        }
    }

    /** One connect, 1-byte request, 1-byte response, close. */
    @Benchmark
    public void crr(Client client) throws IOException, InterruptedException {
        client.runner.run(1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sink.close();
    }
}
