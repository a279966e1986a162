package dev.churn.monitor;

import java.util.Locale;

/** The ways of counting TCP states; {@link #AUTO} picks netlink on Linux and OSHI elsewhere. */
public enum SourceKind {
    AUTO,
    NETLINK,
    PROC,
    OSHI;

    /** The lower-case name users type and JSON carries. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
