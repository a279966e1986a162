package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.control.SessionReport;
import dev.churn.bench.lab.HostProcess;
import dev.churn.bench.lab.LabNetwork;
import dev.churn.bench.lab.NetNamespace;
import dev.churn.bench.result.SummaryJson;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifests cannot drift from the CLI: the container args that deploy/k8s's Deployment and Job
 * declare run, exactly, in the lab's namespaces, one JVM per pod, as the image's entrypoint would
 * run them (java -jar churn.jar ARGS, in the image's working directory). Kubernetes' own parts are
 * played as it plays them: {@code $(VAR)} in args expanded from the container's env, with
 * JOB_COMPLETION_INDEX 0..N-1 as an Indexed Job sets it, and the Service's name resolving to the
 * server pod's address (a hosts file for the clients' JVMs, as cluster DNS would answer). The one
 * value changed is CHURN_DURATION, 60 s in the manifest, 2 s here.
 */
class KubernetesArgsInLabTest {

    private static final String MAIN = Main.class.getName();
    private static final Pattern VAR = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    @Test
    void theDeploymentAndTheJobRunAsOneSessionInTheLab() throws Exception {
        assumeTrue(NetNamespace.permitted(), "network namespaces need root");
        Deployment serve = KubernetesManifestsTest.loadBase("serve-deployment.yaml", Deployment.class);
        Service service = KubernetesManifestsTest.loadBase("serve-service.yaml", Service.class);
        Job job = KubernetesManifestsTest.loadBase("clients-job.yaml", Job.class);
        Container server = serve.getSpec().getTemplate().getSpec().getContainers().getFirst();
        Container client = job.getSpec().getTemplate().getSpec().getContainers().getFirst();
        // No command: the image's entrypoint (the churn jar) gets the args, as here.
        assertTrue(server.getCommand() == null || server.getCommand().isEmpty(), "the serve container keeps the image's entrypoint");
        assertTrue(client.getCommand() == null || client.getCommand().isEmpty(), "the client container keeps the image's entrypoint");
        int n = job.getSpec().getParallelism();

        Path logs = tmp.resolve("logs");
        Path serveWork = Files.createDirectories(tmp.resolve("serve-work"));
        List<HostProcess> clients = new ArrayList<>();
        try (LabNetwork net = LabNetwork.create(n)) {
            Path hosts = Files.writeString(tmp.resolve("hosts"),
                    net.serverAddress().getHostAddress() + " " + service.getMetadata().getName() + "\n");
            try (HostProcess srv = HostProcess.start(net.server(), HostProcess.Role.SERVER,
                    HostProcess.java(MAIN, List.of(), expand(server.getArgs(), env(server, Map.of()))), logs, "server", serveWork)) {
                assertTrue(srv.awaitOutput("control on", Duration.ofSeconds(30)), () -> "serve did not start: " + srv.lastErrorLine());
                for (int i = 0; i < n; i++) {
                    Map<String, String> env = env(client, Map.of("CHURN_DURATION", "2s", "JOB_COMPLETION_INDEX", Integer.toString(i)));
                    List<String> args = expand(client.getArgs(), env);
                    assertFalse(String.join(" ", args).contains("$("), "every $(VAR) is set: " + args);
                    clients.add(HostProcess.start(net.clients().get(i), HostProcess.Role.CLIENT,
                            HostProcess.java(MAIN, List.of("-Djdk.net.hosts.file=" + hosts), args), logs, "pod-" + i,
                            Files.createDirectories(tmp.resolve("client-work-" + i))));
                }
                long end = System.nanoTime() + LIMIT.toNanos();
                for (HostProcess c : clients) {
                    assertTrue(c.waitFor(Duration.ofNanos(Math.max(1, end - System.nanoTime()))), c.name() + " did not finish");
                    assertEquals(0, c.exitCode(), () -> c.name() + ": " + c.lastErrorLine());
                }
                // The Deployment serves session after session: wait for this one's report, then stop it.
                Path session = null;
                while (session == null && System.nanoTime() < end) {
                    session = session(serveWork.resolve("results"));
                    Thread.sleep(50);
                }
                assertNotNull(session, "serve wrote no session under its working directory's results/");
                JsonNode report = LabCommand.JSON.readTree(session.resolve(SessionReport.FILE).toFile());
                assertEquals(n, report.path("complete").asInt(), report::toString);
                assertFalse(report.path("partial").asBoolean(), report::toString);
                for (int i = 0; i < n; i++) {
                    // The Job's label: client-$(JOB_COMPLETION_INDEX).
                    JsonNode s = SummaryJson.read(session.resolve("client-" + i));
                    assertTrue(s.at("/connections/completed").asLong() > 0, s::toString);
                    // churn-serve:9000 resolved as cluster DNS would: to the server pod's address, at the Service's port.
                    assertEquals(net.serverAddress().getHostAddress() + ":" + service.getSpec().getPorts().getFirst().getPort(),
                            s.at("/scenario/target").asText());
                }
                assertTrue(Files.isRegularFile(session.resolve("merged").resolve("summary.json")));
            } finally {
                clients.forEach(HostProcess::close);
            }
        }
        String ours = NetNamespace.PREFIX + ProcessHandle.current().pid() + "-";
        assertEquals(List.of(), NetNamespace.existing().stream().filter(ns -> ns.startsWith(ours)).toList());
    }

    /** The container's env (plain values), with these set as Kubernetes or this test sets them. */
    private static Map<String, String> env(Container c, Map<String, String> set) {
        Map<String, String> env = new LinkedHashMap<>();
        if (c.getEnv() != null) {
            for (EnvVar v : c.getEnv()) {
                env.put(v.getName(), v.getValue());
            }
        }
        env.putAll(set);
        return env;
    }

    /** Kubernetes' expansion of args: $(VAR) from the env when set (else left as is), $$ to $. */
    static List<String> expand(List<String> args, Map<String, String> env) {
        List<String> out = new ArrayList<>();
        for (String a : args == null ? List.<String>of() : args) {
            Matcher m = VAR.matcher(a);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                String r = m.group().equals("$$") ? "$" : env.getOrDefault(m.group(1), m.group());
                m.appendReplacement(b, Matcher.quoteReplacement(r));
            }
            m.appendTail(b);
            out.add(b.toString());
        }
        return out;
    }

    private static Path session(Path results) throws IOException {
        if (!Files.isDirectory(results)) {
            return null;
        }
        try (Stream<Path> s = Files.list(results)) {
            return s.filter(p -> Files.isRegularFile(p.resolve(SessionReport.FILE))).findFirst().orElse(null);
        }
    }
}
