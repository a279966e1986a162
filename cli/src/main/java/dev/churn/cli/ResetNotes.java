package dev.churn.cli;

import static dev.churn.cli.TableText.counted;
import static dev.churn.cli.TableText.note;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The notes of a run's table that name who sent the resets a run did not ask for: a server gone or resetting, another
 * process in the same network namespace, data the client left unread (TLS tickets, close_notify), or an RST that met
 * a TIME_WAIT (RFC 1337's assassination). Each reads summary.json; those that return a boolean say whether they spoke,
 * so that one cause is named, not three.
 */
final class ResetNotes {

    private ResetNotes() {}

    /**
     * Under TLS a server may send data after the client has stopped reading: a TLS 1.3 server's session tickets,
     * sent after the handshake (to a client that reads nothing), or a close_notify answering the client's (OpenSSL's
     * s_server does, under either version). A client that closes with data unread sends an RST (TCPAbortOnClose),
     * and one that has closed when data arrives answers it with an RST (TCPAbortOnData): the connection ends without
     * TIME_WAIT. Without TLS on the client the same comes of a response longer than the client reads, or of a TLS
     * server answering a plain client with an alert: measured 2026-12-05, 50 plain connections against 'churn serve
     * --tls', OutRsts +50, TCPAbortOnData +50, TW +0 on some runs (the alert came before the client's socket was a
     * timewait one; on others TW +50 and EstabResets +50, which the assassination note's wrote-after-close case names).
     * The kernel counts those aborts, which RFC 1337's assassination does not, so this is said instead of
     * the assassination note. Measured 2026-12-04: the JDK's server with tickets reset 989 of 1,000 connections of a
     * TLS 1.3 client that read nothing, which is why the built-in sink issues them only with --tls-resume; s_server
     * reset 44-51 of 300 with or without tickets (-num_tickets 0). True when said.
     */
    static boolean unreadServerDataNote(StringBuilder b, JsonNode s) {
        JsonNode sc = s.path("scenario");
        long resets = closeResets(s);
        long onData = s.at("/kernel/TCPAbortOnData").asLong(0);
        long onClose = s.at("/kernel/TCPAbortOnClose").asLong(0);
        if (!clientFinsFirst(sc) || resets <= 0 || onData + onClose <= 0) {
            return false;
        }
        boolean tls = sc.path("tls").isObject();
        // Handshakes that failed leave what the server sent unread (its alert, or a server that speaks no TLS: its
        // answer), and the client's close resets: no ticket or close_notify was ever sent then, which the note below
        // blamed on 5 failed handshakes of 5 against a plain server (QA, 2026-12-06).
        long failedHandshakes = s.at("/failures/tls_handshake/count").asLong(0) + s.at("/failures/tls_version/count").asLong(0)
                + s.at("/failures/tls_certificate/count").asLong(0);
        if (tls && failedHandshakes > 0 && onData + onClose <= failedHandshakes) {
            note(b, "note", String.format(Locale.ROOT, "the kernel sent %s in a run that closes without them: %s failed,"
                    + " and a client whose handshake fails closes with what the server sent still unread (its alert, or the"
                    + " answer of a server that speaks no TLS), which sends an RST (TCPAbortOnClose %+,d, TCPAbortOnData"
                    + " %+,d); see docs/tls.md", sentRsts(s), counted(failedHandshakes, "TLS handshake"), onClose, onData));
            return true;
        }
        boolean tickets = unreadTickets(sc);
        // Without TLS on the client: a response longer than it reads, a greeting, or a TLS server's alert
        // answering a plain client's bytes (measured 2026-12-05: a plain run against 'churn serve --tls').
        // A close_notify is also a server's own when it closes first: against 'churn serve --no-tls-tickets --closer
        // server' the note had named only tickets and an answer to the client's (QA, 2026-12-06).
        String what = tls ? (tickets ? "TLS 1.3 session tickets, which a server sends after the handshake, or " : "")
                + "a close_notify answering the client's, or its own when it closes first"
                : "more of a response than --response reads, a greeting, or a TLS server's alert answering a client"
                + " that speaks no TLS";
        note(b, "note", String.format(Locale.ROOT, "the kernel sent %s in a run that closes without them:"
                + " the server sent data after its client had stopped reading (%s). A client that closes with data"
                + " unread sends an RST (TCPAbortOnClose %+,d), and one that has closed when data arrives answers it"
                + " with an RST (TCPAbortOnData %+,d): the connection ends without TIME_WAIT. --closer half reads to"
                + " the server's close, and --closer server matches a server that closes first%s; see %s",
                sentRsts(s), what, onClose, onData,
                tickets ? ", a --response or --http reads the tickets, and the built-in sink issues none without"
                        + " --tls-resume ('churn serve --tls 1.3 --no-tls-tickets' none at all)" : "",
                tls ? "docs/tls.md" : "docs/tcp.md"));
        return true;
    }

    /**
     * Tickets unread, and the client's aborts on them (TCPAbortOnData, TCPAbortOnClose) at least half the
     * RSTs the closes sent: 186 aborts on data of 245 RSTs there. Late answers after timeouts with an abort or
     * two among them are not that (the timeouts' note names them).
     */
    static boolean ticketsAbortedMost(JsonNode s) {
        long aborts = s.at("/kernel/TCPAbortOnData").asLong(0) + s.at("/kernel/TCPAbortOnClose").asLong(0);
        return unreadTickets(s.path("scenario")) && aborts > 0 && aborts * 2 >= closeResets(s);
    }

    /** A TLS 1.3 client that reads nothing after the handshake: a server's session tickets reach it unread. */
    private static boolean unreadTickets(JsonNode sc) {
        return sc.path("tls").isObject() && "1.3".equals(sc.at("/tls/version").asText()) && sc.path("responseBytes").asLong(0) == 0
                && !sc.has("http");
    }

    /**
     * The RSTs of OutRsts that the run's closes may have sent: less those of connects refused on a
     * loopback target and those answering late data after timeouts ({@link #lateAnswers}). A refused
     * connect draws its RST from the refusing host's kernel, which OutRsts counts like any other:
     * measured 2026-12-04, a run against a 'churn serve' that stopped mid-run counted 293 OutRsts,
     * 292 of them answers to refused SYNs. A refusal by another host, or by another network
     * namespace, is that one's RST, counted there.
     */
    private static long closeResets(JsonNode s) {
        long resets = s.at("/kernel/OutRsts").asLong(0);
        return Math.max(0, resets - refusedHere(s) - lateAnswers(s));
    }

    /**
     * The RSTs taken for answers to data that came after a client gave up: a cycle that timed out
     * once connected closes its socket, and what the server sends after (a handshake or a response
     * running late) draws an RST from the client's kernel. Measured 2026-12-04, {@code --tls 1.3
     * --rate 2000} far past the sink's capacity: 65 handshakes timed out, OutRsts +65, TCPAbortOnData
     * +1. Only where the client closes first, so that each completed cycle leaves one timewait socket
     * (TW): the ones beyond the completed cycles are connected cycles that failed, and so are the
     * closes the kernel counts as aborted on data (TCPAbortOnData, TCPAbortOnClose: late data that
     * met a socket not yet timewait; 1 of the 65 above), while a connect that timed out left neither
     * and draws no late data. At most the RSTs left after the refusals'.
     */
    private static long lateAnswers(JsonNode s) {
        if (!clientFinsFirst(s.path("scenario"))) {
            return 0;
        }
        long connectedFailures = Math.max(0, s.at("/kernel/TW").asLong(0) - s.at("/connections/completed").asLong(0))
                + s.at("/kernel/TCPAbortOnData").asLong(0) + s.at("/kernel/TCPAbortOnClose").asLong(0);
        long timedOut = Math.min(s.at("/failures/timeout/count").asLong(0), connectedFailures);
        return Math.min(timedOut, Math.max(0, s.at("/kernel/OutRsts").asLong(0) - refusedHere(s)));
    }

    /**
     * Connections reset while open, which a run whose client closes first with a FIN never has: the
     * kernel counts EstabResets when an established or CLOSE_WAIT socket goes straight to CLOSE (an
     * RST received, or an abortive close), never on the FIN path. The RST that assassinates a
     * TIME_WAIT on loopback reaches a server socket already gone, so it adds none. What it counts
     * beyond the client's own aborts (a close with data unread, data after a close) and the sink's
     * reset of connections it never accepted is a server that wrote after its client had closed, the
     * client's kernel answering with an RST. Measured 2026-12-04: a plain client against {@code churn
     * serve --tls} (the server's TLS alert answers the client's FIN), 50 connections, OutRsts +50,
     * EstabResets +50, TCPAbortOnData +0, no TIME_WAIT left. At most the close's RSTs.
     */
    static long wroteAfterClose(JsonNode s) {
        if (!clientFinsFirst(s.path("scenario"))) {
            return 0;
        }
        long unaccepted = s.at("/scenario/builtInSink").asBoolean(false) ? s.at("/acceptPairing/connectsWithoutAccept").asLong(0) : 0;
        long resetOpen = s.at("/kernel/EstabResets").asLong(0) - s.at("/kernel/TCPAbortOnData").asLong(0)
                - s.at("/kernel/TCPAbortOnClose").asLong(0) - unaccepted;
        return Math.max(0, Math.min(resetOpen, closeResets(s)));
    }

    /**
     * The server's late data may reach a client socket still closing (FIN_WAIT1, or with data unread) rather than
     * timewait: the kernel aborts it then, and it never enters TIME_WAIT. Measured 2026-12-05, a plain client against
     * 'churn serve --tls': TW +27, TCPAbortOnData +23, EstabResets +50 for 50 connections.
     */
    private static String abortedBeforeTimewait(JsonNode s) {
        long aborted = s.at("/kernel/TCPAbortOnData").asLong(0) + s.at("/kernel/TCPAbortOnClose").asLong(0);
        if (aborted <= 0) {
            return "";
        }
        return String.format(Locale.ROOT, "; %s aborted before %s a timewait socket, the data reaching %s"
                + " still closing (TCPAbortOnData %+,d, TCPAbortOnClose %+,d), and left no TIME_WAIT at all",
                counted(aborted, "more connection") + (aborted == 1 ? " was" : " were"), aborted == 1 ? "it was" : "they were",
                aborted == 1 ? "it" : "them", s.at("/kernel/TCPAbortOnData").asLong(0), s.at("/kernel/TCPAbortOnClose").asLong(0));
    }

    /** The client closes first with a FIN (closer client or never, linger off): its closes send no RST by design. */
    private static boolean clientFinsFirst(JsonNode scenario) {
        String closer = scenario.path("closer").asText();
        return (closer.equals("client") || closer.equals("never")) && scenario.path("linger").asText().equals("off");
    }

    /** The refused connects whose RSTs this host's kernel sent: all of them on a loopback target, else none. */
    private static long refusedHere(JsonNode s) {
        String target = s.at("/scenario/target").asText("");
        boolean loopback = s.at("/scenario/builtInSink").asBoolean(false) || target.startsWith("127.")
                || target.startsWith("[::1]:") || target.startsWith("localhost:");
        return loopback ? s.at("/failures/econnrefused/count").asLong(0) : 0;
    }

    /** "12 RSTs (OutRsts)", and the refusals' and the timeouts' RSTs left out when there were some. */
    private static String sentRsts(JsonNode s) {
        long refused = Math.min(refusedHere(s), s.at("/kernel/OutRsts").asLong(0));
        long late = lateAnswers(s);
        List<String> less = new ArrayList<>();
        if (refused > 0) {
            less.add(String.format(Locale.ROOT, "%,d that answered connects refused on loopback", refused));
        }
        if (late > 0) {
            less.add(String.format(Locale.ROOT, "%,d for cycles that timed out", late));
        }
        return counted(closeResets(s), "RST")
                + (less.isEmpty() ? " (OutRsts)" : " (OutRsts, less " + String.join(" and ", less) + ")");
    }

    /**
     * TW counts the sockets that entered TIME_WAIT; fewer remain when something ended some early.
     * With net.ipv4.tcp_rfc1337=0 (the default) an RST that reaches a TIME_WAIT socket ends it at once:
     * RFC 1337's "TIME_WAIT assassination". On loopback a closing server's late duplicate ACK does it:
     * the TIME_WAIT answers it, the server, already closed, answers that with RST. An RST ends one
     * TIME_WAIT at most, so that is said only as far as OutRsts covers the count (runs that send no
     * RST by design: linger off, no abort). When the server closes first the TIME_WAIT are the
     * server's, and the client, which keeps none, may take a port again at once: the new SYN on the
     * same four-tuple ends the server's TIME_WAIT (Linux takes it when its sequence number or
     * timestamp is newer: RFC 1122 4.2.2.13, RFC 6191), and no counter of the kernel's says so.
     */
    static boolean assassinationNote(StringBuilder b, JsonNode s) {
        JsonNode sc = s.path("scenario");
        long resets = closeResets(s);
        long entered = s.at("/kernel/TW").asLong(0);
        // A TIME_WAIT whose port connect() took over (tcp_tw_reuse) is gone too, and counted apart.
        long reused = s.at("/kernel/TWRecycled").asLong(0);
        // Those there before the run are counted in: how many of them outlived it is not known (each ends 60 s after
        // it began), so their number taken off counted an earlier run's TIME_WAIT that expired during this one as this
        // run's losses, 5,000 of 5,000 (QA, 2026-12-06). Counted in, they can hide some of this run's: no note then.
        long left = s.at("/states/final/TIME_WAIT").asLong(-1);
        long missing = entered - reused - left;
        boolean abortive = !sc.path("linger").asText().equals("off") || sc.path("closer").asText().equals("abort");
        // Or a server of its own that closes first whatever --closer says (nginx answering Connection: close): 4,456 of
        // 4,640 on its side, 360 missing, and no note (QA, 2026-12-06). Its side's share, where the source could tell.
        // The sides count the TIME_WAIT there before the run too: read only when there were none (QA, 2026-12-06: an
        // earlier --closer server run's made a --closer client run's "the server closes first").
        JsonNode sides = s.at("/states/finalTimeWaitSides");
        boolean serverHolds = sc.path("closer").asText().equals("server")
                || s.at("/states/before/TIME_WAIT").asLong(0) == 0 && sides.path("server").asLong(0) > sides.path("client").asLong(0);
        // Past TCP_TIMEWAIT_LEN (60 s) TIME_WAIT also ends by its own timer: then nothing adds up.
        boolean outlived = s.path("durationSeconds").asDouble(0) >= 60;
        boolean rfc1337Off = "0".equals(s.at("/environment/sysctls/net.ipv4.tcp_rfc1337").asText("0"));
        long late = lateAnswers(s);
        if (abortive || outlived || left < 0 || missing <= 0 || (resets <= 0 && late <= 0 && !serverHolds)) {
            return false;
        }
        if (late > 0 && missing <= late + resets) {
            // A cycle that timed out left a FIN_WAIT2 (TW counts it); the RST answering the server's late data ends it.
            note(b, "note", String.format(Locale.ROOT, "%s ended early: TW %+,d entered the kernel's timewait state"
                    + " (TIME_WAIT, or FIN_WAIT2 after a client's close), %,d remain in TIME_WAIT on the run's ports: %s"
                    + " timed out once connected%s, and a client that gives up closes; the server's data that comes after"
                    + " (a handshake or a response running late) draws an RST from the client's kernel, which ends that"
                    + " FIN_WAIT2 at once"
                    + "%s; see docs/tcp.md", counted(missing, "timewait socket"), entered, left, counted(late, "cycle"),
                    // Counted as far as the RSTs go: 190 said beside 202 timeouts in the failures line (QA, 2026-12-06).
                    s.at("/failures/timeout/count").asLong(0) > late ? String.format(Locale.ROOT, " (as many as the kernel"
                            + " sent RSTs for, of %,d that timed out)", s.at("/failures/timeout/count").asLong(0)) : "",
                    resets > 0 ? "; and the kernel sent " + sentRsts(s) + " besides, which may have ended some" : ""));
            return true;
        }
        String head = String.format(Locale.ROOT, "%s ended early: TW %+,d entered TIME_WAIT, %,d remain on the run's ports%s",
                counted(missing, "TIME_WAIT socket"), entered, left,
                reused > 0 ? String.format(Locale.ROOT, ", %,d were reused (TWRecycled)", reused) : "");
        String rsts = "the kernel sent " + sentRsts(s) + " in a run that closes without them";
        String assassination = "an RST that reaches a TIME_WAIT ends it at once (net.ipv4.tcp_rfc1337=0, RFC 1337's"
                + " TIME_WAIT assassination)";
        // Connections the built-in sink never accepted (its accept failed: EMFILE, a full queue) wait in
        // the listener's queue, their clients closed and in FIN_WAIT2, which the kernel keeps as a
        // timewait socket and TW counts. Closing the listener resets each of them (inet_csk_listen_stop),
        // and an RST ends a FIN_WAIT2 whatever tcp_rfc1337 says: those RSTs are not the close's.
        long unaccepted = sc.path("builtInSink").asBoolean(false) ? s.at("/acceptPairing/connectsWithoutAccept").asLong(0) : 0;
        // What ended them when it was not (only) an RST reaching a TIME_WAIT: the FIN_WAIT2 they were.
        Function<String, String> timewaitHead = after -> String.format(Locale.ROOT, "%s ended early: TW %+,d entered the"
                + " kernel's timewait state (TIME_WAIT, or FIN_WAIT2 after %s), %,d remain in TIME_WAIT on the run's ports%s",
                counted(missing, "timewait socket"), entered, after, left,
                reused > 0 ? String.format(Locale.ROOT, ", %,d were reused (TWRecycled)", reused) : "");
        long wrote = wroteAfterClose(s);
        String note;
        if (unaccepted > 0 && resets > 0) {
            note = timewaitHead.apply("a close the server did not answer") + String.format(Locale.ROOT, ", and the kernel"
                    + " sent %s: %s the built-in sink never accepted still waited in its accept"
                    + " queue when it closed its listener, which resets each, and an RST ends the client's FIN_WAIT2 at once;"
                    + " that explains %,d of them at most; see docs/tcp.md",
                    sentRsts(s), counted(unaccepted, "connection"), Math.min(resets, unaccepted));
        } else if (wrote > 0) {
            // The count is derived (wroteAfterClose): EstabResets itself also holds the kernel's own aborts, and read
            // as "22 ... (EstabResets +267)" the note disagreed with the counter it quoted (QA, 2026-12-06).
            long estab = s.at("/kernel/EstabResets").asLong(0);
            String others = wrote >= estab ? "" : String.format(Locale.ROOT, "; the others the kernel counts as its own"
                    + " aborts, TCPAbortOnData %+,d and TCPAbortOnClose %+,d", s.at("/kernel/TCPAbortOnData").asLong(0),
                    s.at("/kernel/TCPAbortOnClose").asLong(0));
            String resetOpen = String.format(Locale.ROOT, ", and the kernel sent %s in a run that closes without them, while"
                    + " %s reset open (%sEstabResets %+,d: an established or CLOSE_WAIT socket ended by an RST, which a close"
                    + " by FIN never does%s): ", sentRsts(s), counted(wrote, "connection") + (wrote == 1 ? " was" : " were"),
                    wrote >= estab ? "" : String.format(Locale.ROOT, "%,d of ", wrote), estab, others);
            String explains = String.format(Locale.ROOT, "%,d of them at most", Math.min(missing, wrote));
            if (sc.path("builtInSink").asBoolean(false)) {
                note = timewaitHead.apply("the client's close") + resetOpen + "the server wrote after its client had closed,"
                        + " and data that reaches a client socket already closed draws an RST from the client's kernel, which"
                        + " ends its FIN_WAIT2 at once. A server that speaks first (TLS, a greeting) or sends a response the"
                        + " client does not read (--response N reads it) does this; that explains " + explains
                        + abortedBeforeTimewait(s)
                        + "; see docs/tcp.md";
            } else {
                // Against a server not ours, the counters (the whole namespace's) cannot tell whose socket was closed
                // when data reached it: nginx closing first met the client's TLS close_notify, and its kernel sent every
                // RST (a capture on lo, 2026-12-05), where s_server's late data drew the client's. Both are said.
                note = timewaitHead.apply("a close") + resetOpen + "one side wrote after the other had closed, and data that"
                        + " reaches a socket already closed draws an RST from its kernel, which ends that side's FIN_WAIT2 at"
                        + " once. A server that speaks first (TLS, a greeting) or sends a response the client does not read"
                        + " does this, and so does a client's TLS close_notify reaching a server that closed first. That"
                        + " explains " + explains + "; which side sent the RSTs, the counters (the whole network namespace's) cannot tell,"
                        + " a capture on lo can" + abortedBeforeTimewait(s) + "; see docs/tcp.md";
            }
        } else if (missing <= resets && rfc1337Off) {
            note = head + ", and " + rsts + ": " + assassination + "; see docs/tcp.md";
        } else if (serverHolds) {
            note = head + ": the server closes first, so the TIME_WAIT are its own, and the client, which keeps"
                    + " none, may take a port again at once; the new connection's SYN ends the server's TIME_WAIT"
                    + " of that four-tuple (Linux takes it when its sequence number or timestamp is newer, RFC 6191)"
                    + (resets > 0 && rfc1337Off ? "; the " + sentRsts(s) + " the kernel sent may have ended some" : "")
                    + "; see docs/tcp.md";
        } else if (rfc1337Off) {
            // An RST ends one TIME_WAIT at most: say what they can explain, and no more.
            note = head + ", and " + rsts + ": " + assassination + String.format(Locale.ROOT,
                    ", which explains %,d of them at most; see docs/tcp.md", resets);
        } else {
            return false;
        }
        note(b, "note", note);
        return true;
    }

    /**
     * A run whose closes send no RST, yet a tenth of its connections or more ended in one, and no note above named a
     * cause: --closer half over TLS against nginx (2026-12-05) reset 300 of 300 and left no TIME_WAIT, without a word.
     * What the counters can say: RSTs ended them, so no TIME_WAIT on either side; not which side sent them.
     */
    /**
     * Connections refused after others had completed: the server's listener went away mid-run (stopped, crashed,
     * restarted). A server process that ends resets what it held, so the run's resets are most likely its: the reset
     * notes blamed a server that speaks first or a TLS close_notify when 'churn serve' had been killed (QA, 2026-12-06).
     * Said instead of them; true when said.
     */
    static boolean serverWentAwayNote(StringBuilder b, JsonNode s) {
        JsonNode refused = s.at("/failures/econnrefused");
        long count = refused.path("count").asLong(0);
        long completed = s.at("/connections/completed").asLong(0);
        if (count < SERVER_GONE_REFUSALS || completed == 0 || !refused.path("firstAtMs").isNumber()) {
            return false;
        }
        long resets = s.at("/kernel/EstabResets").asLong(0);
        // The resets are named only when there were some: "(EstabResets +0) are most likely of its ending" cited a
        // zero as evidence (QA, 2026-12-06).
        note(b, "note", String.format(Locale.ROOT, "the server's port refused %s from %.1f s into the measured span on,"
                + " after others had completed: its listener went away (a server stopped, crashed or restarted mid-run)%s",
                counted(count, "connection"), refused.path("firstAtMs").asDouble() / 1000, resets == 0 ? ""
                        : String.format(Locale.ROOT, ". A server process that ends resets the connections it held, so the"
                        + " resets the kernel counted here (EstabResets %+,d) are most likely of its ending", resets)));
        return true;
    }

    /**
     * Connections the client saw reset (ECONNRESET) for at least half the RSTs: those were the server's. A server that
     * closes with SO_LINGER 0 aborts every connection, and the kernel counts each such close under TCPAbortOnData, the
     * counter a client closing on unread data moves too: 400 of 600 connections reset by a linger-0 server were told
     * "the server sent data after its client had stopped reading" (QA, 2026-12-06). Said instead; true when said.
     */
    static boolean serverResetNote(StringBuilder b, JsonNode s) {
        long reset = s.at("/failures/econnreset/count").asLong(0);
        long resets = closeResets(s);
        if (reset == 0 || resets == 0 || reset * 2 < resets) {
            return false;
        }
        note(b, "note", String.format(Locale.ROOT, "%s failed with ECONNRESET: the server reset them, so at least that"
                + " many of the %s were the server's. A server that closes with SO_LINGER 0 (or an application that"
                + " aborts) sends an RST in place of its FIN, and the kernel counts such a close under TCPAbortOnData"
                + " (%+,d), as it counts a client closing on data it left unread; a capture on lo shows whose each RST"
                + " is; see docs/tcp.md", counted(reset, "connection"), sentRsts(s), s.at("/kernel/TCPAbortOnData").asLong(0)));
        return true;
    }

    /**
     * Connections opened in the namespace besides the run's: ActiveOpens (the namespace's) past the connections the run
     * attempted by more than a few (a --join's control connection) and a hundredth. The reset and TIME_WAIT notes read
     * causes from counters that then count the other connections too: beside another client's run at 1,000/s, a run
     * whose 4,000 TIME_WAIT all remained was told "822 TIME_WAIT sockets ended early" (QA, 2026-12-06). Said instead of
     * them; true when said. Runs written before ActiveOpens was read say nothing.
     */
    static boolean sharedNamespaceNote(StringBuilder b, JsonNode s) {
        if (!othersShared(s)) {
            return false;
        }
        // The states are counted on the run's ports: a built-in sink's port is the run's alone, a --target's is every
        // client's of that server (two clients at 1,000/s each: "client 6,641" TIME_WAIT for 4,000 attempted, QA 2026-12-06).
        boolean sharedPort = !s.at("/scenario/builtInSink").asBoolean(false) && s.at("/states").isObject();
        note(b, "note", String.format(Locale.ROOT, "other connections shared this network namespace: ActiveOpens %+,d for"
                + " the %,d this run attempted, so the kernel counters above count theirs too, and no cause of resets or of"
                + " TIME_WAIT that ended early is read from them%s; a namespace of its own (unshare -n, ip netns exec) gives"
                + " counters that are the run's alone", s.at("/kernel/ActiveOpens").asLong(), s.at("/connections/attempted")
                .asLong(0), sharedPort ? ". The TCP states above are every socket on the target's port, so other clients'"
                + " of the same server count in them too" : ""));
        return true;
    }

    /**
     * Connections opened in the namespace besides the run's: ActiveOpens past the connections the run attempted by more
     * than a few (a --join's control connection) and a hundredth. Runs written before ActiveOpens was read: false.
     */
    static boolean othersShared(JsonNode s) {
        JsonNode opens = s.at("/kernel/ActiveOpens");
        long attempted = s.at("/connections/attempted").asLong(0);
        return opens.isNumber() && opens.asLong() - attempted > Math.max(SHARED_NAMESPACE_SLACK, attempted / 100);
    }

    /** Opens past the run's that are not yet another's: a --join's control channel is one. */
    static final int SHARED_NAMESPACE_SLACK = 10;

    /** Refusals after completions that say a server went away: one or two may be a full queue's (tcp_abort_on_overflow). */
    static final int SERVER_GONE_REFUSALS = 10;

    static void resetsNoOtherNoteExplains(StringBuilder b, JsonNode s) {
        JsonNode sc = s.path("scenario");
        boolean abortive = "abort".equals(sc.path("closer").asText()) || "0".equals(sc.path("linger").asText());
        long resets = closeResets(s);
        long completed = s.at("/connections/completed").asLong(0);
        // A full TIME_WAIT table has its own warning, and RSTs of its own (a FIN reaching a connection it forgot).
        boolean tableFull = s.at("/kernel/TCPTimeWaitOverflow").asLong(0) > 0;
        if (abortive || tableFull || completed == 0 || resets * 10 < completed) {
            return;
        }
        note(b, "note", String.format(Locale.ROOT, "the kernel sent %s in a run that closes without them (EstabResets %+,d,"
                + " TCPAbortOnData %+,d, TCPAbortOnClose %+,d): a connection that ends in an RST leaves no TIME_WAIT on"
                + " either side. Data that reached a socket already closed draws one: a server's late data, or a"
                + " client's TLS close_notify reaching a server that closed first; which side sent them, the counters"
                + " (the whole network namespace's) cannot tell, a capture on lo can; see docs/tcp.md", sentRsts(s),
                s.at("/kernel/EstabResets").asLong(0), s.at("/kernel/TCPAbortOnData").asLong(0),
                s.at("/kernel/TCPAbortOnClose").asLong(0)));
    }
}
