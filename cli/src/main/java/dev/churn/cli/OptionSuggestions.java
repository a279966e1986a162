package dev.churn.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.commons.text.similarity.LevenshteinDistance;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * "Did you mean --connections?" for a misspelt option ("did you mean states?" for a subcommand,
 * "did you mean raw?" for a value). picocli has suggestions of its own for options, but ranks them
 * by letter pairs shared, so {@code --conections} got {@code --control-port} first and
 * {@code --tls-resum} never got {@code --tls-resume}. Here an option one is a prefix of the other
 * comes first (a word cut short or run on: {@code --repeats}), then the fewest edits, within a
 * budget that grows with the word, so {@code --zzz} gets no suggestion at all. Only the closest
 * are named, at most {@value #MAX}.
 */
final class OptionSuggestions {

    /** At most this many suggestions: more is a list to read, not a correction. */
    static final int MAX = 2;

    private OptionSuggestions() {}

    /** The options of these commands closest to what was typed (its {@code =value}, if any, left out); maybe none. */
    static List<String> closest(String typed, Collection<CommandSpec> commands) {
        List<String> names = new ArrayList<>();
        for (CommandSpec c : commands) {
            for (CommandLine.Model.OptionSpec o : c.options()) {
                for (String n : o.names()) {
                    if (n.startsWith("--") && !names.contains(n)) {
                        names.add(n);
                    }
                }
            }
        }
        return closest(typed, names);
    }

    static List<String> closest(String typed, List<String> names) {
        int eq = typed.indexOf('=');
        String asTyped = eq > 0 ? typed.substring(0, eq) : typed;
        // Options are matched case-sensitively: --PORTS is unknown, and --ports what was meant.
        String word = asTyped.toLowerCase(Locale.ROOT);
        boolean option = word.startsWith("--");
        if (option ? word.length() < 4 : word.length() < 2 || word.startsWith("-")) {
            return List.of(); // short options (-h) and single letters are not guessed at
        }
        String bare = option ? word.substring(2) : word;
        // Two edits for words of up to 7 letters, one more per 4 letters beyond: a transposition is two.
        int budget = Math.max(2, bare.length() / 4 + 1);
        LevenshteinDistance lev = new LevenshteinDistance(budget);
        record Scored(String name, int rank) {}
        List<Scored> hits = new ArrayList<>();
        for (String n : names) {
            if (n.startsWith("--") != option) {
                continue;
            }
            String other = option ? n.substring(2) : n;
            if (n.equals(asTyped)) {
                continue;
            }
            boolean prefix = bare.length() >= 3 && other.length() >= 3
                    && (other.startsWith(bare) || bare.startsWith(other))
                    && Math.abs(other.length() - bare.length()) <= 3;
            int d = lev.apply(bare, other);
            if (prefix) {
                hits.add(new Scored(n, 0));
            } else if (d >= 0) {
                hits.add(new Scored(n, d));
            }
        }
        int best = hits.stream().mapToInt(Scored::rank).min().orElse(0);
        // Only the closest: 'serer' is one edit from server and two from never; naming never too misleads.
        return hits.stream()
                .filter(h -> h.rank() == best)
                .sorted(Comparator.comparing(Scored::name))
                .limit(MAX)
                .map(Scored::name)
                .toList();
    }

    /** The subcommands of this command closest to a word typed where one was expected; maybe none. */
    static List<String> closestSubcommand(String typed, CommandSpec command) {
        return closest(typed, List.copyOf(command.subcommands().keySet()));
    }

    /** "; did you mean --a or --b?", or nothing. */
    static String phrase(List<String> suggestions) {
        return suggestions.isEmpty() ? "" : "; did you mean " + String.join(" or ", suggestions) + "?";
    }
}
