package dev.churn.bench.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.monitor.TcpState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HTML sequence diagram's markup for hand-made steps: a mismatch is red and says what TCP expects. */
class SequenceDiagramHtmlTest {

    @Test
    void aMismatchIsMarkedAndNamesWhatTcpSays() {
        List<Step> steps = List.of(
                new Step("close <first>", "client closes & waits", List.of(Arrow.toServer("FIN"), Arrow.toClient("ACK")),
                        TcpState.FIN_WAIT2, TcpState.CLOSE_WAIT, TcpState.FIN_WAIT2, TcpState.CLOSE_WAIT),
                new Step("close <first>", "server closes", List.of(Arrow.toClient("FIN (dropped)")),
                        TcpState.TIME_WAIT, null, TcpState.FIN_WAIT2, TcpState.LAST_ACK));

        String html = SequenceDiagramHtml.render(steps);

        assertTrue(html.contains("<h2>close &lt;first&gt;</h2>"), "titles are escaped");
        assertTrue(html.contains("1. client closes &amp; waits") && html.contains("2. server closes"), html);
        assertTrue(html.contains("data-steps=\"2\" data-mismatches=\"1\""), html);
        assertEquals(2, count(html, "class=\"state mismatch\""), "both sides of step 2 disagree");
        assertTrue(html.contains("TCP says TIME_WAIT") && html.contains("TCP says CLOSED"), html);
        assertEquals(1, count(html, "class=\"seg dropped\""), "the dropped FIN is dashed");
        assertEquals(3, count(html, "<line class=\"seg"), "one arrow per segment");
        assertTrue(!html.contains("src=") && !html.contains("href="), "nothing loaded from elsewhere");
    }

    @Test
    void longActionsWrapAtSpaces() {
        String action = "word ".repeat(60).strip();
        List<String> lines = SequenceDiagramHtml.wrap(action);
        assertTrue(lines.size() >= 3, lines::toString);
        assertEquals(action, String.join(" ", lines));
        assertTrue(lines.stream().allMatch(l -> l.length() <= 104), lines::toString);
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
