package dev.churn.bench.lab;

import dev.churn.bench.report.WordWrap;
import dev.churn.monitor.TcpState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders state-walk steps as a self-contained HTML page: per scenario one inline SVG sequence
 * diagram with a client and a server lifeline, each step's action as a note across both, its
 * segments as labelled arrows (dropped ones dashed) and the states the kernel reported on each
 * lifeline afterwards; a state that disagrees with TCP is red and says what TCP prescribes.
 * No scripts or styles from elsewhere. Use: {@code Files.writeString(file, SequenceDiagramHtml.render(steps))}.
 */
public final class SequenceDiagramHtml {

    private static final int WIDTH = 760;
    private static final int CLIENT_X = 150;
    private static final int SERVER_X = 610;
    private static final int HEAD = 44;
    private static final int NOTE_LINE = 16;
    private static final int ARROW = 28;
    private static final int STATE = 34;
    private static final int EXPECTED = 16;
    private static final int WRAP = 104;

    private SequenceDiagramHtml() {}

    /** The whole page for these steps. */
    public static String render(List<Step> steps) {
        return render(steps, null);
    }

    /**
     * The page of a walk that ended early: the scenarios that finished, under {@code stopped}, a line saying why the
     * others are missing (null for a whole walk). A Ctrl-C had written no page at all (QA, 2026-12-07).
     */
    public static String render(List<Step> steps, String stopped) {
        Map<String, List<Step>> scenarios = new LinkedHashMap<>();
        for (Step s : steps) {
            scenarios.computeIfAbsent(s.scenario(), k -> new ArrayList<>()).add(s);
        }
        long bad = steps.stream().filter(s -> !s.matches()).count();
        StringBuilder b = new StringBuilder(16_384);
        b.append("""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <title>churn lab states: every TCP state, step by step</title>
                <script>
                window.churnErrors = [];
                window.addEventListener('error', e => window.churnErrors.push(String(e.message)));
                document.addEventListener('DOMContentLoaded', () => {
                  const drawn = [...document.querySelectorAll('svg')].filter(s => s.getBBox().height > 0).length;
                  document.body.setAttribute('data-diagrams-rendered', String(drawn));
                  document.body.setAttribute('data-errors', String(window.churnErrors.length));
                });
                </script>
                <style>
                body { font: 14px/1.4 system-ui, sans-serif; margin: 24px auto; max-width: 800px; color: #222; }
                h1 { font-size: 20px; } h2 { font-size: 16px; margin: 28px 0 6px; }
                .ok { color: #1a7f37; } .bad { color: #c00; }
                svg { display: block; font: 12px system-ui, sans-serif; }
                .life { stroke: #999; stroke-dasharray: 4 4; }
                .head { fill: #333; } .head + text { fill: #fff; font-weight: bold; }
                .note { fill: #f4f4f4; stroke: #ddd; } .action { fill: #333; }
                .seg { stroke: #1f4e9c; stroke-width: 1.5; } .seg.dropped { stroke: #888; stroke-dasharray: 5 4; }
                .label { fill: #1f4e9c; } .label.dropped { fill: #888; }
                .state rect { fill: #e8eefc; stroke: #1f4e9c; } .state text { font-weight: bold; fill: #1f4e9c; }
                .state.closed rect { fill: #fff; stroke: #bbb; } .state.closed text { fill: #999; font-weight: normal; }
                .state.mismatch rect { fill: #fde8e8; stroke: #c00; } .state.mismatch text { fill: #c00; }
                .expected { fill: #c00; }
                </style>
                </head>
                """);
        b.append("<body data-steps=\"").append(steps.size()).append("\" data-mismatches=\"").append(bad)
                .append("\" data-diagrams=\"").append(scenarios.size()).append("\" data-errors=\"0\">\n");
        b.append("<h1>churn lab states: every TCP state, step by step</h1>\n");
        b.append("<p>Real loopback sockets; after each step the states are what the kernel reported for each end. ");
        b.append(bad == 0 ? "<span class=\"ok\">Every state matched TCP (" + steps.size() + " steps).</span>"
                : "<span class=\"bad\">" + bad + " of " + steps.size() + " steps disagreed with TCP (in red).</span>");
        b.append("</p>\n");
        if (stopped != null) {
            b.append("<p class=\"bad\" data-stopped=\"true\">").append(esc(stopped)).append("</p>\n");
        }
        int n = 0;
        for (Map.Entry<String, List<Step>> e : scenarios.entrySet()) {
            b.append("<h2>").append(esc(e.getKey())).append("</h2>\n");
            n = scenario(b, e.getKey(), e.getValue(), n);
        }
        b.append("</body>\n</html>\n");
        return b.toString();
    }

    // One SVG: the lifelines' heads, then per step a note, its arrows and the two states; returns the step count so far.
    private static int scenario(StringBuilder b, String title, List<Step> steps, int n) {
        StringBuilder body = new StringBuilder();
        int y = HEAD + 8;
        for (Step s : steps) {
            n++;
            body.append("<g class=\"step\">\n");
            List<String> lines = wrap(n + ". " + s.action());
            int noteHeight = lines.size() * NOTE_LINE + 8;
            body.append(String.format("<rect class=\"note\" x=\"10\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\"/>%n", y,
                    WIDTH - 20, noteHeight));
            for (int i = 0; i < lines.size(); i++) {
                body.append(String.format("<text class=\"action\" x=\"18\" y=\"%d\">%s</text>%n", y + 16 + i * NOTE_LINE,
                        esc(lines.get(i))));
            }
            y += noteHeight + 6;
            for (Arrow a : s.arrows()) {
                boolean right = a.direction() == Arrow.Direction.TO_SERVER;
                String cls = a.label().contains("dropped") ? " dropped" : "";
                int from = right ? CLIENT_X : SERVER_X;
                int to = right ? SERVER_X - 2 : CLIENT_X + 2;
                body.append(String.format("<text class=\"label%s\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", cls,
                        (CLIENT_X + SERVER_X) / 2, y + 10, esc(a.label())));
                body.append(String.format("<line class=\"seg%s\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" marker-end=\"url(#%s)\"/>%n",
                        cls, from, y + 14, to, y + 22, cls.isEmpty() ? "head" : "head-dropped"));
                y += ARROW;
            }
            boolean wrongClient = s.expectedClient() != s.client();
            boolean wrongServer = s.expectedServer() != s.server();
            state(body, CLIENT_X, y, s.client(), wrongClient);
            state(body, SERVER_X, y, s.server(), wrongServer);
            y += STATE;
            if (wrongClient || wrongServer) {
                if (wrongClient) {
                    expected(body, CLIENT_X, y, s.expectedClient());
                }
                if (wrongServer) {
                    expected(body, SERVER_X, y, s.expectedServer());
                }
                y += EXPECTED;
            }
            body.append("</g>\n");
        }
        int height = y + 8;
        b.append(String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "role=\"img\" aria-label=\"%s\">%n", WIDTH, height, WIDTH, height, esc(title)));
        b.append("<defs>");
        for (String[] m : new String[][] {{"head", "#1f4e9c"}, {"head-dropped", "#888"}}) {
            b.append("<marker id=\"").append(m[0]).append("\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" "
                    + "markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"")
                    .append(m[1]).append("\"/></marker>");
        }
        b.append("</defs>\n");
        for (int x : new int[] {CLIENT_X, SERVER_X}) {
            b.append(String.format("<line class=\"life\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n", x, HEAD, x, height));
            b.append(String.format("<rect class=\"head\" x=\"%d\" y=\"8\" width=\"100\" height=\"28\" rx=\"4\"/>", x - 50));
            b.append(String.format("<text x=\"%d\" y=\"27\" text-anchor=\"middle\">%s</text>%n", x,
                    x == CLIENT_X ? "client" : "server"));
        }
        b.append(body).append("</svg>\n");
        return n;
    }

    private static void state(StringBuilder b, int x, int y, TcpState s, boolean wrong) {
        String cls = "state" + (wrong ? " mismatch" : s == null ? " closed" : "");
        b.append(String.format("<g class=\"%s\"><rect x=\"%d\" y=\"%d\" width=\"120\" height=\"24\" rx=\"12\"/>"
                + "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text></g>%n", cls, x - 60, y + 2, x, y + 18, name(s)));
    }

    private static void expected(StringBuilder b, int x, int y, TcpState s) {
        b.append(String.format("<text class=\"expected\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">TCP says %s</text>%n", x,
                y + 8, name(s)));
    }

    private static String name(TcpState s) {
        return s == null ? "CLOSED" : s.name();
    }

    // SVG text does not wrap itself: break long actions at spaces.
    static List<String> wrap(String text) {
        return WordWrap.lines(text, WRAP);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
