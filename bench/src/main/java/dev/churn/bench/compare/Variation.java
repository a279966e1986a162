package dev.churn.bench.compare;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code --vary KEY=V1,V2,...} of {@code churn compare}: a run option and the values it takes.
 * Parse it with {@link #parse}, build the configurations with {@link #crossProduct} and turn one into
 * {@code churn run} arguments with {@link #runArgs}.
 */
public record Variation(Key key, List<String> values) {

    /** The run options a comparison may vary, with the {@code churn run} option each sets. */
    public enum Key {
        TRANSPORT("transport", false),
        THREADS("threads", false),
        CLOSER("closer", false),
        LINGER("linger", false),
        REUSE_ADDR("reuse-addr", true),
        REUSE_PORT("reuse-port", true),
        CONCURRENCY("concurrency", false),
        RATE("rate", false),
        REQUEST("request", false),
        RESPONSE("response", false),
        NO_DELAY("no-delay", true),
        IPV6("ipv6", true),
        LISTENERS("listeners", false),
        BACKLOG("backlog", false),
        /** {@code --tls} with a version, or {@code off}: no TLS (so plain TCP and TLS compare in one run). */
        TLS("tls", false),
        TLS_RESUME("tls-resume", true),
        TLS_GROUPS("tls-groups", false),
        TLS_KEY("tls-key", false),
        /** {@code --warmup}: a length, or {@code auto} (so a fixed warm-up and the JIT's own end compare in one run). */
        WARMUP("warmup", false);

        private final String label;
        private final boolean flag;

        Key(String label, boolean flag) {
            this.label = label;
            this.flag = flag;
        }

        /** The name users type, which is also the run option without its dashes. */
        public String label() {
            return label;
        }

        /** The {@code churn run} option this key sets. */
        public String option() {
            return "--" + label;
        }

        /** True for on/off options, whose values are {@code true} and {@code false}. */
        public boolean flag() {
            return flag;
        }

        /** The key of this name; IllegalArgumentException naming the allowed keys otherwise. */
        public static Key of(String name) {
            for (Key k : values()) {
                if (k.label.equals(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("--vary: unknown key '" + name + "'; allowed: " + allowed());
        }

        static String allowed() {
            List<String> names = new ArrayList<>();
            for (Key k : values()) {
                names.add(k.label);
            }
            return String.join(", ", names);
        }
    }

    /** The value of {@code --vary tls} that leaves TLS out. */
    public static final String TLS_OFF = "off";

    public Variation {
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("--vary " + key.label() + ": give at least one value");
        }
        if (Set.copyOf(values).size() != values.size()) {
            throw new IllegalArgumentException("--vary " + key.label() + ": a value is listed twice in " + values);
        }
    }

    /**
     * Parses {@code KEY=V1,V2,...}; throws IllegalArgumentException with a one-line reason for an
     * unknown key, a missing or empty value, or a flag value other than true/false.
     */
    public static Variation parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--vary: '" + text + "' is not KEY=V1,V2,... (keys: " + Key.allowed() + ")");
        }
        Key key = Key.of(text.substring(0, eq).strip());
        List<String> values = new ArrayList<>();
        for (String v : text.substring(eq + 1).split(",", -1)) {
            String s = v.strip();
            if (s.isEmpty()) {
                throw new IllegalArgumentException("--vary " + key.label() + ": empty value in '" + text + "'");
            }
            if (key.flag() && !s.equals("true") && !s.equals("false")) {
                throw new IllegalArgumentException("--vary " + key.label() + ": '" + s + "' must be true or false");
            }
            values.add(s);
        }
        return new Variation(key, values);
    }

    /**
     * Every combination of the variations' values, the first variation varying slowest; each
     * configuration maps key label to value in the variations' order. One variation per key.
     */
    public static List<Map<String, String>> crossProduct(List<Variation> variations) {
        Set<Key> seen = new HashSet<>();
        for (Variation v : variations) {
            if (!seen.add(v.key())) {
                throw new IllegalArgumentException("--vary " + v.key().label() + " is given twice; list all values in one");
            }
        }
        List<Map<String, String>> configs = new ArrayList<>();
        configs.add(new LinkedHashMap<>());
        for (Variation v : variations) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> c : configs) {
                for (String value : v.values()) {
                    Map<String, String> m = new LinkedHashMap<>(c);
                    m.put(v.key().label(), value);
                    next.add(m);
                }
            }
            configs = next;
        }
        return configs.stream().map(Collections::unmodifiableMap).toList();
    }

    /**
     * The {@code churn run} arguments that set one configuration: flags appear only when true, and
     * {@code tls=off} not at all.
     */
    public static List<String> runArgs(Map<String, String> config) {
        List<String> args = new ArrayList<>();
        config.forEach((name, value) -> {
            Key k = Key.of(name);
            if (k.flag()) {
                if (value.equals("true")) {
                    args.add(k.option());
                }
            } else if (k == Key.TLS) {
                if (!value.equals(TLS_OFF)) {
                    args.add(k.option() + "=" + value);
                }
            } else {
                args.add(k.option());
                args.add(value);
            }
        });
        return args;
    }

    /** Run options that only mean something with --tls: flags, and options that take a value. */
    private static final Set<String> TLS_ONLY_FLAGS = Set.of("--tls-resume", "--insecure");
    private static final Set<String> TLS_ONLY_VALUED = Set.of("--tls-key", "--tls-groups", "--tls-ciphers", "--tls-provider",
            "--cert", "--key", "--key-password", "--truststore", "--truststore-password");

    /**
     * The fixed run options for a configuration: without the TLS-only ones (--tls-resume, --tls-groups, ...) where it
     * has {@code tls=off}, which refuses them ("--tls-resume needs --tls"). So --vary tls=off,1.3 --tls-resume compares
     * plain TCP with resumed TLS in one interleaved comparison, which was refused (QA, 2026-12-06).
     */
    public static List<String> fixedArgsFor(Map<String, String> config, List<String> fixed) {
        if (!TLS_OFF.equals(config.get(Key.TLS.label()))) {
            return fixed;
        }
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < fixed.size(); i++) {
            String a = fixed.get(i);
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (TLS_ONLY_FLAGS.contains(name)) {
                continue;
            }
            if (TLS_ONLY_VALUED.contains(name)) {
                if (!a.contains("=")) {
                    i++; // and its value
                }
                continue;
            }
            kept.add(a);
        }
        return kept;
    }

    /** "transport=nio closer=client": a configuration as one line of text. */
    public static String describe(Map<String, String> config) {
        StringBuilder b = new StringBuilder();
        config.forEach((k, v) -> b.append(b.isEmpty() ? "" : " ").append(k).append('=').append(v));
        return b.isEmpty() ? "(base)" : b.toString();
    }

    /** "transport-nio.closer-client": a configuration as a folder-name-safe label. */
    public static String label(Map<String, String> config) {
        StringBuilder b = new StringBuilder();
        config.forEach((k, v) -> b.append(b.isEmpty() ? "" : ".").append(k).append('-')
                .append(v.replaceAll("[^A-Za-z0-9._-]", "_")));
        return b.isEmpty() ? "base" : b.toString();
    }
}
