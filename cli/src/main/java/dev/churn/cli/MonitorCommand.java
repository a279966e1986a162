package dev.churn.cli;

import picocli.CommandLine.Command;

/** PLACEHOLDER: replaced by the real monitor command. */
@Command(name = "monitor", description = "Counts TCP sockets per state.")
public final class MonitorCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("monitor not built yet");
    }
}
