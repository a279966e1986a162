package dev.churn.bench.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.churn.bench.config.Closer;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@code churn run --join} client and its {@code churn serve} must agree on, each given on its own command line:
 * the bytes each side sends, who closes, TLS and HTTP. A client that differs would measure something else without a
 * word: a --response the server does not send times every cycle out; a shorter one leaves the server's extra bytes
 * unread, so the client's close is an RST and no TIME_WAIT is left; another --closer moves TIME_WAIT to the other side.
 * The client sends its terms in its hello and the server refuses one whose terms differ from its own, naming each.
 *
 * @param requestBytes  bytes the client sends and the sink reads (not compared with HTTP: the sink reads the head)
 * @param responseBytes bytes the sink answers and the client reads (with HTTP, the body)
 */
public record SinkTerms(int requestBytes, int responseBytes, Closer closer, boolean tls, boolean http) {

    public SinkTerms {
        if (closer == null) {
            throw new IllegalArgumentException("closer must be set");
        }
    }

    void writeTo(ObjectNode hello) {
        ObjectNode t = hello.putObject("sink");
        t.put("request", requestBytes);
        t.put("response", responseBytes);
        t.put("closer", closer.label());
        t.put("tls", tls);
        t.put("http", http);
    }

    /** The terms in a hello; null when it has none (a client that does not send them is not checked). */
    static SinkTerms readFrom(JsonNode hello) throws ControlProtocolException {
        JsonNode t = hello.get("sink");
        if (t == null || !t.isObject()) {
            return null;
        }
        String label = t.path("closer").asText("");
        Closer c = null;
        for (Closer k : Closer.values()) {
            c = k.label().equals(label) ? k : c;
        }
        if (c == null) {
            throw new ControlProtocolException("a hello with an unknown closer '" + label + "'");
        }
        return new SinkTerms(t.path("request").asInt(), t.path("response").asInt(), c, t.path("tls").asBoolean(),
                t.path("http").asBoolean());
    }

    /**
     * How a client's terms differ from these, the server's, in the options that set them on both commands, e.g.
     * "--response 100 (this server: 0)"; empty when they agree.
     */
    List<String> differences(SinkTerms client) {
        List<String> d = new ArrayList<>();
        if (client.http != http) {
            d.add((client.http ? "--http" : "no --http") + " (this server: " + (http ? "--http" : "none") + ")");
        } else if (!http && client.requestBytes != requestBytes) {
            d.add("--request " + client.requestBytes + " (this server: " + requestBytes + ")");
        }
        if (client.responseBytes != responseBytes) {
            d.add("--response " + client.responseBytes + " (this server: " + responseBytes + ")");
        }
        if (client.closer != closer) {
            d.add("--closer " + client.closer.label() + " (this server: " + closer.label() + ")");
        }
        if (client.tls != tls) {
            d.add((client.tls ? "--tls" : "no --tls") + " (this server: " + (tls ? "--tls" : "none") + ")");
        }
        return d;
    }
}
