package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 5952's short form, checked against the RFC's own examples and the edge cases of the zero run. */
class AddressTextTest {

    @ParameterizedTest
    @CsvSource({
        "0:0:0:0:0:0:0:1, ::1",
        "0:0:0:0:0:0:0:0, ::",
        "2001:db8:0:0:0:0:2:1, 2001:db8::2:1",
        "2001:0db8:0000:0000:0000:0000:0002:0001, 2001:db8::2:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "fd00:0:0:0:0:0:0:2, fd00::2",
        "1:0:0:0:0:0:0:0, 1::",
        "ABCD:0:0:0:0:0:0:EF, abcd::ef",
        "127.0.0.1, 127.0.0.1",
    })
    void writesTheShortForm(String in, String expected) throws Exception {
        // one zero group stays; of two runs the longer, of equal runs the first, becomes "::"
        assertEquals(expected, AddressText.literal(InetAddress.getByName(in)));
    }

    @ParameterizedTest
    @CsvSource({"::1, 8080, [::1]:8080", "127.0.0.1, 9000, 127.0.0.1:9000"})
    void hostPortBracketsIpv6(String host, int port, String expected) throws Exception {
        assertEquals(expected, AddressText.hostPort(new InetSocketAddress(InetAddress.getByName(host), port)));
    }

    @Test
    void anUnresolvedAddressKeepsItsName() {
        assertEquals("server:9000", AddressText.hostPort(InetSocketAddress.createUnresolved("server", 9000)));
    }
}
