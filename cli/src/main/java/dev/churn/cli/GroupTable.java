package dev.churn.cli;

import dev.churn.monitor.GroupKey;
import dev.churn.monitor.SocketGroup;
import dev.churn.monitor.StateCounts;
import dev.churn.monitor.TcpState;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The table of {@code churn monitor --by}: one line per group, ranked, a column per state some
 * group has, a total column, and a last line with the totals.
 */
final class GroupTable {

    private GroupTable() {}

    /** The table, lines ending in a newline. */
    static String render(List<GroupKey> by, int top, List<SocketGroup> groups, StateCounts totals) {
        List<TcpState> present = new ArrayList<>();
        for (TcpState s : TcpState.values()) {
            if (groups.stream().anyMatch(g -> g.states().get(s) > 0)) {
                present.add(s);
            }
        }
        String title = "by " + by.stream().map(GroupKey::label).collect(Collectors.joining(", ")) + " (top " + top + ")";
        int keyWidth = Math.max(title.length(), groups.stream().mapToInt(g -> g.key().length()).max().orElse(0));
        StringBuilder b = new StringBuilder("\n");
        b.append(pad(title, keyWidth));
        for (TcpState s : present) {
            b.append("  ").append(s.name());
        }
        b.append("  TOTAL\n");
        for (SocketGroup g : groups) {
            row(b, g.key(), keyWidth, present, g.states());
        }
        row(b, "all", keyWidth, present, totals);
        return b.toString();
    }

    private static void row(StringBuilder b, String key, int keyWidth, List<TcpState> present, StateCounts c) {
        b.append(pad(key, keyWidth));
        for (TcpState s : present) {
            b.append("  ").append(leftPad(Long.toString(c.get(s)), s.name().length()));
        }
        b.append("  ").append(leftPad(Long.toString(c.total()), "TOTAL".length())).append('\n');
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    private static String leftPad(String s, int width) {
        return " ".repeat(Math.max(0, width - s.length())) + s;
    }
}
