package dev.churn.cli;

import dev.churn.bench.http.Printable;
import dev.churn.monitor.GroupKey;
import dev.churn.monitor.IdleAges;
import dev.churn.monitor.SocketGroup;
import dev.churn.monitor.StateCounts;
import dev.churn.monitor.TcpState;
import dev.churn.monitor.TimeWaitRemaining;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The table of {@code churn monitor --by}: one line per group, ranked, a column per state some
 * group has, a total column, the CLOSE_WAIT idle ages when some group has CLOSE_WAIT, and a last
 * line with the totals; then, when the sample has TIME_WAIT, one line of their remaining timers.
 */
final class GroupTable {

    static final String IDLE_HEADING = "CW idle oldest/median";

    private GroupTable() {}

    /** The table, lines ending in a newline; {@code timeWait} may be null (no histogram line). */
    static String render(List<GroupKey> by, int top, List<SocketGroup> groups, StateCounts totals,
            TimeWaitRemaining timeWait) {
        List<TcpState> present = new ArrayList<>();
        for (TcpState s : TcpState.values()) {
            if (groups.stream().anyMatch(g -> g.states().get(s) > 0)) {
                present.add(s);
            }
        }
        boolean idle = present.contains(TcpState.CLOSE_WAIT);
        String title = "by " + by.stream().map(GroupKey::label).collect(Collectors.joining(", ")) + " (top " + top + ")";
        // A process names itself (prctl, exec -a): any local user's ESC sequences reached root's terminal raw, clearing it
        // or forging rows (QA, 2026-12-06). Keys are printed with control characters as \xNN.
        int keyWidth = Math.max(title.length(), groups.stream().mapToInt(g -> Printable.escape(g.key()).length()).max().orElse(0));
        StringBuilder b = new StringBuilder("\n");
        b.append(pad(title, keyWidth));
        for (TcpState s : present) {
            b.append("  ").append(s.name());
        }
        b.append("  TOTAL");
        b.append(idle ? "  " + IDLE_HEADING + "\n" : "\n");
        for (SocketGroup g : groups) {
            row(b, Printable.escape(g.key()), keyWidth, present, g.states());
            if (idle) {
                b.append("  ").append(leftPad(ages(g), IDLE_HEADING.length()));
            }
            b.append('\n');
        }
        row(b, "all", keyWidth, present, totals);
        b.append('\n');
        if (timeWait != null && timeWait.total() > 0) {
            b.append("TIME_WAIT left ");
            for (int i = 0; i < TimeWaitRemaining.buckets(); i++) {
                if (i < TimeWaitRemaining.TIMED_BUCKETS || timeWait.count(i) > 0) {
                    b.append("  ").append(TimeWaitRemaining.label(i)).append(' ').append(timeWait.count(i));
                }
            }
            b.append('\n');
        }
        return b.toString();
    }

    // "1.2s/0.8s"; "-" when the group has no CLOSE_WAIT, "?" when the source gives no idle age (proc).
    private static String ages(SocketGroup g) {
        IdleAges a = g.closeWaitIdle();
        if (a == null) {
            return g.states().get(TcpState.CLOSE_WAIT) > 0 ? "?" : "-";
        }
        return duration(a.oldestMillis()) + "/" + duration(a.medianMillis());
    }

    /** A short age: 850ms, 12.3s, 14m05s, 3h12m. */
    static String duration(long millis) {
        if (millis < 1_000) {
            return millis + "ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds / 60 % 60);
    }

    private static void row(StringBuilder b, String key, int keyWidth, List<TcpState> present, StateCounts c) {
        b.append(pad(key, keyWidth));
        for (TcpState s : present) {
            b.append("  ").append(leftPad(Long.toString(c.get(s)), s.name().length()));
        }
        b.append("  ").append(leftPad(Long.toString(c.total()), "TOTAL".length()));
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    private static String leftPad(String s, int width) {
        return " ".repeat(Math.max(0, width - s.length())) + s;
    }
}
