package dev.churn.bench.report;

import java.util.ArrayList;
import java.util.List;

/** Greedy word wrap at spaces, for text that does not wrap itself: SVG labels, terminal tables. */
public final class WordWrap {

    private WordWrap() {}

    /** The text in lines of at most {@code width} characters (a longer word gets a line of its own); at least one line. */
    public static List<String> lines(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.isEmpty() ? "" : " ").append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}
