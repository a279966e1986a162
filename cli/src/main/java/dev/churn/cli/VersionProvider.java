package dev.churn.cli;

import dev.churn.bench.result.ChurnBuild;
import picocli.CommandLine.IVersionProvider;

/** The version and commit Maven wrote into the jar, with the JVM and OS it runs on. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
            "churn " + ChurnBuild.current().describe(),
            "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
            "OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version")
        };
    }
}
