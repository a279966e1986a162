package dev.churn.monitor;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted {@link StateSource} for tests of formatting, peaks and timing, where what matters is
 * what the sampler does with counts rather than where they come from: it returns its counts in
 * turn (the last one repeats), and fails the calls whose index is in {@code failAt}.
 */
final class ScriptedSource implements StateSource {
    private final List<StateCounts> script;
    private final List<Integer> failAt;
    private final AtomicInteger calls = new AtomicInteger();

    ScriptedSource(List<StateCounts> script, List<Integer> failAt) {
        this.script = List.copyOf(script);
        this.failAt = List.copyOf(failAt);
    }

    ScriptedSource(StateCounts... script) {
        this(List.of(script), List.of());
    }

    static StateCounts counts(TcpState s1, long n1, TcpState s2, long n2) {
        return new StateCounts.Builder().add(s1, n1).add(s2, n2).build();
    }

    int calls() {
        return calls.get();
    }

    @Override
    public SourceKind kind() {
        return SourceKind.PROC;
    }

    @Override
    public StateCounts count(SocketFilter filter) throws IOException {
        int i = calls.getAndIncrement();
        if (failAt.contains(i)) {
            throw new IOException("scripted failure " + i);
        }
        return script.get(Math.min(i, script.size() - 1));
    }
}
