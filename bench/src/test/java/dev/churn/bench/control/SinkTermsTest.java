package dev.churn.bench.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.churn.bench.config.Closer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a joining client must share with the server's sink, and how a difference is named. */
class SinkTermsTest {

    private static final SinkTerms SERVER = new SinkTerms(1, 1, Closer.CLIENT, false, false);

    @Test
    void theSameTermsAgreeAndEachDifferenceIsNamedWithTheServersValue() {
        assertEquals(List.of(), SERVER.differences(new SinkTerms(1, 1, Closer.CLIENT, false, false)));
        assertEquals(List.of("--request 0 (this server: 1)", "--response 64 (this server: 1)", "--closer abort (this server: client)",
                "--tls (this server: none)"), SERVER.differences(new SinkTerms(0, 64, Closer.ABORT, true, false)));
    }

    @Test
    void withHttpTheRequestIsTheHeadSoItsSizeIsNotCompared() {
        SinkTerms http = new SinkTerms(0, 100, Closer.CLIENT, true, true);
        assertEquals(List.of(), http.differences(new SinkTerms(1, 100, Closer.CLIENT, true, true)));
        assertEquals(List.of("no --http (this server: --http)"), http.differences(new SinkTerms(0, 100, Closer.CLIENT, true, false)));
    }

    /** A named TLS version the other side does not speak; either side naming none (serve's --tls alone) speaks both. */
    @Test
    void tlsVersionsDifferOnlyWhenBothAreNamed() {
        SinkTerms v13 = new SinkTerms(1, 1, Closer.CLIENT, true, false, "1.3", Map.of());
        assertEquals(List.of("--tls 1.2 (this server: 1.3)"), v13.differences(new SinkTerms(1, 1, Closer.CLIENT, true, false,
                "1.2", Map.of())));
        assertEquals(List.of(), new SinkTerms(1, 1, Closer.CLIENT, true, false).differences(new SinkTerms(1, 1, Closer.CLIENT,
                true, false, "1.2", Map.of())));
    }

    /** The session's first client's shape holds the later ones to it; a client that sent none is not held. */
    @Test
    void aLaterClientsShapeIsHeldToTheFirsts() {
        SinkTerms first = new SinkTerms(1, 1, Closer.CLIENT, false, false, null, SinkTerms.shape("blocking", "0", false));
        assertEquals(List.of(), first.shapeDifferences(first));
        assertEquals(List.of("--transport selector (the first: blocking)", "--linger off (the first: 0)",
                        "--rate (the first: --concurrency)"),
                first.shapeDifferences(new SinkTerms(1, 1, Closer.CLIENT, false, false, null, SinkTerms.shape("selector", "off", true))));
        assertEquals(List.of(), first.shapeDifferences(new SinkTerms(1, 1, Closer.CLIENT, false, false)));
    }

    @Test
    void termsTravelInTheHelloAndAHelloWithoutThemHasNone() throws Exception {
        ObjectNode hello = ControlChannel.message(ControlProtocol.HELLO);
        assertNull(SinkTerms.readFrom(hello));
        SinkTerms t = new SinkTerms(10, 2048, Closer.HALF, true, false, "1.2", SinkTerms.shape("epoll", "0", true));
        t.writeTo(hello);
        assertEquals(t, SinkTerms.readFrom(hello));
        ObjectNode older = ControlChannel.message(ControlProtocol.HELLO);
        new SinkTerms(10, 2048, Closer.HALF, true, false).writeTo(older);
        assertEquals(new SinkTerms(10, 2048, Closer.HALF, true, false), SinkTerms.readFrom(older), "no version, no shape");
        ((ObjectNode) hello.get("sink")).put("closer", "sometimes");
        assertThrows(ControlProtocolException.class, () -> SinkTerms.readFrom(hello));
    }
}
