package dev.churn.bench.lab;

import dev.churn.monitor.TcpState;

/** One reading of the timewait lab: with this tcp_fin_timeout, a socket in this state had this much time left. */
public record TimerReading(int finTimeoutSeconds, TcpState state, double secondsLeft) {}
