package dev.churn.bench.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A misspelt --tls-groups or --tls-ciphers name is said to be unknown, before the checks that read every name as a
 * real one: {@code churn serve --tls --tls-groups nosuch} was told it left out secp256r1 (and adding it brought the
 * unknown name's line only then), {@code --tls-ciphers NOSUCH} that it left the server TLS 1.3 alone.
 */
class ServerTlsTest {

    private static final ServerIdentity EC = ServerIdentity.selfSigned(TlsKeyType.EC, List.of());

    @Test
    void anUnknownGroupIsSaidToBeUnknownWhereTls12MayBeSpoken() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerTls.of(EC, null, List.of("nosuch"), List.of(), true));
        assertEquals("--tls-groups: 'nosuch' is not a key-exchange group this JDK supports (",
                e.getMessage().substring(0, e.getMessage().indexOf('(') + 1));
    }

    @Test
    void anUnknownSuiteIsSaidToBeUnknownWhereBothVersionsMayBeSpoken() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerTls.of(EC, null, List.of(), List.of("NOSUCH"), true));
        assertEquals("--tls-ciphers: 'NOSUCH' is not a cipher suite this JDK supports (",
                e.getMessage().substring(0, e.getMessage().indexOf('(') + 1));
    }

    @Test
    void aKnownGroupThatLeavesOutTheKeysCurveIsStillSaidSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerTls.of(EC, null, List.of("x25519"), List.of(), true));
        assertEquals("--tls-groups: x25519 leaves out secp256r1", e.getMessage().substring(0, e.getMessage().indexOf(',')));
    }
}
