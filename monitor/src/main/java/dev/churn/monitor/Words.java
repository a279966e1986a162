package dev.churn.monitor;

import java.util.ArrayList;
import java.util.List;

/**
 * The words of a /proc line, split on runs of spaces and tabs, with no regular expression:
 * {@code line.strip().split("\\s+")} went through {@code java.util.regex.Matcher} for every word,
 * and with the state sampler reading /proc/net/sockstat ten times a second, C2 compiled
 * {@code Matcher.find} and {@code Matcher.search} in the measured part of a run (40 ms of a
 * compiler thread's CPU in one 6 s part on 2026-12-05, JFR's jdk.Compilation).
 */
public final class Words {

    private Words() {}

    /** The words of {@code line} (none for a blank one), as {@code line.strip().split("\\s+")} gives them. */
    public static String[] of(String line) {
        List<String> words = new ArrayList<>();
        int n = line.length();
        int i = 0;
        while (i < n) {
            while (i < n && blank(line.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !blank(line.charAt(i))) {
                i++;
            }
            if (i > start) {
                words.add(line.substring(start, i));
            }
        }
        return words.toArray(String[]::new);
    }

    private static boolean blank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }
}
