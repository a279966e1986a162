import java.io.File;
import java.util.Locale;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * Prints the cycles each interval of a churn run's latency.hlog completed, one line per interval:
 * "start_epoch_seconds end_epoch_seconds cycles". The log holds the measured part's intervals only
 * (not the warm-up's): jit-settle.sh runs with --warmup 0s to see a run from its first tick. Run with churn's
 * jar on the class path (HdrHistogram is in it), as bench/scripts/jit-settle.sh does:
 * java -cp churn.jar HlogRates.java run/latency.hlog
 */
public class HlogRates {
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -cp churn.jar HlogRates.java RUN_DIR/latency.hlog");
            System.exit(2);
        }
        HistogramLogReader reader = new HistogramLogReader(new File(args[0]));
        EncodableHistogram h;
        while ((h = reader.nextIntervalHistogram()) != null) {
            if ("cycle".equals(h.getTag()) && h instanceof AbstractHistogram a) {
                System.out.printf(Locale.ROOT, "%.3f %.3f %d%n", h.getStartTimeStamp() / 1e3, h.getEndTimeStamp() / 1e3,
                        a.getTotalCount());
            }
        }
    }
}
