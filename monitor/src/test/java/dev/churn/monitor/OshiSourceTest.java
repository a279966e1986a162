package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import oshi.software.os.InternetProtocolStats;

class OshiSourceTest {

    @ParameterizedTest
    @EnumSource(value = InternetProtocolStats.TcpState.class, names = {"UNKNOWN", "NONE"}, mode = EnumSource.Mode.EXCLUDE)
    void everyRealOshiStateMapsToOursWithTheSameKernelCode(InternetProtocolStats.TcpState oshi) {
        // OSHI's fromLinuxState is the inverse of the kernel codes our enum carries
        assertEquals(oshi, InternetProtocolStats.TcpState.fromLinuxState(OshiSource.toTcpState(oshi).code()));
    }

    @Test
    void unknownAndNoneAreNotCounted() {
        assertNull(OshiSource.toTcpState(InternetProtocolStats.TcpState.UNKNOWN));
        assertNull(OshiSource.toTcpState(InternetProtocolStats.TcpState.NONE));
        assertNull(OshiSource.toTcpState(null));
    }

    @Test
    void everyOneOfOurStatesIsReachable() {
        EnumSet<TcpState> reached = EnumSet.noneOf(TcpState.class);
        for (InternetProtocolStats.TcpState s : InternetProtocolStats.TcpState.values()) {
            TcpState ours = OshiSource.toTcpState(s);
            if (ours != null) {
                reached.add(ours);
            }
        }
        assertEquals(EnumSet.allOf(TcpState.class), reached);
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void countsExactlyTheKnownSocketsOfTheRealKernel(boolean ipv6) throws Exception {
        try (KnownSockets known = ipv6 ? KnownSockets.ipv6(3, 4, 5) : KnownSockets.ipv4(3, 4, 5);
                OshiSource source = new OshiSource()) {
            assertEquals(SourceKind.OSHI, source.kind());
            assertEquals(known.expected(), known.settle(source));
            assertEquals(StateCounts.EMPTY, source.count(known.filter().withStates(EnumSet.noneOf(TcpState.class))));
            assertEquals(known.expected().get(TcpState.TIME_WAIT),
                    source.count(known.filter().withStates(EnumSet.of(TcpState.TIME_WAIT))).total());
            AddressFamily own = ipv6 ? AddressFamily.IPV6 : AddressFamily.IPV4;
            AddressFamily other = ipv6 ? AddressFamily.IPV4 : AddressFamily.IPV6;
            assertEquals(known.expected(), source.count(known.filter().withFamily(own)));
            assertEquals(StateCounts.EMPTY, source.count(known.filter().withFamily(other)));
        }
    }

    @Test
    void ipv4MappedAddressesAreRecognised() throws Exception {
        assertEquals(true, OshiSource.isMapped(java.net.InetAddress.getByName("::ffff:127.0.0.1").getAddress().length == 4
                ? new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 127, 0, 0, 1}
                : null));
        assertEquals(false, OshiSource.isMapped(java.net.InetAddress.getByName("::1").getAddress()));
        assertEquals(false, OshiSource.isMapped(new byte[] {127, 0, 0, 1}));
        assertEquals(false, OshiSource.isMapped(null));
    }
}
