package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.result.SummaryJson;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Responses framed as real servers frame them, from a peer on a real socket, through the stream reader (blocking)
 * and the event loops' feeding (epoll, selector) alike (QA, 2026-12-06, against a peer of its own): a chunked body
 * cut short by the close is a failed response, not a completed cycle; a whole chunked body, or an interim 103 before
 * the response, completes even when the server keeps the connection open after it.
 */
class HttpFramingTest {

    private static final String CUT = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            + "10\r\n0123456789abcdef\r\n10\r\n01234";
    private static final String CHUNKED_KEPT_OPEN = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "10\r\n0123456789abcdef\r\n0\r\n\r\n";
    private static final String EARLY_HINTS = "HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc";

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"blocking, cut", "epoll, cut", "selector, cut", "blocking, open", "epoll, open", "selector, open",
            "blocking, hints", "epoll, hints"})
    void aResponseEndsWhereItsFramingSays(String transport, String kind) throws Exception {
        String response = switch (kind) {
            case "cut" -> CUT;
            case "open" -> CHUNKED_KEPT_OPEN;
            default -> EARLY_HINTS;
        };
        // Cut: closed after the bytes; otherwise held open until the client closes, as a keep-alive server does.
        boolean close = kind.equals("cut");
        try (ScriptedPeer peer = ScriptedPeer.answering(response, !close)) {
            Path dir = tmp.resolve("run");
            RunCommandTest.Cli c = new RunCommandTest.Cli();
            int code = c.run("run", "--target", peer.target(), "--http", "/", "--transport", transport,
                    "--connections", "3", "--warmup", "0s", "--connect-timeout", "2s", "--no-progress", "--out", dir.toString());
            JsonNode s = SummaryJson.read(dir);
            if (close) {
                assertEquals(1, code, c.out::toString);
                assertEquals(3, s.at("/failures/http_response/count").asLong(), s.path("failures")::toString);
                assertEquals(0, s.at("/connections/completed").asLong(), c.out::toString);
            } else {
                assertEquals(0, code, c.out.toString() + c.err);
                assertEquals(3, s.at("/connections/completed").asLong(), s.path("failures")::toString);
            }
        }
    }
}
