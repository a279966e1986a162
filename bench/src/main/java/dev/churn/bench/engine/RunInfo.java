package dev.churn.bench.engine;

import java.net.InetSocketAddress;

/**
 * What a run knows as it starts: where it connects, which ports are its own (the target's; the
 * monitor filters to them), and its clocks: start as wall-clock epoch ms and as System.nanoTime().
 */
public record RunInfo(RunSpec spec, InetSocketAddress target, int[] ports, long startEpochMillis, long startNanos) {}
