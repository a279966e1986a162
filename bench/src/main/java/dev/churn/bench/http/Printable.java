package dev.churn.bench.http;

import java.util.Locale;

/**
 * Text that came from a peer, made safe to print: a server may answer anything, and its bytes end
 * up quoted in failure messages that the run's table prints to a terminal; so may a client of
 * {@code churn serve}'s control port, or a summary.json someone else wrote. Control characters (C0,
 * DEL and C1, which include ESC and the 8-bit CSI that clear a screen or retitle a window) become
 * {@code \xNN}; Unicode format characters and line separators (a right-to-left override that turns
 * a name around, U+2028 that breaks a line) become a backslash, u and their four hex digits; everything
 * else is kept, so the message still shows what the peer sent. {@link #clip} also bounds its length: a 60,000-character
 * label made a refusal line of 60 KB (QA, 2026-12-06).
 */
public final class Printable {

    /** What {@link #clip(String)} keeps of a peer's text: a label's 100 characters and some. */
    public static final int CLIP = 120;

    private Printable() {}

    /** {@code s} with each unsafe character escaped; the same string when it has none. */
    public static String escape(String s) {
        return clip(s, Integer.MAX_VALUE);
    }

    /**
     * A whole table or message, each line {@link #escape}d and its line breaks kept: the last guard of a view printed
     * from files anyone may have written. A summary.json's scenario values reached the terminal raw through the fields
     * no one had thought to escape one by one, a transport or a warm-up of escapes (QA, 2026-12-06).
     */
    public static String escapeLines(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(s.length());
        int from = 0;
        for (int nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', from)) {
            b.append(escape(s.substring(from, nl))).append('\n');
            from = nl + 1;
        }
        return b.append(escape(s.substring(from))).toString();
    }

    /** {@link #escape}d and cut to {@value #CLIP} characters. */
    public static String clip(String s) {
        return clip(s, CLIP);
    }

    /**
     * {@code s} escaped as {@link #escape} does, then cut to {@code max} characters with "..." added when it was longer:
     * how every string from a peer is shown. Null is shown as "null".
     */
    public static String clip(String s, int max) {
        if (s == null) {
            return "null";
        }
        int i = 0;
        while (i < s.length() && i < max && !unsafe(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            String e = !unsafe(c) ? String.valueOf(c)
                    : String.format(Locale.ROOT, c < 0x100 ? "\\x%02x" : "\\u%04x", (int) c);
            if (b.length() + e.length() > max) {
                return b.append("...").toString();
            }
            b.append(e);
        }
        return b.toString();
    }

    private static boolean unsafe(char c) {
        if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
            return true;
        }
        int type = Character.getType(c);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }
}
