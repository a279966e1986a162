package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/k8s, the Dockerfile and docs/kubernetes.md read as Kubernetes would read them: every manifest
 * into fabric8's typed model with no field the model does not know, and the numbers that must agree
 * across files (N clients, ports, the target, the results path, the sysctls' classes) checked against
 * each other. No cluster is involved: none can be reached from where churn is built.
 */
class KubernetesManifestsTest {

    /** Kubernetes' classes of sysctls (docs/kubernetes.md has the sources), as the doc's table names them. */
    enum SysctlClass {
        SAFE("namespaced, safe"), UNSAFE("namespaced, unsafe"), NODE("node-level");

        final String label;

        SysctlClass(String label) {
            this.label = label;
        }

        static SysctlClass of(String label) {
            return Arrays.stream(values()).filter(c -> c.label.equals(label)).findFirst()
                    .orElseThrow(() -> new AssertionError("docs/kubernetes.md: unknown sysctl class '" + label + "'"));
        }
    }

    /**
     * The classification, checked by hand against Kubernetes' "Using sysctls in a Kubernetes Cluster" and the
     * kubelet's safe list; the doc's table must say the same, so a change to either is a change to both.
     */
    private static final Map<String, SysctlClass> KNOWN_SYSCTLS = Map.of(
            "net.ipv4.ip_local_port_range", SysctlClass.SAFE,
            "net.ipv4.tcp_fin_timeout", SysctlClass.SAFE,
            "net.ipv4.tcp_tw_reuse", SysctlClass.UNSAFE,
            "net.ipv4.tcp_max_tw_buckets", SysctlClass.UNSAFE,
            "net.core.somaxconn", SysctlClass.UNSAFE,
            // The kubelet takes every net.* sysctl for namespaced; this one acts on namespaces made later (the pods).
            "net.ipv4.tcp_child_ehash_entries", SysctlClass.UNSAFE,
            "net.netfilter.nf_conntrack_max", SysctlClass.NODE,
            "fs.file-max", SysctlClass.NODE);

    private static final String UNSAFE_OVERLAY = "overlays/unsafe-sysctls";

    private static final Path ROOT = repositoryRoot();
    private static final Path K8S = ROOT.resolve("deploy/k8s");
    private static final Path BASE = K8S.resolve("base");
    private static final Path OVERLAY = K8S.resolve(UNSAFE_OVERLAY);

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @Test
    void everyManifestLoadsIntoTheTypedModelWithNoUnknownField() throws IOException {
        List<Path> manifests = new ArrayList<>(listedFiles(BASE, "resources"));
        manifests.addAll(listedPatches(OVERLAY));
        assertFalse(manifests.isEmpty());
        for (Path p : manifests) {
            HasMetadata resource = load(Files.readString(p), ROOT.relativize(p).toString());
            assertFalse(resource instanceof GenericKubernetesResource,
                    p + ": " + resource.getApiVersion() + " " + resource.getKind() + " is not a kind the model knows");
        }
    }

    @Test
    void aMisspeltFieldAnywhereInAManifestFailsTheLoad() throws IOException {
        String job = Files.readString(BASE.resolve("clients-job.yaml"));
        assertEquals(List.of(), unknownFields(SERIALIZATION.unmarshal(job)), "the manifest itself is clean");

        String misspelt = job.replaceFirst("(?m)^  parallelism:", "  paralellism:");
        assertEquals(List.of("spec.paralellism"), unknownFields(SERIALIZATION.unmarshal(misspelt)));

        String deep = job.replaceFirst("(?m)^(\\s+)resources:", "$1resourses:");
        assertEquals(List.of("spec.template.spec.containers[0].resourses"), unknownFields(SERIALIZATION.unmarshal(deep)));

        AssertionError e = assertThrows(AssertionError.class,
                () -> load(misspelt, "clients-job.yaml with paralellism"));
        assertTrue(e.getMessage().contains("spec.paralellism"), e.getMessage());
    }

    @Test
    void theKustomizationsListExactlyTheFilesThatExist() throws IOException {
        assertEquals(List.of("base"), kustomization(K8S).get("resources"), "deploy/k8s applies the base as it is");
        assertEquals(yamlFilesIn(BASE), new TreeSet<>(listedFiles(BASE, "resources")),
                "deploy/k8s/base/kustomization.yaml lists exactly the manifests beside it");

        assertEquals(List.of("../../base"), kustomization(OVERLAY).get("resources"));
        assertEquals(yamlFilesIn(OVERLAY), new TreeSet<>(listedPatches(OVERLAY)),
                UNSAFE_OVERLAY + " holds its kustomization and the patches it lists, nothing else");
    }

    @Test
    void theJobTheServerAndTheServiceAgreeOnClientsPortsAndTarget() throws IOException {
        int clients = assertAgree(loadBase("serve-deployment.yaml", Deployment.class),
                loadBase("serve-service.yaml", Service.class), loadBase("clients-job.yaml", Job.class));
        assertEquals(3, clients, "docs/kubernetes.md describes the base with 3 clients");
    }

    @Test
    void theDocsOverlayForNClientsChangesAllFourNumbers(@TempDir Path tmp) throws Exception {
        assumeTrue(onPath("kubectl"), "kubectl is not installed: the doc's overlay cannot be rendered");
        // The doc's example sits beside deploy/; here it sits in tmp, so its path to the base is rewritten.
        String doc = Files.readString(ROOT.resolve("docs/kubernetes.md"));
        String example = first(Pattern.compile("(?s)```yaml\\n(# my-churn/kustomization\\.yaml.*?)```"), doc);
        String base = tmp.relativize(BASE).toString();
        assertTrue(example.contains("  - ../deploy/k8s/base\n"), example);
        Files.writeString(tmp.resolve("kustomization.yaml"), example.replace("../deploy/k8s/base", base));

        Map<String, HasMetadata> rendered = new LinkedHashMap<>();
        for (String d : kubectlKustomize(tmp).split("(?m)^---$")) {
            if (!d.isBlank()) {
                HasMetadata r = load(d, "the doc's N-clients overlay");
                rendered.put(r.getKind(), r);
            }
        }
        int clients = assertAgree((Deployment) rendered.get("Deployment"), (Service) rendered.get("Service"),
                (Job) rendered.get("Job"));
        assertEquals(5, clients, "the doc's overlay makes 5 clients");
        Container client = onlyContainer(((Job) rendered.get("Job")).getSpec().getTemplate().getSpec());
        assertEquals("120s", client.getEnv().stream().filter(e -> e.getName().equals("CHURN_DURATION")).findFirst()
                .orElseThrow().getValue());
    }

    /** The numbers that must agree across serve's Deployment, its Service and the clients' Job; returns N. */
    private static int assertAgree(Deployment serve, Service service, Job job) {
        Container server = onlyContainer(serve.getSpec().getTemplate().getSpec());
        Container client = onlyContainer(job.getSpec().getTemplate().getSpec());
        List<String> serveArgs = server.getArgs();
        List<String> runArgs = client.getArgs();

        assertEquals("serve", serveArgs.getFirst());
        assertEquals("0.0.0.0", option(serveArgs, "--bind"), "the control port listens on loopback unless --bind");
        int clients = Integer.parseInt(option(serveArgs, "--clients"));
        assertEquals("Indexed", job.getSpec().getCompletionMode());
        assertEquals(clients, job.getSpec().getParallelism(), "parallelism = serve's --clients");
        assertEquals(clients, job.getSpec().getCompletions(), "completions = serve's --clients");
        assertEquals("run", runArgs.getFirst());
        assertTrue(runArgs.contains("--join"), runArgs.toString());
        assertEquals(clients, Integer.parseInt(option(runArgs, "--clients")), "the clients' --clients = serve's");
        assertEquals("Never", job.getSpec().getTemplate().getSpec().getRestartPolicy());
        assertNotNull(job.getSpec().getBackoffLimit(), "a bounded number of retries");

        int port = Integer.parseInt(option(serveArgs, "--port"));
        assertFalse(serveArgs.contains("--control-port"), "the control port is the default, --port + 1");
        Map<Integer, Integer> servicePorts = new LinkedHashMap<>(); // service port -> container port it reaches
        for (ServicePort sp : service.getSpec().getPorts()) {
            servicePorts.put(sp.getPort(), containerPort(server, sp));
        }
        assertEquals(Map.of(port, port, port + 1, port + 1), servicePorts,
                "the Service exposes serve's --port (sink) and --port + 1 (control) on the same numbers");
        assertTrue(serve.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                .containsAll(service.getSpec().getSelector().entrySet()), "the Service selects the serve pod");

        String target = option(runArgs, "--target");
        assertEquals(service.getMetadata().getName() + ":" + port, target, "the clients dial the Service's sink port");
        assertFalse(runArgs.contains("--control-port"), "the clients find the control port as serve opens it");

        // Kubernetes leaves an unresolved $(VAR) as it is: every one must be set, by the env or the Job controller.
        Set<String> env = client.getEnv().stream().map(e -> e.getName()).collect(Collectors.toSet());
        env.add("JOB_COMPLETION_INDEX");
        Matcher ref = Pattern.compile("\\$\\((\\w+)\\)").matcher(String.join(" ", runArgs));
        List<String> refs = new ArrayList<>();
        while (ref.find()) {
            refs.add(ref.group(1));
        }
        assertEquals(List.of("CHURN_DURATION", "JOB_COMPLETION_INDEX"), refs);
        assertTrue(env.containsAll(refs), "unset: " + refs + " vs " + env);
        assertEquals("client-$(JOB_COMPLETION_INDEX)", option(runArgs, "--label"), "one folder per client index");
        return clients;
    }

    @Test
    void theResultsVolumeIsMountedWhereServeWritesInTheImage() throws IOException {
        Deployment serve = loadBase("serve-deployment.yaml", Deployment.class);
        PersistentVolumeClaim pvc = loadBase("results-pvc.yaml", PersistentVolumeClaim.class);
        PodSpec pod = serve.getSpec().getTemplate().getSpec();
        Container server = onlyContainer(pod);

        assertFalse(server.getArgs().contains("--out"), "serve writes to its default, results/ of the working directory");
        String results = dockerfileWorkdir() + "/results";
        VolumeMount mount = server.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(results)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + results + ": " + server.getVolumeMounts()));
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        assertEquals(pvc.getMetadata().getName(), volume.getPersistentVolumeClaim().getClaimName());
        assertEquals("Recreate", serve.getSpec().getStrategy().getType(), "one pod at a time owns a ReadWriteOnce claim");
        assertEquals(1, serve.getSpec().getReplicas());
    }

    @Test
    void theImageBuildsAndRunsAsTheLauncherDoes() throws IOException {
        String launcher = Files.readString(ROOT.resolve("churn"));
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        Pattern build = Pattern.compile("mvn -B[^>)\\n]*? package");
        assertEquals(first(build, launcher), first(build, dockerfile), "the Dockerfile builds with the launcher's command");

        // The launcher: exec "$java_bin" <flags> -jar "$jar" "$@"; the image: exec java <flags> -jar <jar> "$@".
        String launcherFlags = first(Pattern.compile("exec \"\\$java_bin\" (.*?) -jar "), launcher);
        String imageFlags = first(Pattern.compile("exec java (.*?) -jar "), dockerfile);
        assertEquals(launcherFlags, imageFlags, "the image runs java with the launcher's flags");
        assertTrue(imageFlags.contains("--enable-native-access=ALL-UNNAMED") && imageFlags.contains("CHURN_JAVA_OPTS"));
        assertTrue(dockerfile.contains("/src/cli/target/churn.jar"), "the runtime stage takes the jar the build stage made");
    }

    @Test
    void everySysctlIsInTheDocsTableWithItsClassAndTheBaseSetsOnlySafeOnes() throws IOException {
        Map<String, DocRow> table = docSysctlTable();
        Map<String, SysctlClass> documented = new LinkedHashMap<>();
        table.forEach((name, row) -> documented.put(name, row.sysctlClass()));
        assertEquals(KNOWN_SYSCTLS, documented, "docs/kubernetes.md's table and this test's classification agree");

        Map<String, Set<String>> setIn = Map.of(
                "base", sysctlsIn(listedFiles(BASE, "resources")),
                UNSAFE_OVERLAY, sysctlsIn(listedPatches(OVERLAY)));
        setIn.forEach((where, names) -> {
            Set<String> docSays = table.entrySet().stream().filter(e -> e.getValue().where().contains(where))
                    .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
            Set<String> expected = new TreeSet<>(names);
            if (where.equals(UNSAFE_OVERLAY)) {
                expected.removeAll(setIn.get("base")); // repeated from the base: a patch replaces the whole list
            }
            assertEquals(expected, docSays, "the table's 'in deploy/k8s' column for " + where);
        });
        for (String name : setIn.get("base")) {
            assertEquals(SysctlClass.SAFE, KNOWN_SYSCTLS.get(name), name + " in the base: the base must run on any kubelet");
        }
        for (String name : setIn.get(UNSAFE_OVERLAY)) {
            assertTrue(KNOWN_SYSCTLS.get(name) != null && KNOWN_SYSCTLS.get(name) != SysctlClass.NODE,
                    name + ": a pod can set only namespaced sysctls");
        }
        assertTrue(setIn.get(UNSAFE_OVERLAY).containsAll(setIn.get("base")),
                "the overlay's patch replaces the sysctls list whole: it must keep the base's");
    }

    @Test
    void kubectlRendersTheBaseAndTheOverlay() throws Exception {
        assumeTrue(onPath("kubectl"), "kubectl is not installed: the kustomizations are checked only as listed files");
        for (Path dir : List.of(K8S, OVERLAY)) {
            String rendered = kubectlKustomize(dir);
            List<String> kinds = new ArrayList<>();
            for (String doc : rendered.split("(?m)^---$")) {
                if (!doc.isBlank()) {
                    kinds.add(load(doc, "kubectl kustomize " + ROOT.relativize(dir)).getKind());
                }
            }
            assertEquals(List.of("Deployment", "Job", "PersistentVolumeClaim", "Service"), kinds.stream().sorted().toList(),
                    "kubectl kustomize " + dir);
        }
    }

    // --- reading the files

    private record DocRow(SysctlClass sysctlClass, String where) {
    }

    /** The rows of docs/kubernetes.md's sysctl table: | `name` | class | in deploy/k8s | why |. */
    private static Map<String, DocRow> docSysctlTable() throws IOException {
        Pattern row = Pattern.compile("^\\| `([a-z0-9_.\\-]+)` \\| ([^|]+?) \\| ([^|]+?) \\|.*$");
        Map<String, DocRow> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(ROOT.resolve("docs/kubernetes.md"))) {
            Matcher m = row.matcher(line);
            if (m.matches() && (m.group(1).startsWith("net.") || m.group(1).startsWith("fs.") || m.group(1).startsWith("kernel."))) {
                assertTrue(rows.put(m.group(1), new DocRow(SysctlClass.of(m.group(2)), m.group(3))) == null,
                        "listed twice: " + m.group(1));
            }
        }
        return rows;
    }

    private static Set<String> sysctlsIn(List<Path> manifests) {
        Set<String> names = new TreeSet<>();
        for (Path p : manifests) {
            HasMetadata r = SERIALIZATION.unmarshal(read(p));
            PodSpec pod = switch (r) {
                case Job j -> j.getSpec().getTemplate().getSpec();
                case Deployment d -> d.getSpec().getTemplate().getSpec();
                default -> null;
            };
            if (pod != null && pod.getSecurityContext() != null && pod.getSecurityContext().getSysctls() != null) {
                pod.getSecurityContext().getSysctls().stream().map(Sysctl::getName).forEach(names::add);
            }
        }
        return names;
    }

    private static String dockerfileWorkdir() throws IOException {
        // The runtime stage's: the last WORKDIR after the last FROM.
        List<String> lines = Files.readAllLines(ROOT.resolve("Dockerfile"));
        String workdir = null;
        for (String line : lines) {
            String t = line.strip();
            if (t.startsWith("FROM ")) {
                workdir = null;
            } else if (t.startsWith("WORKDIR ")) {
                workdir = t.substring("WORKDIR ".length()).strip();
            }
        }
        assertNotNull(workdir, "the Dockerfile's runtime stage sets a WORKDIR");
        return workdir.endsWith("/") ? workdir.substring(0, workdir.length() - 1) : workdir;
    }

    static <T extends HasMetadata> T loadBase(String file, Class<T> type) throws IOException {
        return assertInstanceOf(type, load(Files.readString(BASE.resolve(file)), "deploy/k8s/base/" + file));
    }

    /** A manifest in the typed model, or an AssertionError naming every field the model did not know. */
    static HasMetadata load(String yaml, String what) {
        HasMetadata r = SERIALIZATION.unmarshal(yaml);
        assertNotNull(r, what + ": empty");
        List<String> unknown = unknownFields(r);
        assertTrue(unknown.isEmpty(), what + ": fields Kubernetes does not know: " + unknown);
        return r;
    }

    /**
     * The paths of every field the model did not know. fabric8's models take any unknown field into their
     * additionalProperties instead of failing, so walk the whole object graph for non-empty ones.
     */
    static List<String> unknownFields(Object model) {
        List<String> found = new ArrayList<>();
        walk(model, "", found);
        return found;
    }

    private static void walk(Object value, String path, List<String> found) {
        switch (value) {
            case null -> {
            }
            case List<?> list -> {
                for (int i = 0; i < list.size(); i++) {
                    walk(list.get(i), path + "[" + i + "]", found);
                }
            }
            case Map<?, ?> map -> map.forEach((k, v) -> walk(v, path + "[" + k + "]", found));
            default -> {
                if (value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model.")) {
                    walkModel(value, path, found);
                }
            }
        }
    }

    private static void walkModel(Object model, String path, List<String> found) {
        for (Class<?> c = model.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                f.setAccessible(true);
                Object v;
                try {
                    v = f.get(model);
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
                if (f.getName().equals("additionalProperties")) {
                    if (v instanceof Map<?, ?> extra) {
                        extra.keySet().forEach(k -> found.add(join(path, String.valueOf(k))));
                    }
                } else {
                    walk(v, join(path, jsonName(f)), found);
                }
            }
        }
    }

    private static String jsonName(Field f) {
        com.fasterxml.jackson.annotation.JsonProperty p = f.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
        return p != null && !p.value().isEmpty() ? p.value() : f.getName();
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static Map<String, Object> kustomization(Path dir) {
        @SuppressWarnings("unchecked")
        Map<String, Object> k = SERIALIZATION.unmarshal(read(dir.resolve("kustomization.yaml")), Map.class);
        assertEquals("Kustomization", k.get("kind"), dir + "/kustomization.yaml");
        return k;
    }

    /** The files a kustomization lists under key, each of which must exist. */
    private static List<Path> listedFiles(Path dir, String key) {
        Object listed = kustomization(dir).get(key);
        assertInstanceOf(List.class, listed, dir + "/kustomization.yaml: " + key);
        List<Path> files = new ArrayList<>();
        for (Object entry : (List<?>) listed) {
            Path p = dir.resolve(String.valueOf(entry)).normalize();
            assertTrue(Files.isRegularFile(p), dir + "/kustomization.yaml lists " + entry + ", which is not a file");
            files.add(p);
        }
        return files;
    }

    private static List<Path> listedPatches(Path dir) {
        Object patches = kustomization(dir).get("patches");
        assertInstanceOf(List.class, patches, dir + "/kustomization.yaml: patches");
        List<Path> files = new ArrayList<>();
        for (Object p : (List<?>) patches) {
            Object path = ((Map<?, ?>) p).get("path");
            assertNotNull(path, "a patch kept in a file of its own, so it can be loaded and checked: " + p);
            Path file = dir.resolve(String.valueOf(path)).normalize();
            assertTrue(Files.isRegularFile(file), file + " is listed but missing");
            files.add(file);
        }
        return files;
    }

    private static Set<Path> yamlFilesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(p -> !p.getFileName().toString().startsWith("kustomization."))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Container onlyContainer(PodSpec pod) {
        assertEquals(1, pod.getContainers().size(), "one container per pod");
        return pod.getContainers().getFirst();
    }

    private static int containerPort(Container c, ServicePort sp) {
        var target = sp.getTargetPort();
        if (target == null) {
            return sp.getPort();
        }
        if (target.getIntVal() != null) {
            return target.getIntVal();
        }
        return c.getPorts().stream().filter(p -> target.getStrVal().equals(p.getName())).map(ContainerPort::getContainerPort)
                .findFirst().orElseThrow(() -> new AssertionError("no container port named " + target.getStrVal()));
    }

    private static String option(List<String> args, String name) {
        int i = args.indexOf(name);
        assertTrue(i >= 0 && i + 1 < args.size(), name + " with a value in " + args);
        assertEquals(i, args.lastIndexOf(name), name + " given twice in " + args);
        return args.get(i + 1);
    }

    private static String first(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertTrue(m.find(), "no match for " + p);
        return m.groupCount() > 0 ? m.group(1) : m.group();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new AssertionError(p + ": " + e);
        }
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, command)));
    }

    private static String kubectlKustomize(Path dir) throws Exception {
        Path out = Files.createTempFile("kustomize", ".yaml");
        try {
            Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + dir + " took over 60 s");
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + ":\n" + text);
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The repository root: maven runs this in cli/, an IDE perhaps at the root. */
    private static Path repositoryRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("deploy/k8s")) && Files.isRegularFile(d.resolve("Dockerfile"))) {
                return d;
            }
        }
        throw new AssertionError("no deploy/k8s above " + Path.of("").toAbsolutePath());
    }
}
