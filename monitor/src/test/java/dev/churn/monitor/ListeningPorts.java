package dev.churn.monitor;

import java.util.BitSet;
import java.util.List;

/** The listening set GroupingSource hands the grouper and the headroom, for tests that write their rows by hand. */
final class ListeningPorts {

    private ListeningPorts() {}

    /** The local ports of the LISTEN rows among these. */
    static BitSet of(List<SocketRow> rows) {
        BitSet listening = new BitSet(65536);
        for (SocketRow r : rows) {
            if (r.state() == TcpState.LISTEN) {
                listening.set(r.localPort());
            }
        }
        return listening;
    }
}
