package dev.churn.monitor;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Fake proc roots under {@code src/test/resources/proc/<case>}, for parser tests only. */
final class ProcFixtures {

    private ProcFixtures() {}

    /** The proc root of one fixture case, e.g. {@code basic}. */
    static Path root(String name) {
        URL url = ProcFixtures.class.getResource("/proc/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no fixture proc/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
