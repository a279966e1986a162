package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Load;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import dev.churn.bench.engine.RunInfo;
import dev.churn.bench.engine.RunSpec;
import dev.churn.bench.engine.Tick;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunProgressTest {

    private static final long S = 1_000_000_000L;

    /** A run bounded by time: the warm-up is not counted against --duration (QA, 2026-12-06: full before measuring). */
    @Test
    void theBarCountsTheMeasuredPartsSecondsNotTheWarmups() {
        assertEquals(0, RunProgress.barPosition(false, true, 0, 3 * S, 4), "3 s into a 4 s warm-up");
        assertEquals(1, RunProgress.barPosition(false, false, 0, S + S / 2, 4), "1.5 s into the measured part");
        assertEquals(4, RunProgress.barPosition(false, false, 0, 9 * S, 4), "the window's end runs past --duration");
        assertEquals(700, RunProgress.barPosition(true, false, 700, 9 * S, 20_000), "by count: connections done");
    }

    @Test
    void messageShowsRateP99TimeWaitAndFailures() {
        assertEquals("1,235/s p99 743µs TIME_WAIT 12,000", RunProgress.message(false, 1234.6, 743.2, 12000, 0, -1));
        assertEquals("warm-up 10/s p99 9.9ms TIME_WAIT 5 failed 3", RunProgress.message(true, 10, 9904, 5, 3, -1));
        assertEquals("0/s", RunProgress.message(false, 0, -1, -1, 0, -1), "unknown p99 and TIME_WAIT are left out");
        assertEquals("warm-up 700/s JIT 12%", RunProgress.message(true, 700, -1, -1, 0, 0.1241));
    }

    @Test
    void theWarmupsLinesSayWhatShareOfACpuTheCompilersTookSinceTheLastMessage() {
        RunSpec spec = new RunSpec(TransportKind.BLOCKING, SocketConfig.DEFAULTS, Closer.CLIENT, new Load.Closed(1), 0,
                Duration.ofSeconds(5), Duration.ofSeconds(20), 0, 0, null, null, 0);
        StringWriter text = new StringWriter();
        long[] compilers = {0};
        RunProgress p = new RunProgress(RunProgress.Mode.LINES, new PrintWriter(text), () -> -1, () -> compilers[0]);
        p.started(new RunInfo(spec, new InetSocketAddress("127.0.0.1", 40123), new int[] {40123}, 0, 0));
        long completed = 0;
        for (int second = 1; second <= 10; second++) {
            // Half a CPU in the first five seconds, 2% of one in the next five.
            compilers[0] += second <= 5 ? S / 2 : S / 50;
            completed += 700;
            p.tick(new Tick(true, (second - 1) * S, second * S, Map.of(), completed, completed, 0, 1));
        }
        compilers[0] += S; // the measured part: no JIT figure in its lines
        p.tick(new Tick(false, 10 * S, 15 * S, Map.of(), 3500, 3500, 0, 1));
        List<String> lines = text.toString().lines().toList();
        assertEquals(List.of("churn run: 5s, 3,500 completed, warm-up 700/s JIT 50%",
                "churn run: 10s, 7,000 completed, warm-up 700/s JIT 2%",
                "churn run: 15s, 3,500 completed, 700/s"), lines);
        assertTrue(lines.stream().allMatch(l -> l.length() < 100), text::toString);
    }

    /**
     * A line every 5 s gives the rate between lines, not the last half second's: a 5-minute run's lines read -38% to
     * +162% off the completions between them (QA, 2026-12-06). Here 4.5 s at 1,000/s, then half a second at 9,000/s.
     */
    @Test
    void aLinesRateIsTheRateSinceTheLineBefore() {
        RunSpec spec = new RunSpec(TransportKind.BLOCKING, SocketConfig.DEFAULTS, Closer.CLIENT, new Load.Closed(1), 0,
                Duration.ofSeconds(60), Duration.ZERO, 0, 0, null, null, 0);
        StringWriter text = new StringWriter();
        RunProgress p = new RunProgress(RunProgress.Mode.LINES, new PrintWriter(text), () -> -1, () -> -1);
        p.started(new RunInfo(spec, new InetSocketAddress("127.0.0.1", 40123), new int[] {40123}, 0, 0));
        long completed = 0;
        for (int tenth = 1; tenth <= 50; tenth++) {
            completed += tenth <= 45 ? 100 : 900;
            p.tick(new Tick(false, (tenth - 1) * S / 10, tenth * S / 10, Map.of(), completed, completed, 0, 1));
        }
        // 4,500 + 4,500 in 5 s: 1,800/s; the last half second alone said 9,000/s.
        assertEquals(List.of("churn run: 5s, 9,000 completed, 1,800/s"), text.toString().lines().toList());
    }
}
