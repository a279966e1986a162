package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Layers;
import dev.churn.bench.config.Load;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import dev.churn.bench.tls.TlsClientConfig;
import dev.churn.bench.tls.TlsVersion;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Which transports take --tls and --http: TLS the four with a JDK socket, HTTP epoll too; the rest refuse in one line. */
class RunSpecLayersTest {

    private static final Layers TLS = new Layers(TlsClientConfig.of(TlsVersion.V1_3), null, null, null);
    private static final Layers HTTP = new Layers(null, "/", null, null);

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"BLOCKING", "VIRTUAL", "NIO", "SELECTOR"})
    void theJdkSocketTransportsTakeTlsAndHttp(TransportKind t) {
        assertDoesNotThrow(() -> spec(t, TLS));
        assertDoesNotThrow(() -> spec(t, HTTP));
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"RAW", "EPOLL"})
    void rawAndEpollRefuseTls(TransportKind t) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spec(t, TLS));
        assertEquals("--tls runs on --transport blocking, virtual, nio or selector, not " + t.label(), e.getMessage());
    }

    @Test
    void epollTakesHttpAndRawRefusesIt() {
        assertDoesNotThrow(() -> spec(TransportKind.EPOLL, HTTP));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spec(TransportKind.RAW, HTTP));
        assertEquals("--http runs on --transport blocking, virtual, nio, selector or epoll, not raw", e.getMessage());
    }

    private static RunSpec spec(TransportKind t, Layers layers) {
        return new RunSpec(t, SocketConfig.DEFAULTS, Closer.CLIENT, new Load.Closed(1), 10, null, null, 0, 0, null,
                Duration.ofSeconds(1), 0, 0, layers);
    }
}
