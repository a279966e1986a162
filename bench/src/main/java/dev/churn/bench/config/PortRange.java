package dev.churn.bench.config;

/** An inclusive range of local ports a client binds to before connecting ("FROM-TO"). */
public record PortRange(int from, int to) {

    public PortRange {
        if (from < 1 || to > 65535 || from > to) {
            throw new IllegalArgumentException("port range " + from + "-" + to + " must be within 1..65535 with FROM <= TO");
        }
    }

    /** How many ports the range holds. */
    public int size() {
        return to - from + 1;
    }

    /** Parses "FROM-TO", e.g. "20000-20999". */
    public static PortRange parse(String s) {
        String[] parts = s.strip().split("-", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("'" + s + "' is not a port range FROM-TO, e.g. 20000-20999");
        }
        try {
            return new PortRange(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a port range FROM-TO, e.g. 20000-20999");
        }
    }

    @Override
    public String toString() {
        return from + "-" + to;
    }
}
