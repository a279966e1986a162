package dev.churn.monitor;

import java.io.IOException;

/** PLACEHOLDER: replaced by the netlink inet_diag implementation. */
public final class NetlinkSource implements StateSource {
    public NetlinkSource() throws IOException {
        throw new IOException("netlink source not built yet");
    }

    public static boolean isSupported() {
        return false;
    }

    @Override
    public SourceKind kind() {
        return SourceKind.NETLINK;
    }

    @Override
    public StateCounts count(SocketFilter filter) throws IOException {
        throw new IOException("netlink source not built yet");
    }
}
