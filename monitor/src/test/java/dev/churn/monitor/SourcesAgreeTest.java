package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every source, and {@code ss} where installed, counts the same live sockets the same way. */
class SourcesAgreeTest {

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void allSourcesCountTheSameKnownSocketsInEveryFamily(boolean ipv6) throws Exception {
        List<StateSource> sources = new ArrayList<>();
        try (KnownSockets known = ipv6 ? KnownSockets.ipv6(2, 3, 4) : KnownSockets.ipv4(2, 3, 4)) {
            sources.add(new ProcNetTcpSource(StateSources.DEFAULT_PROC_ROOT));
            sources.add(new OshiSource());
            if (NetlinkSource.isSupported()) {
                sources.add(new NetlinkSource());
            }
            assertEquals(known.expected(), known.settle(sources.getFirst()));
            for (AddressFamily family : AddressFamily.values()) {
                boolean included = ipv6 ? family.includesV6() : family.includesV4();
                StateCounts want = included ? known.expected() : StateCounts.EMPTY;
                for (StateSource s : sources) {
                    assertEquals(want, s.count(known.filter().withFamily(family)), s.kind() + " with family " + family);
                }
            }
        } finally {
            for (StateSource s : sources) {
                s.close();
            }
        }
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void autoSourceAgreesWithSs(boolean ipv6) throws Exception {
        assumeTrue(SsStates.available(), "ss (iproute2) is not installed");
        try (KnownSockets known = ipv6 ? KnownSockets.ipv6(1, 2, 3) : KnownSockets.ipv4(1, 2, 3);
                StateSource auto = StateSources.open(SourceKind.AUTO)) {
            assertEquals(known.expected(), known.settle(auto));
            assertEquals(auto.count(known.filter()), SsStates.count(known.port()));
        }
    }
}
