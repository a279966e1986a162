package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The netlink source and iproute2's ss, which also asks inet_diag, agree socket for socket. */
class NetlinkSourceSsTest {

    @BeforeAll
    static void needs() {
        assumeTrue(NetlinkSource.isSupported(), "netlink sock_diag is not available here");
        assumeTrue(SsStates.available(), "iproute2's ss is not installed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ipv4", "ipv6"})
    void agreesWithSsOnAKnownPort(String family) throws Exception {
        try (KnownSockets k = family.equals("ipv4") ? KnownSockets.ipv4(3, 4, 5) : KnownSockets.ipv6(3, 4, 5);
                NetlinkSource source = new NetlinkSource()) {
            assertEquals(k.expected(), k.settle(source));
            StateCounts ss = SsStates.count(k.port());
            assertEquals(ss, source.count(k.filter()), "ss -tan state all on port " + k.port());
            assertEquals(k.expected(), ss);
        }
    }
}
