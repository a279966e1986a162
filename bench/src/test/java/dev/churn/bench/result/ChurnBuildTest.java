package dev.churn.bench.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.StringReader;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** churn-version.properties as the CLI's build writes it: with a .git, and without one (placeholders left). */
class ChurnBuildTest {

    private static ChurnBuild read(String text) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(text));
        return ChurnBuild.of(p);
    }

    @Test
    void aBuildFromAGitTreeNamesItsCommitAndWhetherItWasDirty() throws IOException {
        ChurnBuild b = read("version=0.1.0-SNAPSHOT\ncommit=fe92647\ndirty=true\n");
        assertEquals(new ChurnBuild("0.1.0-SNAPSHOT", "fe92647", true), b);
        assertEquals("0.1.0-SNAPSHOT, commit fe92647, with uncommitted changes", b.describe());
        assertEquals("0.1.0-SNAPSHOT, commit fe92647", read("version=0.1.0-SNAPSHOT\ncommit=fe92647\ndirty=false\n").describe());
    }

    @Test
    void aBuildWithoutGitLeavesThePlaceholdersAndKnowsOnlyItsVersion() throws IOException {
        ChurnBuild b = read("version=0.1.0-SNAPSHOT\ncommit=${git.commit.id.abbrev}\ndirty=${git.dirty}\n");
        assertEquals("unknown", b.commit());
        assertNull(b.dirty());
        assertEquals("0.1.0-SNAPSHOT, commit unknown", b.describe());
        assertEquals(new ChurnBuild("unknown", "unknown", null), read(""));
    }
}
