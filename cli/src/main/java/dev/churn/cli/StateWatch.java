package dev.churn.cli;

import dev.churn.bench.engine.RunInfo;
import dev.churn.bench.engine.RunListener;
import dev.churn.bench.engine.RunResult;
import dev.churn.monitor.AddressFamily;
import dev.churn.monitor.SocketFilter;
import dev.churn.monitor.SocketRowSource;
import dev.churn.monitor.StateCounts;
import dev.churn.monitor.StateSampler;
import dev.churn.monitor.StateSeries;
import dev.churn.monitor.StateSource;
import dev.churn.monitor.TcpState;
import java.io.IOException;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/**
 * Samples the kernel's TCP states on a run's own ports: the sampler starts when the run says which
 * ports are its own ({@link #started}). When the measured load ends ({@link #finished}, before the
 * built-in sink closes the sockets it holds) it stops sampling with one last sample, so no peak is
 * lower than the end-of-load state; {@link #stop}, after the sink is gone, adds the final sample and
 * returns the series.
 */
final class StateWatch implements RunListener {

    private final StateSource source;
    private final Duration interval;
    private final StateSampler.SockstatProbe sockstat;
    private volatile StateSampler sampler;
    private volatile SocketFilter filter;
    private volatile int[] runPorts = new int[0];

    /**
     * How long the final sample waits for closes still in flight to finish. The sink's last FINs and
     * ACKs cross loopback in microseconds, but a sample taken the instant it closed could catch the
     * last connection in FIN_WAIT2 or LAST_ACK and report one TIME_WAIT fewer than the run left. Bounded,
     * because against a --target that never closes a FIN_WAIT2 lasts tcp_fin_timeout. 1 s, not the
     * 200 ms it was: a CI run (2026-12-04, a loaded 2-vCPU machine) still caught one FIN_WAIT2 after
     * 200 ms; a run whose peer holds its connections pays the whole second once, at its end.
     */
    static final Duration SETTLE = Duration.ofSeconds(1);
    private static final EnumSet<TcpState> IN_FLIGHT = EnumSet.of(TcpState.SYN_SENT, TcpState.SYN_RECV,
            TcpState.FIN_WAIT1, TcpState.FIN_WAIT2, TcpState.CLOSING, TcpState.LAST_ACK);

    StateWatch(StateSource source, Duration interval, StateSampler.SockstatProbe sockstat) {
        this.source = source;
        this.interval = interval;
        this.sockstat = sockstat;
    }

    @Override
    public void started(RunInfo info) {
        // The run's family only: a run to 127.0.0.1:20700 counted the TIME_WAIT of another client's run to [::1]:20700
        // as its own, 4,295 of them where 1,198 were its (QA, 2026-12-06). IPv4-mapped sockets count as IPv4.
        filter = SocketFilter.ports(info.ports()).withFamily(info.target() == null ? AddressFamily.ALL
                : info.target().getAddress() instanceof Inet6Address ? AddressFamily.IPV6 : AddressFamily.IPV4);
        runPorts = info.ports();
        // Read before the sampler's thread and the run's first connection: what an earlier run or another client left
        // on these ports (a fixed --target's TIME_WAIT), which the peak and final counts then include.
        StateCounts before = null;
        try {
            before = source.count(filter);
        } catch (IOException | RuntimeException e) {
            // the sampler's own first read says what is wrong, and counts it
        }
        StateSampler built = StateSampler.builder(source, filter)
                .interval(interval)
                .sockstat(sockstat)
                // states.csv's t_ms then counts from startedAt, as the latency log does: from the sampler's own start,
                // after the listeners and the count above, the report drew states 20-700 ms early (QA, 2026-12-06)
                .origin(info.startNanos())
                .build();
        built.series().before(before);
        sampler = built.start();
    }

    /** TIME_WAIT sockets on the run's ports at the last sample, or -1 before the first. */
    long timeWaitNow() {
        StateSampler s = sampler;
        return s == null ? -1 : s.series().last().map(x -> x.get(TcpState.TIME_WAIT)).orElse(-1L);
    }

    /** The sampling thread's CPU on samples so far in nanoseconds ({@link StateSampler#spentCpuNanos}), -1 before it started. */
    long samplerCpuNanos() {
        StateSampler s = sampler;
        return s == null ? -1 : s.spentCpuNanos();
    }

    /** The load ended: stops the thread with a sample of the end-of-load state (peaks include it). */
    @Override
    public void finished(RunResult result) {
        StateSampler s = sampler;
        if (s != null) {
            s.stop();
        }
    }

    /**
     * Takes a final sample and returns the series; null when the run never started. With {@code teardownClosed}
     * (the built-in sink held the run's connections, --closer never, and closed them as it stopped) the final
     * sample shows what that close made, not the run: it is the last, but no peak.
     */
    StateSeries stop(boolean teardownClosed) {
        StateSampler s = sampler;
        if (s == null) {
            return null;
        }
        StateSeries series = s.stop();
        if (!s.isThreadAlive()) {
            try {
                // After the sink closed what it held, and its closes have crossed: the states the run leaves behind.
                settle();
                if (teardownClosed) {
                    s.sampleAfterEnd();
                } else {
                    s.sampleNow();
                }
                sides(series);
            } catch (IOException | RuntimeException e) {
                series.recordError("final sample: " + e.getMessage());
            }
        }
        return series;
    }

    /**
     * Whose the final TIME_WAIT are, where the source lists sockets: a socket whose local port is one of the run's
     * (the server's) is the server's, any other the client's. Against a server that closes first (nginx answering
     * Connection: close) 493 of 500 were the server's (2026-12-05), where --closer client reads as the client's.
     */
    private void sides(StateSeries series) throws IOException {
        if (!(source instanceof SocketRowSource rows)) {
            return;
        }
        Set<Integer> ports = new HashSet<>();
        for (int p : runPorts) {
            ports.add(p);
        }
        long[] serverClient = new long[2];
        rows.visit(filter, row -> {
            if (row.state() == TcpState.TIME_WAIT) {
                serverClient[ports.contains(row.localPort()) ? 0 : 1]++;
            }
        });
        series.finalTimeWaitSides(serverClient[0], serverClient[1]);
    }

    /** Waits, at most {@link #SETTLE}, until no socket on the run's ports is between states. */
    private void settle() throws IOException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline && inFlight(source.count(filter)) > 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static long inFlight(StateCounts c) {
        long n = 0;
        for (TcpState st : IN_FLIGHT) {
            n += c.get(st);
        }
        return n;
    }
}
