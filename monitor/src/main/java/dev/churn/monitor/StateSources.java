package dev.churn.monitor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** Opens the {@link StateSource} a user asked for, resolving {@link SourceKind#AUTO}. */
public final class StateSources {

    /** Where the kernel's /proc is when nobody says otherwise. */
    public static final Path DEFAULT_PROC_ROOT = Path.of("/proc");

    private StateSources() {}

    /**
     * What AUTO means here: netlink on Linux when the kernel answers it; /proc when the user points
     * at another proc root (a container's view of the host, or a fixture: netlink would count this
     * namespace instead); OSHI elsewhere.
     */
    public static SourceKind resolve(SourceKind kind, Path procRoot) {
        if (kind != SourceKind.AUTO) {
            return kind;
        }
        if (!isLinux()) {
            return SourceKind.OSHI;
        }
        if (!DEFAULT_PROC_ROOT.equals(procRoot)) {
            return SourceKind.PROC;
        }
        return NetlinkSource.isSupported() ? SourceKind.NETLINK : SourceKind.PROC;
    }

    /** Opens a source of this kind; the caller closes it. */
    public static StateSource open(SourceKind kind, Path procRoot) throws IOException {
        return switch (resolve(kind, procRoot)) {
            case NETLINK -> new NetlinkSource();
            case PROC -> new ProcNetTcpSource(procRoot);
            case OSHI -> new OshiSource();
            case AUTO -> throw new AssertionError("resolved above");
        };
    }

    /** Opens a source of this kind reading the real /proc. */
    public static StateSource open(SourceKind kind) throws IOException {
        return open(kind, DEFAULT_PROC_ROOT);
    }

    static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    }
}
