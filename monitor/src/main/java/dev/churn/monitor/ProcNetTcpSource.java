package dev.churn.monitor;

import java.io.IOException;
import java.nio.file.Path;

/** PLACEHOLDER: replaced by the streaming /proc/net/tcp parser. */
public final class ProcNetTcpSource implements StateSource {
    public ProcNetTcpSource(Path procRoot) throws IOException {
        throw new IOException("proc source not built yet");
    }

    @Override
    public SourceKind kind() {
        return SourceKind.PROC;
    }

    @Override
    public StateCounts count(SocketFilter filter) throws IOException {
        throw new IOException("proc source not built yet");
    }
}
