package dev.churn.bench.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.churn.bench.config.Closer;
import java.util.List;
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

    @Test
    void termsTravelInTheHelloAndAHelloWithoutThemIsNotChecked() throws Exception {
        ObjectNode hello = ControlChannel.message(ControlProtocol.HELLO);
        assertNull(SinkTerms.readFrom(hello));
        SinkTerms t = new SinkTerms(10, 2048, Closer.HALF, true, false);
        t.writeTo(hello);
        assertEquals(t, SinkTerms.readFrom(hello));
        ((ObjectNode) hello.get("sink")).put("closer", "sometimes");
        assertThrows(ControlProtocolException.class, () -> SinkTerms.readFrom(hello));
    }
}
