package dev.churn.bench.result;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Which churn measured: its version, the commit its jar was built from, and whether that tree had
 * uncommitted changes ({@code dirty}, null when unknown). Read from {@value #RESOURCE}, which the
 * CLI's build writes (git-commit-id-maven-plugin); a build without a .git, or code run outside the
 * CLI's jar and classes, knows only what it can: "unknown". Results keep it, so two runs can be
 * told apart by build as well as by machine.
 */
public record ChurnBuild(String version, String commit, Boolean dirty) {

    /** The classpath resource the CLI's build filters. */
    public static final String RESOURCE = "/churn-version.properties";

    static final String UNKNOWN = "unknown";

    /** The build this code belongs to. */
    public static ChurnBuild current() {
        Properties p = new Properties();
        try (InputStream in = ChurnBuild.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // a jar that cannot read its own resource: nothing known
        }
        return of(p);
    }

    /** From the properties file's values; an unfiltered placeholder ("${git.dirty}") is unknown. */
    static ChurnBuild of(Properties p) {
        String dirty = known(p.getProperty("dirty"));
        return new ChurnBuild(known(p.getProperty("version")), known(p.getProperty("commit")),
                dirty.equals(UNKNOWN) ? null : Boolean.valueOf(dirty));
    }

    /** "0.1.0-SNAPSHOT, commit 1a2b3c4" with ", with uncommitted changes" when the tree was dirty. */
    public String describe() {
        return version + ", commit " + commit + (Boolean.TRUE.equals(dirty) ? ", with uncommitted changes" : "");
    }

    private static String known(String v) {
        return v == null || v.isBlank() || v.contains("${") ? UNKNOWN : v.strip();
    }
}
