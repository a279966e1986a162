package dev.churn.bench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link HttpRequest}: the paths {@code --http} takes and the request it sends. */
class HttpRequestTest {

    @ParameterizedTest
    @ValueSource(strings = {"/", "/index.html", "/a/b?c=d&e=%20f", "/~x#frag"})
    void originFormPathsPass(String path) {
        HttpRequest.check(path);
    }

    @Test
    void noPathIsRefused() {
        assertEquals("--http needs a path, e.g. --http /",
                assertThrows(IllegalArgumentException.class, () -> HttpRequest.check("")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> HttpRequest.check(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo", "http://host/", "*", " /"})
    void aPathNotStartingWithASlashIsRefused(String path) {
        String m = assertThrows(IllegalArgumentException.class, () -> HttpRequest.check(path)).getMessage();
        assertTrue(m.contains("must start with '/'"), m);
    }

    /** A space, a control character (a header injected with CR LF, say) or a non-ASCII one would break the request line. */
    @ParameterizedTest
    @ValueSource(strings = {"/a b", "/a\tb", "/a\r\nX-Injected: 1", "/\u007f", "/é"})
    void whatWouldBreakTheRequestLineIsRefused(String path) {
        String m = assertThrows(IllegalArgumentException.class, () -> HttpRequest.check(path)).getMessage();
        assertTrue(m.contains("percent-encode"), m);
        assertEquals(1, m.lines().count(), "one line, even for a path with CR LF: " + m);
    }

    @Test
    void aRefusedPathIsQuotedWithItsControlCharactersEscaped() {
        String m = assertThrows(IllegalArgumentException.class, () -> HttpRequest.check("/a\r\nb")).getMessage();
        assertTrue(m.endsWith("'/a\\u000d\\u000ab'"), m);
    }

    @Test
    void theRequestIsAGetWithHostAndConnectionClose() {
        HttpRequest r = HttpRequest.get("/x", new InetSocketAddress("127.0.0.1", 8080));
        assertEquals("GET /x HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: churn\r\nAccept: */*\r\nConnection: close\r\n\r\n",
                new String(r.bytes(), StandardCharsets.US_ASCII));
        assertEquals("/x", r.path());
    }

    @Test
    void anIpv6HostIsBracketed() {
        HttpRequest r = HttpRequest.get("/", new InetSocketAddress("::1", 443));
        assertTrue(new String(r.bytes(), StandardCharsets.US_ASCII).contains("\r\nHost: [::1]:443\r\n"),
                new String(r.bytes(), StandardCharsets.US_ASCII));
    }
}
