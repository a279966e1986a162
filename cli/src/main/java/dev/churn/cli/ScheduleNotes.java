package dev.churn.cli;

import static dev.churn.cli.TableText.line;
import static dev.churn.cli.TableText.note;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.engine.Schedule;
import java.util.Locale;

/**
 * An open loop's schedule in a run's table: how late its starts were and why (a wake-up, every slot busy, a client
 * that could not keep up), and the starts that were due and never made.
 */
final class ScheduleNotes {

    private ScheduleNotes() {}

    /**
     * An open loop's cycles count from their intended starts, so a start's lateness is in its cycle's latency. When
     * the starts' p99 lateness is most of the cycle's p99, that percentile says how promptly this client woke, not
     * what the server took (measured 2026-12-05: `blocking` at --rate 10000, starts late by 1.8 ms at p99, cycle p99
     * 1.9 ms; `epoll` at that rate 0.15 and 0.23 ms). Said from a tenth of a millisecond of lateness on, below which
     * it is a wake-up's ordinary cost.
     */
    static void lagInTheTailNote(StringBuilder b, JsonNode sched, double cycleP99Micros) {
        double lagP99 = sched.path("lagP99Micros").asDouble(0);
        if (lagP99 < LAG_WORTH_SAYING_MICROS || cycleP99Micros <= 0 || lagP99 < cycleP99Micros / 2) {
            return;
        }
        double slotWait = slotWaitPercent(sched);
        if (slotsFull(sched) && slotWait >= 0) {
            // The split was measured: say how much of the lateness was each.
            note(b, "warning", String.format(Locale.ROOT, "the starts' lateness is most of the cycle's p99 (%s of %s); of all"
                    + " the starts' lateness, %s; the other phases are timed from their own start and leave it out",
                    lag(lagP99), lag(cycleP99Micros), slotShares((long) slotWait)));
            return;
        }
        if (slotsFull(sched)) {
            // Every slot busy at some moment says a start may have waited for a cycle to end, not that one did (with one
            // slot it is always so): both causes are named, and how to tell them apart.
            long slots = sched.path("maxInFlight").asLong();
            note(b, "warning", String.format(Locale.ROOT, "the starts' lateness is most of the cycle's p99 (%s of %s): %s"
                    + " busy at times, so starts may have waited for a cycle to end as well as for this client to wake;"
                    + " a higher --concurrency tells which; the other phases are timed from their own start and leave it"
                    + " out", lag(lagP99), lag(cycleP99Micros), slots == 1 ? "the one in-flight slot was"
                            : String.format(Locale.ROOT, "all %,d in-flight slots were", slots)));
            return;
        }
        note(b, "warning", String.format(Locale.ROOT, "the starts' lateness is most of the cycle's p99 (%s of %s): that"
                + " percentile is mostly how late this client woke to start its cycles (its threads, the CPU, the"
                + " JVM's pauses), not the server's time; the other phases are timed from their own start and leave"
                + " it out; see docs/performance.md, \"Starts on time\"", lag(lagP99), lag(cycleP99Micros)));
    }

    /**
     * What made the starts late, and where that lateness is. Since 2026-12-05 the thread-per-connection transports
     * measure how much of it was waiting for a free slot (schedule.slotWaitPercent), the event loops since 2026-12-05 22:10 UTC;
     * before, every slot busy at some moment said only that starts may have waited.
     */
    static String lateBecause(JsonNode sched) {
        String where = "in each cycle's latency (which counts from the intended start)";
        if (!slotsFull(sched)) {
            return "the client's own waking, " + where + ", not the server's";
        }
        double slotWait = slotWaitPercent(sched);
        if (slotWait < 0) {
            return "the client's waking, and perhaps waits for a free slot (all were busy at times); " + where;
        }
        return slotShares((long) slotWait) + " (every slot was busy at times); " + where;
    }

    /** How a measured split of the starts' lateness reads, from its whole percent waiting for a slot. */
    private static String slotShares(long percent) {
        if (percent >= 100) {
            return "all of it waiting for a free slot (a cycle to end)";
        }
        if (percent <= 0) {
            return "none of it waiting for a free slot: all of it the client's own waking";
        }
        return percent + "% of it waiting for a free slot (a cycle to end), the rest the client's own waking";
    }

    /** "All 8 in-flight slots were", or "The one in-flight slot was". */
    private static String allSlots(JsonNode sched) {
        long slots = sched.path("maxInFlight").asLong();
        return slots == 1 ? "The one in-flight slot was" : String.format(Locale.ROOT, "All %,d in-flight slots were", slots);
    }

    /** The share of an open loop's start lateness that was waiting for a free slot, in percent; -1 where not measured. */
    private static double slotWaitPercent(JsonNode sched) {
        // Whole percent, as it is printed: a 49.6 compared unrounded printed "50%" beside the advice for under half.
        return sched.path("slotWaitPercent").isNumber() ? Math.round(sched.path("slotWaitPercent").asDouble()) : -1;
    }

    /**
     * The load generator fell behind: too few starts (the offered rate was below --rate), or every start made and one
     * too late (more than 100 ms). The second is a moment, not a rate: saying the offered rate was below --rate and
     * advising a lower one was wrong there (one 177 ms GC pause at --rate 500, 2,000 of 2,000 started, 2026-12-05).
     */
    static void generatorWarning(StringBuilder b, JsonNode sched, JsonNode gc) {
        if (!shortOfStarts(sched)) {
            double maxLagMicros = sched.path("maxLagMicros").asDouble();
            // maxPauseMillis is null where the collector does not say; one pause is then the whole of pauseMillis.
            long pauseMillis = gc.path("maxPauseMillis").isNumber() ? gc.path("maxPauseMillis").asLong()
                    : gc.path("pauses").asLong() == 1 ? gc.path("pauseMillis").asLong() : 0;
            String cause = pauseMillis * 1000 >= maxLagMicros / 2
                    ? String.format(Locale.ROOT, "the JVM's longest GC pause, %,d ms, is most of it", pauseMillis)
                    : slotsFull(sched) && slotWaitPercent(sched) >= 50 ? "every slot was busy then: a higher --concurrency"
                            + " takes that up" : "no GC pause that long: this client's threads or CPU held it back";
            // Within the shortfall allowed, not always none: "every cycle" beside "6 missed" contradicted itself.
            long missed = missed(sched);
            String started = missed > 0 ? String.format(Locale.ROOT, "all but %,d of the cycles it intended (due as the run"
                    + " ended)", missed) : "every cycle it intended";
            note(b, "warning", String.format(Locale.ROOT, "the load generator fell behind its schedule for a while: it"
                    + " started %s, the latest %s late, and the cycles it held back count that"
                    + " wait in their latency (from the intended start); %s. The offered rate was kept",
                    started, lag(maxLagMicros), cause));
            return;
        }
        // Held back by its cap, the generator's pace is that of the cycles it waits on: "it, not the server, set the
        // pace" blamed the client for a server that had stalled every cycle in flight (QA, 2026-12-06).
        boolean capBound = slotsFull(sched) && (slotWaitPercent(sched) < 0 || slotWaitPercent(sched) >= 50);
        if (capBound) {
            line(b, "  warning     the load generator fell behind its schedule, held back by its in-flight cap (the");
            line(b, "              cycles in flight, slow to end, set the pace): the offered rate was below --rate");
            line(b, "              (latencies still count from the intended starts).");
        } else {
            line(b, "  warning     the load generator fell behind its schedule, so it, not the server, set the pace:");
            line(b, "              the offered rate was below --rate (latencies still count from the intended starts).");
        }
        // The bound may be what ulimit -n left room for (the run's warning said so then): --concurrency alone past it
        // is refused, and "raise --concurrency" beside "26 is what the limits allow" contradicted it (QA, 2026-12-06).
        if (slotsFull(sched) && slotWaitPercent(sched) < 0) {
            line(b, "              %s busy: raise --concurrency (and ulimit -n, if it set the bound)", allSlots(sched));
        } else if (slotsFull(sched) && slotWaitPercent(sched) >= 50) {
            long pct = (long) slotWaitPercent(sched);
            line(b, "              %s busy (%s of the lateness was waiting for one): raise",
                    allSlots(sched), pct >= 100 ? "all" : pct + "%");
            line(b, "              --concurrency (and ulimit -n, if it set the bound)");
        } else {
            line(b, "              Its threads or CPU could not keep up: a lower --rate, or several clients (churn merge)");
        }
    }

    /** Why an open loop's missed starts never started, by how the run ended. */
    static String missedBecause(String endReason) {
        return switch (endReason) {
            case "STOPPED" -> "the run was stopped before they started";
            case "TOO_MANY_FAILURES" -> "the run ended at --max-failures before they started";
            default -> "no cycle starts past the deadline: --duration holds";
        };
    }

    /**
     * True when more of the intended starts were missed than Schedule.generatorLimited allows (1%, and more than
     * one): the offered rate was below --rate. Older summaries have no "missed": the same difference.
     */
    private static boolean shortOfStarts(JsonNode sched) {
        return missed(sched) > Math.max(1, sched.path("intended").asLong() * Schedule.SHORTFALL_LIMIT);
    }

    /** An open loop's starts that were due and never made. Older summaries have no "missed": the same difference. */
    static long missed(JsonNode sched) {
        return sched.path("missed").asLong(sched.path("intended").asLong() - sched.path("started").asLong());
    }

    /** True when an open loop had every in-flight slot busy at some point: starts then waited for a cycle to end. */
    private static boolean slotsFull(JsonNode sched) {
        long max = sched.path("maxInFlight").asLong(0);
        return max > 0 && sched.path("peakInFlight").asLong() >= max;
    }

    /** Below this p99 lateness an open loop's starts are as prompt as a wake-up on this kind of machine gets. */
    private static final double LAG_WORTH_SAYING_MICROS = 100;

    /** A start's lateness: whole microseconds below a millisecond, else milliseconds. */
    static String lag(double micros) {
        return micros < 1000 ? String.format(Locale.ROOT, "%.0f µs", micros) : String.format(Locale.ROOT, "%,.1f ms", micros / 1000);
    }
}
