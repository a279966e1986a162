package dev.churn.bench.config;

/**
 * SO_LINGER on the client socket: {@link #OFF} (the default, close returns at once and the kernel
 * finishes the close), 0 (abortive close: RST, no TIME_WAIT), or n seconds (close blocks until the
 * data is acknowledged or n seconds pass).
 */
public record Linger(int seconds) {

    /** SO_LINGER not set. */
    public static final Linger OFF = new Linger(-1);
    /** SO_LINGER 0: close sends RST. */
    public static final Linger ABORT = new Linger(0);

    public Linger {
        if (seconds < -1 || seconds > 65535) {
            throw new IllegalArgumentException("linger seconds must be 0..65535, got " + seconds);
        }
    }

    /** True unless {@link #OFF}. */
    public boolean enabled() {
        return seconds >= 0;
    }

    /** Parses "off", "0" or a number of seconds. */
    public static Linger parse(String s) {
        String t = s.strip();
        if (t.equalsIgnoreCase("off")) {
            return OFF;
        }
        try {
            int n = Integer.parseInt(t);
            if (n < 0 || n > 65535) {
                throw new IllegalArgumentException("'" + s + "' is not off, 0 or 1..65535 seconds");
            }
            return new Linger(n);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not off, 0 (abortive close) or a number of seconds");
        }
    }

    @Override
    public String toString() {
        return enabled() ? Integer.toString(seconds) : "off";
    }
}
