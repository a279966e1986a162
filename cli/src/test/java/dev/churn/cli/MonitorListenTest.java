package dev.churn.cli;

import static dev.churn.cli.CliRun.churn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.churn.monitor.EphemeralPorts;
import dev.churn.monitor.KnownSockets;
import dev.churn.monitor.TcpState;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * {@code churn monitor --listen}: the exposition a real Prometheus scrapes and queries, what
 * promtool thinks of it, and the bad addresses.
 */
class MonitorListenTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern SERVING = Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)/metrics");

    private static void assertUsage(CliRun r, String reason) {
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.getFirst().startsWith("churn monitor: "), r.err());
        assertTrue(lines.getFirst().contains("--listen"), r.err());
        assertTrue(lines.getFirst().contains(reason), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        assertEquals("", r.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "nohost.invalid:1 | unknown host 'nohost.invalid'",
        "127.0.0.1:65536 | the port must be a number in 0..65535",
        "99999 | the port must be a number in 0..65535",
        "127.0.0.1:-1 | the port must be a number in 0..65535",
        ":9464 | has no host",
        "::1:9464 | in brackets",
    })
    void aBadAddressIsOneLineAndExitTwo(String listen, String reason) {
        assertUsage(churn("monitor", "--listen", listen, "--count", "1"), reason);
    }

    @Test
    void noHostWithoutDomainIsUnknownToo() {
        assertUsage(churn("monitor", "--listen", "nohost:1", "--count", "1"), "unknown host 'nohost'");
    }

    @Test
    void aPortInUseIsOneLineAndExitTwo() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            CliRun r = churn("monitor", "--listen", "127.0.0.1:" + taken.getLocalPort(), "--count", "1");
            assertUsage(r, "cannot serve on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void onceIsRefused() {
        assertUsage(churn("monitor", "--listen", "9464", "--once"), "not with --once");
    }

    @Test
    void portAloneBindsLoopback() {
        ListenAddress a = ListenAddress.parse("9464");
        assertTrue(a.address().isLoopbackAddress(), a.toString());
        assertEquals(9464, a.port());
        assertEquals("[::1]:9464", ListenAddress.parse("[::1]:9464").authority(9464));
    }

    @Test
    void kernelNamesBecomeSnakeCase() {
        assertEquals("active_opens", PrometheusEndpoint.snakeCase("ActiveOpens"));
        assertEquals("tcp_time_wait_overflow", PrometheusEndpoint.snakeCase("TCPTimeWaitOverflow"));
        assertEquals("delayed_acks", PrometheusEndpoint.snakeCase("DelayedACKs"));
        assertEquals("tw_killed", PrometheusEndpoint.snakeCase("TWKilled"));
        assertEquals("tw", PrometheusEndpoint.snakeCase("TW"));
        assertEquals("tcpmd5_failure", PrometheusEndpoint.snakeCase("TCPMD5Failure"));
    }

    /** Runs churn monitor in this JVM on a thread, and returns what /metrics served while it ran. */
    private static CliRun serveOnce(String... args) throws Exception {
        return serveOnce(MonitorListenTest::awaitExposition, args);
    }

    /** What is done with the port /metrics is served on, while it is: a scrape, whose body is returned. */
    private interface Scrape {
        String at(int port) throws Exception;
    }

    private static CliRun serveOnce(Scrape scrape, String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int[] code = {-1};
        Thread t = Thread.ofPlatform().start(() -> code[0] = cl.execute(args));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            Matcher m = SERVING.matcher("");
            while (t.isAlive() && System.nanoTime() < deadline && !(m = SERVING.matcher(err.toString())).find()) {
                Thread.sleep(20);
            }
            assertTrue(m.find(0), () -> "did not say where it serves: " + err);
            String metrics = scrape.at(Integer.parseInt(m.group(1)));
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(t.isAlive(), "--count did not end it");
            assertEquals(ExitCodes.OK, code[0], err.toString());
            return new CliRun(code[0], out.toString(), metrics);
        } finally {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    /**
     * Clients that send a request a header line at a time held both threads of the endpoint's pool, and every scrape
     * timed out for as long as they kept on; scrapers that hung up printed a SEVERE stack trace each (QA, 2026-12-06).
     */
    @Test
    void slowClientsDoNotHoldUpAScrape() throws Exception {
        List<java.net.Socket> slow = new java.util.ArrayList<>();
        try {
            CliRun r = serveOnce(port -> {
                awaitExposition(port);
                for (int i = 0; i < 4; i++) {
                    java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port);
                    slow.add(s);
                    s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                Thread.sleep(300);
                // And one that asks, then hangs up before the answer.
                try (java.net.Socket gone = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                    gone.setSoLinger(true, 0);
                    gone.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(3)).build();
                return HTTP.send(get, HttpResponse.BodyHandlers.ofString()).body();
            }, "monitor", "--listen", "127.0.0.1:0", "--interval", "200ms", "--count", "20");
            assertTrue(r.err().contains("churn_tcp_sockets"), r.err());
        } finally {
            for (java.net.Socket s : slow) {
                s.close();
            }
        }
    }

    /** Only /metrics answers the metrics: / is 404 and says where they are (the exporter answered them there). */
    @Test
    void theRootIsNotFoundAndSaysWhereTheMetricsAre() throws Exception {
        CliRun r = serveOnce(port -> {
            awaitExposition(port);
            HttpResponse<String> root = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> typo = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metric"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return root.statusCode() + " " + root.body() + typo.statusCode() + " " + typo.body();
        }, "monitor", "--listen", "127.0.0.1:0", "--interval", "200ms", "--count", "20");
        assertEquals("404 churn monitor serves its metrics at /metrics\n404 churn monitor serves its metrics at /metrics\n",
                r.err()); // the scrape's answers
    }

    @Test
    void eachPortGivenHasItsOwnSeriesAndTheCsvGoesOn() throws Exception {
        try (KnownSockets one = KnownSockets.ipv4(0, 1, 0); KnownSockets two = KnownSockets.ipv4(0, 2, 0)) {
            // Listed, and one of them given again: two ports, each once.
            CliRun r = serveOnce("monitor", "--port", one.port() + "," + two.port(), "--port", Integer.toString(one.port()),
                    "--listen", "127.0.0.1:0", "--interval", "200ms", "--count", "10", "--format", "csv");
            String metrics = r.err();
            assertTrue(metrics.contains("churn_tcp_sockets{port=\"" + one.port() + "\",state=\"CLOSE_WAIT\"} 1.0"), metrics);
            assertTrue(metrics.contains("churn_tcp_sockets{port=\"" + two.port() + "\",state=\"CLOSE_WAIT\"} 2.0"), metrics);
            assertEquals(22, metrics.lines().filter(l -> l.startsWith("churn_tcp_sockets{")).count(), metrics);
            assertEquals(11, r.out().lines().count(), "csv header and 10 rows: " + r.out());
        }
    }

    /**
     * With several --port, /metrics counts each port apart; that count must not redo the sample's
     * dump, or the headroom written for the sample would be the last port's alone.
     */
    @Test
    void perPortCountsLeaveTheSamplesHeadroomWhole() throws Exception {
        try (KnownSockets one = KnownSockets.ipv4(1, 0, 0); KnownSockets two = KnownSockets.ipv4(2, 0, 0)) {
            CliRun r = serveOnce("monitor", "--port", Integer.toString(one.port()), "--port", Integer.toString(two.port()),
                    "--listen", "127.0.0.1:0", "--interval", "200ms", "--count", "10", "--format", "json", "--headroom");
            assertTrue(r.err().contains("churn_tcp_destination_ports_used{local=\"127.0.0.1\",remote=\"127.0.0.1:"
                    + two.port() + "\"} 2.0"), r.err());
            ObjectMapper json = new ObjectMapper();
            List<String> lines = r.out().lines().toList();
            assertEquals(10, lines.size(), r.out());
            for (String line : lines) {
                assertEquals(2, json.readTree(line).get("headroom").get("destinations").size(), line);
            }
        }
    }

    @Test
    void withoutPortTheWholeMachineHasNoPortLabelAndAloneNothingElseIsWritten() throws Exception {
        try (KnownSockets known = KnownSockets.ipv4(1, 0, 0)) {
            CliRun r = serveOnce("monitor", "--listen", "127.0.0.1:0", "--interval", "200ms", "--count", "10");
            List<String> series = r.err().lines().filter(l -> l.startsWith("churn_tcp_sockets{")).toList();
            assertEquals(11, series.size(), r.err());
            assertTrue(series.stream().noneMatch(l -> l.contains("port=")), series.toString());
            String listen = series.stream().filter(l -> l.contains("state=\"LISTEN\"")).findFirst().orElseThrow();
            assertTrue(Double.parseDouble(listen.substring(listen.lastIndexOf(' ') + 1)) >= 1, listen);
            assertEquals("", r.out());
        }
    }

    /**
     * The whole path: churn serves, promtool accepts the exposition, a real Prometheus scrapes it
     * every second and its query API answers the CLOSE_WAIT sockets left on a known port.
     */
    @Test
    void prometheusScrapesTheKnownCloseWaitCount(@TempDir Path dir) throws Exception {
        Path prometheus = onPath("prometheus");
        Path promtool = onPath("promtool");
        assumeTrue(prometheus != null, "no prometheus binary on PATH (Debian: apt-get install prometheus; .ci/run does)");
        assumeTrue(promtool != null, "no promtool on PATH (Debian's prometheus package has it)");
        int closeWait = 3;
        try (KnownSockets known = KnownSockets.ipv4(1, closeWait, 0)) {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process churn = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "monitor", "--port", Integer.toString(known.port()), "--interval", "200ms",
                    "--duration", "90s", "--listen", "127.0.0.1:0", "--headroom")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("churn.txt").toFile())
                    .start();
            Process prom = null;
            try {
                int metricsPort = awaitServing(churn, dir.resolve("churn.txt"));
                String exposition = awaitExposition(metricsPort);
                assertTrue(exposition.contains("churn_tcp_sockets{port=\"" + known.port() + "\",state=\"CLOSE_WAIT\"} "
                        + closeWait + ".0"), exposition);
                for (TcpState s : TcpState.values()) {
                    assertTrue(exposition.contains("state=\"" + s.name() + "\"}"), "zeros included: " + s);
                }
                assertTrue(exposition.contains("# TYPE churn_tcp_kernel_active_opens_total counter"), exposition);
                assertTrue(exposition.contains("# TYPE churn_tcp_kernel_curr_estab gauge"), exposition);
                assertTrue(exposition.contains("churn_monitor_sample_seconds "), exposition);
                assertTrue(exposition.contains("churn_tcp_sockstat_timewait "), exposition);
                // Which build serves: the commit these classes were built from.
                dev.churn.bench.result.ChurnBuild build = dev.churn.bench.result.ChurnBuild.current();
                assertTrue(exposition.contains("churn_build_info{commit=\"" + build.commit() + "\",dirty=\""
                        + (build.dirty() == null ? "unknown" : build.dirty()) + "\",version=\"" + build.version() + "\"} 1"),
                        exposition);
                // The clients hold ports towards the known port: one ESTABLISHED and the FIN_WAIT2 of each half-close.
                String destination = "{local=\"127.0.0.1\",remote=\"127.0.0.1:" + known.port() + "\"}";
                int clients = 1 + closeWait;
                assertTrue(exposition.contains("churn_tcp_destination_ports_used" + destination + " " + clients + ".0"), exposition);
                // The range less its reserved ports and the ports of listeners in it, which this host's other tests
                // open and close meanwhile: at most the range's, and less the known listener's own when it lies there.
                EphemeralPorts range = EphemeralPorts.read(Path.of("/proc"));
                String name = "churn_tcp_destination_ports_available" + destination + " ";
                int at = exposition.indexOf(name);
                assertTrue(at >= 0, exposition);
                double available = Double.parseDouble(exposition.substring(at + name.length(), exposition.indexOf('\n', at)));
                assertTrue(available <= range.available() - (range.offers(known.port()) ? 1 : 0) && available > 0,
                        available + " of " + range.available() + ": " + exposition);
                assertEquals("", promtoolCheck(promtool, exposition, dir));

                int webPort = freeLoopbackPort();
                Path config = dir.resolve("prometheus.yml");
                Files.writeString(config, """
                        global:
                          scrape_interval: 1s
                          scrape_timeout: 900ms
                        scrape_configs:
                          - job_name: churn
                            static_configs:
                              - targets: ['127.0.0.1:%d']
                        """.formatted(metricsPort));
                prom = new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
                        "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + webPort)
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("prometheus.txt").toFile())
                        .start();
                String query = "churn_tcp_sockets{state=\"CLOSE_WAIT\",port=\"" + known.port() + "\"}";
                JsonNode result = awaitQuery(prom, webPort, query, dir.resolve("prometheus.txt"));
                assertEquals(1, result.size(), result.toString());
                assertEquals(Integer.toString(closeWait), result.get(0).get("value").get(1).asText(), result.toString());
                JsonNode used = awaitQuery(prom, webPort,
                        "churn_tcp_destination_ports_used{remote=\"127.0.0.1:" + known.port() + "\"}", dir.resolve("prometheus.txt"));
                assertEquals(1, used.size(), used.toString());
                assertEquals(Integer.toString(1 + closeWait), used.get(0).get("value").get(1).asText(), used.toString());
            } finally {
                if (prom != null) {
                    prom.destroy();
                    if (!prom.waitFor(20, TimeUnit.SECONDS)) {
                        prom.destroyForcibly();
                    }
                }
                churn.destroy();
                if (!churn.waitFor(20, TimeUnit.SECONDS)) {
                    churn.destroyForcibly();
                }
            }
        }
    }

    private static Path onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(d.isEmpty() ? "." : d, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static int awaitServing(Process churn, Path console) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Matcher m = SERVING.matcher(Files.readString(console));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            assertTrue(churn.isAlive(), () -> "churn monitor ended: " + read(console));
            Thread.sleep(50);
        }
        throw new AssertionError("churn monitor did not say where it serves: " + read(console));
    }

    // The first sample is taken right after the server starts; until then /metrics is empty.
    private static String awaitExposition(int port) throws Exception {
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String body = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = HTTP.send(get, HttpResponse.BodyHandlers.ofString());
            body = r.body();
            if (r.statusCode() == 200 && body.contains("churn_tcp_sockets")) {
                return body;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no churn_tcp_sockets within 20 s: " + body);
    }

    /** promtool's complaints about the exposition, or "" when it passes. */
    private static String promtoolCheck(Path promtool, String exposition, Path dir) throws Exception {
        Path text = dir.resolve("metrics.txt");
        Files.writeString(text, exposition);
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics")
                .redirectInput(text.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("promtool.txt").toFile())
                .start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
        String said = read(dir.resolve("promtool.txt")).strip();
        return p.exitValue() == 0 ? said : "exit " + p.exitValue() + ": " + said;
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    // Prometheus needs a few seconds to start and a scrape or two before the series exists.
    private static JsonNode awaitQuery(Process prom, int webPort, String query, Path console) throws Exception {
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/api/v1/query?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(5)).build();
        ObjectMapper json = new ObjectMapper();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < deadline) {
            assertTrue(prom.isAlive(), () -> "prometheus ended: " + read(console));
            try {
                HttpResponse<String> r = HTTP.send(get, HttpResponse.BodyHandlers.ofString());
                last = r.body();
                if (r.statusCode() == 200) {
                    JsonNode result = json.readTree(last).path("data").path("result");
                    if (result.size() > 0) {
                        return result;
                    }
                }
            } catch (IOException notUpYet) {
                last = notUpYet.toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("prometheus had no " + query + " within 60 s; last answer: " + last
                + "; its log: " + read(console));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
