package dev.churn.bench.lab;

import dev.churn.monitor.TcpState;
import java.util.List;

/**
 * Renders state-walk steps as a terminal sequence diagram: the client's column on the left, the
 * server's on the right, the segments of each step as arrows between them, then the states the
 * kernel reported for each side; a step where the kernel disagreed with TCP says what was expected.
 */
public final class SequenceDiagram {

    private static final int STATE = 12;
    private static final int MIDDLE = 30;

    private SequenceDiagram() {}

    /** The diagram of these steps, one block per scenario. */
    public static String render(List<Step> steps) {
        StringBuilder out = new StringBuilder();
        String scenario = null;
        for (Step s : steps) {
            if (!s.scenario().equals(scenario)) {
                scenario = s.scenario();
                if (!out.isEmpty()) {
                    out.append('\n');
                }
                out.append("== ").append(scenario).append(" ==\n");
                out.append(row("client", " ".repeat(MIDDLE), "server")).append('\n');
            }
            out.append(" ".repeat(STATE + 1)).append("| ").append(s.action()).append('\n');
            for (Arrow a : s.arrows()) {
                out.append(row("", arrow(a), "").stripTrailing()).append('\n');
            }
            String line = row(name(s.client()), " ".repeat(MIDDLE), name(s.server()));
            out.append(line.stripTrailing());
            if (!s.matches()) {
                out.append("   << TCP says ").append(name(s.expectedClient())).append(" | ")
                        .append(name(s.expectedServer()));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String row(String left, String middle, String right) {
        return pad(left, STATE) + " " + middle + " " + right;
    }

    private static String arrow(Arrow a) {
        String label = " " + a.label() + " ";
        int dashes = Math.max(2, MIDDLE - 1 - label.length());
        int before = dashes / 2;
        String body = "-".repeat(before) + label + "-".repeat(dashes - before);
        return a.direction() == Arrow.Direction.TO_SERVER ? body + ">" : "<" + body;
    }

    /** A state's name, or "-" for no socket (CLOSED). */
    static String name(TcpState s) {
        return s == null ? "-" : s.name();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
