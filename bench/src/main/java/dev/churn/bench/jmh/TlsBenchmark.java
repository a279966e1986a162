package dev.churn.bench.jmh;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.engine.PhaseRecorder;
import dev.churn.bench.server.SinkConfig;
import dev.churn.bench.server.SinkServer;
import dev.churn.bench.tls.ClientTls;
import dev.churn.bench.tls.ServerIdentity;
import dev.churn.bench.tls.ServerTls;
import dev.churn.bench.tls.TlsClientConfig;
import dev.churn.bench.tls.TlsKeyType;
import dev.churn.bench.tls.TlsVersion;
import dev.churn.bench.transport.ClientPlan;
import dev.churn.bench.transport.CycleRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
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
 * A connection with TLS: connect, the TLS handshake (full, or resumed with {@code resume}), a
 * 1-byte request and response, and the client's close (close_notify, then FIN), against the
 * built-in sink speaking TLS with a certificate it made ({@code key}). One operation is one
 * connection; the profiler's {@code tls.*} results are the handshakes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class TlsBenchmark {

    @Param({"1.3", "1.2"})
    public String tls;

    @Param({"false", "true"})
    public boolean resume;

    @Param({"ec"})
    public String key;

    @Param({"blocking"})
    public String transport;

    private SinkServer sink;
    private ClientPlan plan;
    private PhaseRecorder phases;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        TlsVersion version = TlsVersion.parse(tls);
        SocketConfig socket = CycleSetup.socket("off", false, false, "ipv4");
        ServerTls server = ServerTls.of(ServerIdentity.selfSigned(TlsKeyType.parse(key), List.of()), version, List.of(), List.of(), resume);
        sink = SinkServer.start(SinkConfig.loopback(socket, Closer.CLIENT, 1, 1).withTls(server));
        ClientTls client = ClientTls.of(TlsClientConfig.of(version).withResume(resume), server.certificate());
        plan = ClientPlan.of(sink.address(), socket, Closer.CLIENT, 1, 1, Duration.ofSeconds(5)).withTls(client);
        phases = new PhaseRecorder();
        BenchRegistry.register(phases, sink.port());
    }

    /** Each benchmark thread's own runner: a {@link CycleRunner} is not thread-safe (its cycles own their buffers). */
    @State(Scope.Thread)
    public static class Client {
        CycleRunner runner;

        @Setup(Level.Trial)
        public void setUp(TlsBenchmark b) {
            runner = new CycleRunner(CycleSetup.transport(b.transport), b.plan, b.phases, 1);
        }
    }

    /** One connection: connect, TLS handshake, 1-byte request and response, close. */
    @Benchmark
    public void connection(Client client) throws IOException, InterruptedException {
        client.runner.run(1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sink.close();
    }
}
