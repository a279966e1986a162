package dev.churn.cli;

import dev.churn.bench.report.WordWrap;
import java.util.Locale;

/**
 * The text of a run's table, shared by it and its notes: a line, a note wrapped at 100 columns with its text from
 * column 15, and a count with its noun.
 */
final class TableText {

    private TableText() {}

    /** "1 time", "2 times", "1,234 connections": a count with its noun, in the singular for one. */
    static String counted(long n, String noun) {
        return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
    }

    /** A warning or note wrapped as the table's notes are: 100 columns, the text from column 15. */
    static void note(StringBuilder b, String kind, String text) {
        String label = String.format(Locale.ROOT, "  %-12s", kind);
        for (String l : WordWrap.lines(text, 86)) {
            line(b, "%s%s", label, l);
            label = " ".repeat(14);
        }
    }

    static void line(StringBuilder b, String fmt, Object... args) {
        b.append(String.format(Locale.ROOT, fmt, args)).append('\n');
    }
}
