package dev.churn.bench.lab;

/** One segment (or a note) in a step of the sequence diagram: SYN from the client, FIN from the server... */
public record Arrow(Direction direction, String label) {

    /** Which way the segment goes. */
    public enum Direction { TO_SERVER, TO_CLIENT }

    /** A segment the client sends. */
    public static Arrow toServer(String label) {
        return new Arrow(Direction.TO_SERVER, label);
    }

    /** A segment the server sends. */
    public static Arrow toClient(String label) {
        return new Arrow(Direction.TO_CLIENT, label);
    }
}
