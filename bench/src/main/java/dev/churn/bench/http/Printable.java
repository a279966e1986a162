package dev.churn.bench.http;

import java.util.Locale;

/**
 * Text that came from a peer, made safe to print: a server may answer anything, and its bytes end
 * up quoted in failure messages that the run's table prints to a terminal. Control characters (C0,
 * DEL and C1, which include ESC and the 8-bit CSI that clear a screen or retitle a window) become
 * {@code \xNN}; everything else is kept, so the message still shows what the peer sent.
 */
public final class Printable {

    private Printable() {}

    /** {@code s} with each control character written as {@code \xNN}; the same string when it has none. */
    public static String escape(String s) {
        int i = 0;
        while (i < s.length() && !control(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (control(c)) {
                b.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean control(char c) {
        return c < 0x20 || (c >= 0x7f && c < 0xa0);
    }
}
