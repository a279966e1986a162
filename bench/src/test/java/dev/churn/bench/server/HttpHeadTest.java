package dev.churn.bench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.churn.bench.server.HttpHead.Progress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The head scan on fixed bytes: where it ends, however the bytes are split, and where it gives up. */
class HttpHeadTest {

    @Test
    void endsAtTheBlankLineEvenFedOneByteAtATime() {
        byte[] head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        HttpHead h = new HttpHead();
        for (int i = 0; i < head.length - 1; i++) {
            assertEquals(Progress.MORE, h.scan(head, i, 1), "byte " + i);
        }
        assertEquals(Progress.COMPLETE, h.scan(head, head.length - 1, 1));
    }

    @Test
    void aStrayCarriageReturnDoesNotHideTheEnd() {
        assertEquals(Progress.MORE, new HttpHead().scan(bytes("A\r\n\r\r\n"), 0, 6));
        assertEquals(Progress.COMPLETE, new HttpHead().scan(bytes("A\r\n\r\r\n\r\n"), 0, 8));
        assertEquals(Progress.MORE, new HttpHead().scan(bytes("A\n\n\r\n\n"), 0, 6), "bare LFs are not the end");
    }

    @Test
    void aHeadOfExactlyTheLimitIsWholeOneByteMoreIsTooLong() {
        byte[] atLimit = new byte[HttpHead.MAX_BYTES];
        Arrays.fill(atLimit, (byte) 'a');
        System.arraycopy(bytes("\r\n\r\n"), 0, atLimit, atLimit.length - 4, 4);
        assertEquals(Progress.COMPLETE, new HttpHead().scan(atLimit, 0, atLimit.length));

        byte[] over = Arrays.copyOf(atLimit, atLimit.length + 1);
        over[atLimit.length - 4] = 'a';
        System.arraycopy(bytes("\r\n\r\n"), 0, over, over.length - 4, 4);
        assertEquals(Progress.TOO_LONG, new HttpHead().scan(over, 0, over.length));
    }

    @Test
    void theAnswerIsAMinimal200WithItsBody() {
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nrrr",
                new String(HttpHead.response(3), StandardCharsets.US_ASCII));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
