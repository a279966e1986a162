package dev.churn.bench.lab;

import java.util.List;

/** Prints the command a lab host's JVM would be started with, from a JVM of its own options. Run by HostProcessOptionsTest. */
public final class HostProcessOptions {

    private HostProcessOptions() {}

    public static void main(String[] args) {
        System.out.println(String.join(" ", HostProcess.java("dev.churn.cli.Main", List.of("run"))));
    }
}
