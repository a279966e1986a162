package dev.churn.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Reads the version Maven wrote into the jar, with the JVM it runs on. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/churn-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        return new String[] {
            "churn " + p.getProperty("version", "unknown"),
            "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
            "OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version")
        };
    }
}
