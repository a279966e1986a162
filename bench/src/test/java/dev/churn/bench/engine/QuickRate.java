package dev.churn.bench.engine;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.TransportKind;
import java.io.IOException;

/**
 * Not a test: a quick rate check of one transport against the built-in sink, to hold beside
 * {@code tcpref churn N} (bench/native/tcpref.c). Run it from the bench module with
 * {@code java -cp target/classes:target/test-classes:<deps> dev.churn.bench.engine.QuickRate [transport] [closer] [C] [N]}.
 */
public final class QuickRate {

    private QuickRate() {}

    public static void main(String[] args) throws IOException {
        TransportKind t = args.length > 0 ? TransportKind.valueOf(args[0].toUpperCase()) : TransportKind.BLOCKING;
        Closer c = args.length > 1 ? Closer.valueOf(args[1].toUpperCase()) : Closer.CLIENT;
        int conc = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        long n = args.length > 3 ? Long.parseLong(args[3]) : 20_000;
        for (int round = 0; round < 3; round++) {
            RunResult r = new ChurnEngine(Specs.count(t, c, conc, n)).run(RunListener.NONE);
            System.out.printf("%s %s C=%d cycles=%d failed=%d per_second=%.0f us_per_cycle=%.2f%n", t.label(), c.label(), conc,
                    r.completed(), r.failed(), r.perSecond(), r.measuredNanos() / 1e3 / Math.max(1, r.completed()));
        }
    }
}
