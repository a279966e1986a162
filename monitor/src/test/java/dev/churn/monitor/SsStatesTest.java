package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The ss output parser, on a captured table. */
class SsStatesTest {

    private static final String OUTPUT = """
            State      Recv-Q Send-Q Local Address:Port  Peer Address:Port Process
            LISTEN     0      4096       127.0.0.1:40123      0.0.0.0:*
            ESTAB      0      0          127.0.0.1:40123    127.0.0.1:51000
            ESTAB      0      0          127.0.0.1:51000    127.0.0.1:40123
            FIN-WAIT-2 0      0          127.0.0.1:51002    127.0.0.1:40123
            CLOSE-WAIT 1      0          127.0.0.1:40123    127.0.0.1:51002
            TIME-WAIT  0      0          127.0.0.1:51004    127.0.0.1:40123
            TIME-WAIT  0      0              [::1]:51006        [::1]:40123
            SYN-SENT   0      1          127.0.0.1:51008    127.0.0.1:40123
            SYN-RECV   0      0          127.0.0.1:40123    127.0.0.1:51008
            FIN-WAIT-1 0      1          127.0.0.1:51010    127.0.0.1:40123
            LAST-ACK   0      1          127.0.0.1:40123    127.0.0.1:51012
            CLOSING    0      1          127.0.0.1:51014    127.0.0.1:40123
            UNCONN     0      0          127.0.0.1:40123      0.0.0.0:*

            """;

    @Test
    void countsEveryStateName() {
        StateCounts want = new StateCounts.Builder()
                .add(TcpState.LISTEN)
                .add(TcpState.ESTABLISHED, 2)
                .add(TcpState.FIN_WAIT2)
                .add(TcpState.CLOSE_WAIT)
                .add(TcpState.TIME_WAIT, 2)
                .add(TcpState.SYN_SENT)
                .add(TcpState.SYN_RECV)
                .add(TcpState.FIN_WAIT1)
                .add(TcpState.LAST_ACK)
                .add(TcpState.CLOSING)
                .add(TcpState.CLOSE)
                .build();
        assertEquals(want, SsStates.parse(OUTPUT));
    }

    @Test
    void headerOnlyIsEmpty() {
        assertEquals(StateCounts.EMPTY, SsStates.parse("State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"));
    }

    @Test
    void unknownNameIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SsStates.parse("BOGUS 0 0 a b\n"));
        assertEquals(true, e.getMessage().contains("BOGUS"));
    }

    @Test
    void socketsCarryLastrcvFromTheInfoLineAndTheTimewaitTimer() {
        String out = """
                State      Recv-Q Send-Q Local Address:Port  Peer Address:Port Process
                CLOSE-WAIT 1      0          127.0.0.1:41626    127.0.0.1:24931
                \t cubic wscale:7,7 rto:204 rtt:0.05/0.025 mss:32768 lastsnd:3420 lastrcv:3412 lastack:3412 rcv_space:65483
                TIME-WAIT  0      0          127.0.0.1:41630    127.0.0.1:24931 timer:(timewait,26sec,0)
                \t
                TIME-WAIT  0      0          127.0.0.1:41632    127.0.0.1:24931 timer:(timewait,1min,0)
                TIME-WAIT  0      0          127.0.0.1:41634    127.0.0.1:24931 timer:(timewait,9.500ms,0)
                LISTEN     0      64         127.0.0.1:24931      0.0.0.0:*
                \t cubic cwnd:10
                """;
        assertEquals(java.util.List.of(
                new SsStates.SsSocket(TcpState.CLOSE_WAIT, 41626, 24931, 3412, -1),
                new SsStates.SsSocket(TcpState.TIME_WAIT, 41630, 24931, -1, 26_000),
                new SsStates.SsSocket(TcpState.TIME_WAIT, 41632, 24931, -1, 60_000),
                new SsStates.SsSocket(TcpState.TIME_WAIT, 41634, 24931, -1, 9_500),
                new SsStates.SsSocket(TcpState.LISTEN, 24931, 0, -1, -1)), SsStates.parseSockets(out));
        assertEquals(320, SsStates.msTimer("320ms"));
    }
}
