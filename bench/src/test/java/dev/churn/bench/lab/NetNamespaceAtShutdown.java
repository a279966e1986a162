package dev.churn.bench.lab;

import java.io.IOException;

/**
 * A JVM whose first touch of {@link NetNamespace} comes while it shuts down, as an early Ctrl-C's does: prints what
 * {@code create()} answered. Run by {@link NetNamespaceStopTest} as a process of its own.
 */
public final class NetNamespaceAtShutdown {

    private NetNamespaceAtShutdown() {}

    public static void main(String[] args) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (NetNamespace ns = NetNamespace.create()) {
                System.out.println("made " + ns.name());
            } catch (IOException e) {
                System.out.println("refused: " + e.getMessage());
            }
        }));
        System.exit(0);
    }
}
