package dev.churn.monitor;

import java.util.BitSet;
import java.util.List;

/** The port sets GroupingSource hands the grouper and the headroom, for tests that write their rows by hand. */
final class SampleRows {

    private SampleRows() {}

    /** The local ports of the LISTEN rows among these. */
    static BitSet listening(List<SocketRow> rows) {
        BitSet ports = new BitSet(65536);
        for (SocketRow r : rows) {
            if (r.state() == TcpState.LISTEN) {
                ports.set(r.localPort());
            }
        }
        return ports;
    }

    /** The local ports of the other rows. */
    static BitSet held(List<SocketRow> rows) {
        BitSet ports = new BitSet(65536);
        for (SocketRow r : rows) {
            if (r.state() != TcpState.LISTEN) {
                ports.set(r.localPort());
            }
        }
        return ports;
    }
}
