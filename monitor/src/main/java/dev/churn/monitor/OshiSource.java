package dev.churn.monitor;

import java.io.IOException;

/** PLACEHOLDER: replaced by the OSHI InternetProtocolStats source. */
public final class OshiSource implements StateSource {
    public OshiSource() throws IOException {
        throw new IOException("oshi source not built yet");
    }

    @Override
    public SourceKind kind() {
        return SourceKind.OSHI;
    }

    @Override
    public StateCounts count(SocketFilter filter) throws IOException {
        throw new IOException("oshi source not built yet");
    }
}
