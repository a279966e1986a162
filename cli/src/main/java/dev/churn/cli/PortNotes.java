package dev.churn.cli;

import static dev.churn.cli.TableText.counted;
import static dev.churn.cli.TableText.line;
import static dev.churn.cli.TableText.note;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.monitor.Sysctls;
import java.util.Locale;

/**
 * The notes of a run's table about the client's local ports: the kernel's search for a free one once TIME_WAIT holds
 * half the range, a range run out, and --bind-ports held by TIME_WAIT. Each reads summary.json and says nothing when
 * its case did not happen.
 */
final class PortNotes {

    private PortNotes() {}

    /**
     * connect() looks for a free local port among the ports of one parity first (bind() takes the
     * other). Once the client's TIME_WAIT sockets toward the target hold about half of
     * net.ipv4.ip_local_port_range, some connects scan the whole range before they find one, each
     * scan taking milliseconds: a kernel cost that dominates the connect tail and the rate
     * (tcpref churn on loopback: 18,000/s at 20,000 connections, 75,000/s at 5,000).
     */
    static void portSearchNote(StringBuilder b, JsonNode s) {
        JsonNode sc = s.path("scenario");
        String closer = sc.path("closer").asText();
        boolean clientHoldsTimeWait = closer.equals("client") || closer.equals("half");
        long[] range = Sysctls.portRange(s.at("/environment/sysctls/net.ipv4.ip_local_port_range").asText(""));
        long timeWait = s.at("/states/peak/TIME_WAIT").asLong(0);
        if (!clientHoldsTimeWait || sc.hasNonNull("bindPorts") || range == null) {
            return;
        }
        // The peak counts both sides. A server that closes first whatever --closer says (nginx answering
        // Connection: close: 1,133 of 1,180 on its side) holds TIME_WAIT on its own port, none of the
        // client's: the client's share of the final ones is its share of the peak, as near as the run tells.
        String what = "TIME_WAIT reached";
        JsonNode sides = s.at("/states/finalTimeWaitSides");
        long server = sides.path("server").asLong(0);
        long client = sides.path("client").asLong(0);
        if (server > 0) {
            timeWait = Math.round((double) timeWait * client / (server + client));
            what = "the client's TIME_WAIT reached about";
        }
        long ports = range[1] - range[0] + 1;
        // 45%, not 50%: the peak is sampled, and the kernel recycles TIME_WAIT past the knee, so
        // the count seen hovers just around half the range.
        if (timeWait * 100 < ports * 45) {
            return;
        }
        // A listener on a port of the range (the built-in sink binds port 0, so it takes one there) holds that port:
        // connect() cannot take it. In a range narrowed to 40000-40100 the note said 101 ports, the peak was 100.
        int targetPort = targetPort(sc.path("target").asText(""));
        if (targetPort >= range[0] && targetPort <= range[1]) {
            line(b, "  note        %s %,d, %d%% of the %,d ephemeral ports (%d-%d) the target's",
                    what, timeWait, timeWait * 100 / (ports - 1), ports - 1, range[0], range[1]);
            line(b, "              listening port, %d, left to connect().", targetPort);
        } else {
            line(b, "  note        %s %,d, %d%% of the %,d ephemeral ports (%d-%d).",
                    what, timeWait, timeWait * 100 / ports, ports, range[0], range[1]);
        }
        line(b, "              From about half, some connects scan the whole range for a free port,");
        line(b, "              milliseconds each, and that kernel search is the connect tail. Fewer");
        line(b, "              connections per minute, a wider net.ipv4.ip_local_port_range or");
        line(b, "              --closer server avoid it.");
        // Where connect() may not take a TIME_WAIT over, that is the knob: tcp_tw_reuse 0 made 1,523/s against nginx
        // where 2 made 29,994/s, and the note named every remedy but that one (QA, 2026-12-06).
        String reuse = s.at("/environment/sysctls/net.ipv4.tcp_tw_reuse").asText("");
        String target = sc.path("target").asText("");
        boolean loopback = loopbackTarget(target);
        if (reuse.equals("0") || reuse.equals("2") && !loopback && !target.isEmpty()) {
            note(b, "", reuse.equals("0") ? "Here net.ipv4.tcp_tw_reuse is 0, so connect() never takes a TIME_WAIT over:"
                    + " 2 (the default: loopback only) or 1 (everywhere) lets it reuse a port whose TIME_WAIT is"
                    + " tcp_tw_reuse_delay old, where TCP timestamps prove it safe; see docs/tcp.md"
                    : "Here net.ipv4.tcp_tw_reuse is 2, which takes a TIME_WAIT over on loopback only, and this target is"
                    + " not loopback: 1 lets connect() reuse such ports everywhere, where TCP timestamps prove it safe;"
                    + " see docs/tcp.md");
        }
        // Where connect() takes TIME_WAIT over (tcp_tw_reuse: 2, the default, on loopback), each port of
        // the parity it searches first serves one connection per tcp_tw_reuse_delay, which caps the rate
        // to one destination. Measured 2026-12-05, epoll, 64 in flight, 4 alternating pairs: 23,852-24,664/s
        // with 16384-65535 (24,576 such ports), 26,303-30,947/s with 1024-65535; tcp_tw_reuse_delay 2000
        // halved the first (13,741 and 14,168/s).
        long recycled = s.at("/kernel/TWRecycled").asLong(0);
        long delayMs = s.at("/environment/sysctls/net.ipv4.tcp_tw_reuse_delay").asLong(0);
        if (recycled > 0 && delayMs > 0) {
            long ceiling = Sysctls.reuseCeilingPerSecond(ports, delayMs);
            // The counter is the namespace's: beside another run it counted both (38,739 for 38,323 attempted, QA
            // 2026-12-06), so it is said as such there.
            note(b, "", String.format(Locale.ROOT, "Here connect() took TIME_WAIT over (TWRecycled %+,d%s), each once it"
                    + " was net.ipv4.tcp_tw_reuse_delay (%,d ms) old. One new connection per port of the half it"
                    + " searches first, per delay, is about %,d a second to one destination once each of those ports"
                    + " holds a TIME_WAIT; past that, a connect scans all of that half before it tries the other: this"
                    + " run made %,.0f/s",
                    recycled, ResetNotes.othersShared(s) ? " in the namespace, the other connections' with this run's" : "",
                    delayMs,
                    ceiling, s.at("/connections/perSecond").asDouble(0)));
        }
    }

    /**
     * Connects that found no free local port (EADDRNOTAVAIL, without --bind-ports): the range was full of TIME_WAIT
     * toward the target. The port-search note alone explained the connect tail, and never said the ports had run out,
     * why, or what rate the range can carry (a namespace of 1,000 ports and tcp_tw_reuse 0: 999 completed, 264 failed;
     * QA, 2026-12-06). Each port comes back when its TIME_WAIT ends, 60 s later (TCP_TIMEWAIT_LEN), unless connect()
     * takes the TIME_WAIT over: tcp_tw_reuse 1 everywhere, 2 (the default) on loopback only. A run that closes with a
     * RST left none of them: they were there before it.
     */
    static void portsRanOutNote(StringBuilder b, JsonNode s) {
        long failed = s.at("/failures/eaddrnotavail/count").asLong(0);
        JsonNode sc = s.path("scenario");
        long[] range = Sysctls.portRange(s.at("/environment/sysctls/net.ipv4.ip_local_port_range").asText(""));
        if (failed == 0 || sc.hasNonNull("bindPorts") || range == null) {
            return;
        }
        String target = sc.path("target").asText("");
        // The target's listener on a port of the range holds it, as the port-search note above counts: 199 there and 200
        // here, in one table, for a range of 200 with the built-in sink on 21823 (QA, 2026-12-06).
        int targetPort = targetPort(target);
        long ports = range[1] - range[0] + 1 - (targetPort >= range[0] && targetPort <= range[1] ? 1 : 0);
        String reuse = s.at("/environment/sysctls/net.ipv4.tcp_tw_reuse").asText("");
        boolean loopback = loopbackTarget(target);
        // With some taken over (TWRecycled), "found none old enough" read as none taken over at all: 19 were (QA, 2026-12-06).
        long recycled = s.at("/kernel/TWRecycled").asLong(0);
        String none = recycled > 0 ? String.format(Locale.ROOT, ": connect() took %,d over (TWRecycled), and for these"
                + " found none old enough", recycled) : ", yet connect() found none old enough to take over";
        String takeover = switch (reuse) {
            case "0" -> "net.ipv4.tcp_tw_reuse is 0: connect() never takes a TIME_WAIT over";
            case "1" -> "net.ipv4.tcp_tw_reuse is 1" + none;
            case "2" -> loopback ? "net.ipv4.tcp_tw_reuse is 2 (loopback only)" + none
                    : "net.ipv4.tcp_tw_reuse is 2, which takes TIME_WAIT over on loopback only, and this target"
                    + " is not loopback";
            default -> "connect() took none over";
        };
        long before = s.at("/states/before/TIME_WAIT").asLong(0);
        boolean abortive = "0".equals(sc.path("linger").asText()) || "abort".equals(sc.path("closer").asText());
        String whose = abortive && before > 0
                ? String.format(Locale.ROOT, "; this run closes with a RST and left none: the %,d there before it"
                + " filled the range, and waiting a minute for them to end is the fix", before)
                : String.format(Locale.ROOT, "; each port comes back 60 s after its TIME_WAIT began%s, so %,d ports carry"
                + " about %s new connections a second to one destination. --linger 0 or --closer server (the TIME_WAIT"
                + " moves to the server), a wider net.ipv4.ip_local_port_range or fewer connections a minute keep"
                + " within it", recycled > 0 ? " (sooner, as above, where connect() takes it over)" : "", ports,
                perMinute(ports));
        String besides = targetPort >= range[0] && targetPort <= range[1]
                ? String.format(Locale.ROOT, " besides the target's listening port, %d,", targetPort) : "";
        note(b, "note", String.format(Locale.ROOT, "%,d connects found no free local port (EADDRNOTAVAIL): the %,d"
                + " ephemeral ports (%d-%d)%s were all held toward this target, by TIME_WAIT (%s)%s", failed, ports, range[0],
                range[1], besides, takeover, whose));
    }

    /** Ports a minute as a rate a second: "16", "0.17" (10 ports were "about 1 new connections a second", QA 2026-12-06). */
    static String perMinute(long ports) {
        double perSecond = ports / 60.0;
        return perSecond >= 10 ? String.format(Locale.ROOT, "%,d", Math.round(perSecond))
                : String.format(Locale.ROOT, "%.2g", perSecond);
    }

    /** Whether a "host:port" target is on loopback, where tcp_tw_reuse 2 applies. */
    static boolean loopbackTarget(String target) {
        return target.startsWith("127.") || target.startsWith("[::1]") || target.startsWith("::1");
    }

    /** The port of a "host:port" or "[v6]:port" target, or -1. */
    static int targetPort(String target) {
        int colon = target.lastIndexOf(':');
        try {
            return colon < 0 ? -1 : Integer.parseInt(target.substring(colon + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * With --bind-ports the client picks its ports, so the kernel's own port search cannot step
     * around a port the client's TIME_WAIT holds: bind() refuses it (EADDRINUSE), or with
     * SO_REUSEADDR takes it and connect() refuses the same four-tuple (EADDRNOTAVAIL) unless the
     * kernel takes that TIME_WAIT over, which it did as often with tcp_tw_reuse 0 as with 2. On
     * loopback, 4 ports at concurrency 4 completed 4 of 300 connections, 38-69 with --reuse-addr,
     * 300 with --linger 0 (docs/tcp.md).
     */
    static void boundPortsNote(StringBuilder b, JsonNode s) {
        JsonNode sc = s.path("scenario");
        String ports = sc.path("bindPorts").asText("");
        String closer = sc.path("closer").asText();
        boolean clientHoldsTimeWait = (closer.equals("client") || closer.equals("half")) && sc.path("linger").asText().equals("off");
        long inUse = s.at("/failures/eaddrinuse/count").asLong(0);
        long notAvailable = s.at("/failures/eaddrnotavail/count").asLong(0);
        // Only TIME_WAIT the run left can hold a port: a warm-up closes with SO_LINGER 0 and leaves none, and a run that
        // ended there was told its ports were held by TIME_WAIT when there had been none (QA, 2026-12-06).
        boolean noTimeWait = s.at("/states/peak/TIME_WAIT").isNumber() && s.at("/states/peak/TIME_WAIT").asLong() == 0;
        if (ports.isEmpty() || !clientHoldsTimeWait || inUse + notAvailable == 0 || s.path("endedInWarmup").asBoolean(false)
                || noTimeWait) {
            return;
        }
        line(b, "  note        %s found no port: the client closes first, so each port of --bind-ports",
                counted(inUse + notAvailable, "connection"));
        line(b, "              %s is held for 60 s by the TIME_WAIT of its last connection. bind() refuses", ports);
        // Only a TIME_WAIT whose socket had SO_REUSEADDR too lets a bind with it through: an earlier run's made without
        // --reuse-addr refused 150 of 150 such binds, where the note said --reuse-addr takes the port (QA, 2026-12-06).
        line(b, "              such a port (EADDRINUSE); with --reuse-addr it takes it when that TIME_WAIT's socket had");
        line(b, "              SO_REUSEADDR too (one left by a run without --reuse-addr, never), and connect() refuses");
        line(b, "              the same four-tuple (EADDRNOTAVAIL) unless the kernel takes that TIME_WAIT over");
        line(b, "              (TWRecycled %+,d;", s.at("/kernel/TWRecycled").asLong(0));
        line(b, "              net.ipv4.tcp_tw_reuse has no say for a port bound before connect()). --linger 0 leaves");
        line(b, "              no TIME_WAIT, --closer server leaves it on the server, and a wider range (or no");
        line(b, "              --bind-ports) gives the kernel more ports to choose from");
    }
}
