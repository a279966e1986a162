package dev.churn.monitor;

/** Receives the rows of a per-socket dump, one call per socket, on the dumping thread. */
@FunctionalInterface
public interface SocketVisitor {

    /** One socket that passed the filter. */
    void visit(SocketRow row);
}
