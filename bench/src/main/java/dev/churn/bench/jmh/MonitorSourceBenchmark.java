package dev.churn.bench.jmh;

import dev.churn.monitor.SocketFilter;
import dev.churn.monitor.StateCounts;
import dev.churn.monitor.StateSource;
import dev.churn.monitor.StateSources;
import dev.churn.monitor.TcpState;
import java.io.IOException;
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
 * The cost of one full sample of the TCP state table, per source, with at least {@code timeWait}
 * TIME_WAIT sockets present. One operation is one {@link StateSource#count}: with {@code scope=all}
 * every TCP socket of both families is read and counted by state, the same work as
 * {@code tcpref count}; with {@code scope=port} only the seeded port is counted, which is what churn
 * does during a run (the kernel still walks, or with netlink may skip, the foreign sockets).
 *
 * <p>With {@link TcpStateProfiler} attached, {@code tcp.time_wait.peak} shows the seeded sockets.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar MonitorSourceBenchmark}, or
 * {@code bench/scripts/monitor-vs-tcpref.sh} for the ratios against the C reference.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class MonitorSourceBenchmark {

    @Param({"netlink", "proc", "oshi"})
    public String source;

    @Param({"all"})
    public String scope;

    @Param({"20000"})
    public int timeWait;

    private TimeWaitSeeder seeder;
    private StateSource counter;
    private SocketFilter filter;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        seeder = new TimeWaitSeeder();
        counter = StateSources.open(CycleSetup.source(source));
        filter = CycleSetup.scopeIsPort(scope) ? SocketFilter.ports(seeder.port()) : SocketFilter.ALL;
        topUp();
        BenchRegistry.register(null, seeder.port());
    }

    /** TIME_WAIT lasts 60 s: keep the table crowded for every iteration, measured outside it. */
    @Setup(Level.Iteration)
    public void topUp() throws IOException {
        SocketFilter mine = SocketFilter.ports(seeder.port());
        long present = seeder.fill(timeWait, () -> counter.count(mine).get(TcpState.TIME_WAIT));
        // A table smaller than the parameter says would make every figure of this run, and any
        // ratio against a C count of the same namespace, about a different table: stop instead.
        if (present < timeWait) {
            throw new IllegalStateException("asked for " + timeWait + " TIME_WAIT sockets on port " + seeder.port()
                    + ", " + present + " are there after " + seeder.seeded() + " connections (ip_local_port_range too narrow?)");
        }
    }

    /**
     * Each benchmark thread's own source: one is not thread-safe (a netlink socket and its buffer), and with JMH's
     * {@code -t 2} two threads' dumps crossed on the shared one ("malformed reply, message length 0").
     */
    @State(Scope.Thread)
    public static class Reader {
        StateSource source;

        @Setup(Level.Trial)
        public void setUp(MonitorSourceBenchmark b) throws IOException {
            source = StateSources.open(CycleSetup.source(b.source));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            source.close();
        }
    }

    @Benchmark
    public StateCounts sample(Reader reader) throws IOException {
        return reader.source.count(filter);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        counter.close();
        seeder.close();
    }
}
