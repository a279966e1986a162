package dev.churn.bench.result;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A command line as the results record it: the arguments after {@code churn}, each as given, except
 * the value of every option whose name holds "password" ({@code --key-password},
 * {@code --truststore-password}), which reads {@value #HIDDEN}: a {@code pass:TEXT} value is the
 * password itself, and a results folder is copied, attached and committed.
 */
public final class CommandArgs {

    /** What a secret's value reads as. */
    public static final String HIDDEN = "***";

    private CommandArgs() {}

    /** The arguments with every password option's value hidden, as {@code --opt V} or {@code --opt=V}. */
    public static List<String> recorded(List<String> args) {
        List<String> out = new ArrayList<>(args.size());
        boolean hideNext = false;
        for (String a : args) {
            if (hideNext) {
                out.add(HIDDEN);
                hideNext = false;
            } else if (isSecretOption(a)) {
                int eq = a.indexOf('=');
                if (eq >= 0) {
                    out.add(a.substring(0, eq + 1) + HIDDEN);
                } else {
                    out.add(a);
                    hideNext = true; // every password option takes a value
                }
            } else {
                out.add(a);
            }
        }
        return out;
    }

    private static boolean isSecretOption(String arg) {
        if (!arg.startsWith("--")) {
            return false;
        }
        int eq = arg.indexOf('=');
        String name = eq >= 0 ? arg.substring(0, eq) : arg;
        return name.toLowerCase(Locale.ROOT).contains("password");
    }
}
