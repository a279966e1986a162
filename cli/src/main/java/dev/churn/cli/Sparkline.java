package dev.churn.cli;

/**
 * Draws a series of counts as a line of block characters (▁▂▃▄▅▆▇█), scaled from zero to the
 * largest value, so zero always looks like zero and any non-zero count shows above the floor.
 */
public final class Sparkline {

    private static final char[] BARS = {'▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'};

    private Sparkline() {}

    /**
     * At most {@code width} characters for these values, oldest first; when there are more values
     * than characters, each character shows the largest value of its share (peaks must not vanish).
     */
    public static String of(long[] values, int width) {
        if (width < 1) {
            throw new IllegalArgumentException("width: " + width + " must be at least 1");
        }
        long[] cells = values.length <= width ? values : bucketMax(values, width);
        long max = 0;
        for (long v : cells) {
            max = Math.max(max, v);
        }
        StringBuilder b = new StringBuilder(cells.length);
        for (long v : cells) {
            b.append(BARS[level(v, max)]);
        }
        return b.toString();
    }

    private static int level(long v, long max) {
        if (v <= 0 || max <= 0) {
            return 0;
        }
        int top = BARS.length - 1;
        return (int) Math.max(1, Math.round((double) v * top / max));
    }

    private static long[] bucketMax(long[] values, int width) {
        long[] out = new long[width];
        for (int cell = 0; cell < width; cell++) {
            int from = (int) ((long) cell * values.length / width);
            int to = (int) ((long) (cell + 1) * values.length / width);
            long m = Long.MIN_VALUE;
            for (int i = from; i < to; i++) {
                m = Math.max(m, values[i]);
            }
            out[cell] = m;
        }
        return out;
    }
}
