package dev.trespasser.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trespasser.match.net.JoinTokenVerifier;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Dockerfiles against the modules they build and the manifests that run them; the fleet's sizing against the benchmark. */
class ImagesAndSizingTest {

    /** Image repository name → the Dockerfile that builds it. */
    private static final Map<String, Path> DOCKERFILES = Map.of(
            "match-server", Repository.ROOT.resolve("match-server/Dockerfile"),
            "matchmaker-function", Repository.ROOT.resolve("matchmaker-function/Dockerfile"),
            "director", Repository.ROOT.resolve("director/Dockerfile"),
            "frontend", Repository.ROOT.resolve("frontend/Dockerfile"),
            "om-core", OmCoreBuild.DOCKERFILE);

    private final Stack stack = Stack.load();

    @Test
    void javaDockerfilesAreMultiStageNonRootAndBuildTheirModulesMainClass() throws Exception {
        for (String module : List.of("match-server", "matchmaker-function", "director", "frontend")) {
            String dockerfile = Repository.read(DOCKERFILES.get(module));
            assertEquals(List.of(), dockerfileProblems(module, dockerfile), module);
        }
    }

    @Test
    void aDockerfileRunningAsRootIsCaught() throws Exception {
        String dockerfile = Repository.read(DOCKERFILES.get("director")).replaceAll("(?m)^USER .*$", "USER root");
        assertTrue(dockerfileProblems("director", dockerfile).toString().contains("root"));
        String singleStage = Repository.read(DOCKERFILES.get("director")).replaceFirst("(?m)^FROM maven.*$", "");
        assertFalse(dockerfileProblems("director", singleStage).isEmpty());
    }

    @Test
    void everyImageOfOursInTheManifestsIsBuiltByADockerfileAndRunsAsItsUser() {
        int ours = 0;
        for (Manifest workload : stack.objects) {
            if (!List.of("Deployment", "StatefulSet", "Fleet").contains(workload.kind())) {
                continue;
            }
            for (JsonNode container : workload.podSpec().path("containers")) {
                String image = container.path("image").asText();
                if (!image.startsWith("trespasser/")) {
                    continue; // redis, nginx, otel: upstream images
                }
                ours++;
                String repository = image.substring("trespasser/".length()).split(":")[0];
                Path dockerfile = DOCKERFILES.get(repository);
                assertTrue(dockerfile != null && Files.isRegularFile(dockerfile), image + " has no Dockerfile");
                String user = lastMatch("(?m)^USER (\\d+)", Repository.read(dockerfile));
                assertEquals(
                        user,
                        container.path("securityContext").path("runAsUser").asText(),
                        image + ": runAsUser vs USER");
                assertTrue(
                        container.path("securityContext").path("runAsNonRoot").asBoolean(), image);
            }
        }
        assertEquals(DOCKERFILES.size(), ours, "one container per image of ours");
    }

    @Test
    void matchServerImageRunsWithTheBenchmarkedFlagsAndAValidTrainingKey() {
        String dockerfile = Repository.read(DOCKERFILES.get("match-server"));
        String benchmarks = Repository.read(Repository.ROOT.resolve("docs/benchmarks.md"));
        // The benchmark command keeps its JVM flags in FLAGS="..." (continued over lines).
        String flags = benchmarks.substring(benchmarks.indexOf("FLAGS=\"") + "FLAGS=\"".length());
        flags = flags.substring(0, flags.indexOf('"'));
        assertTrue(flags.contains("-Xmx"), "docs/benchmarks.md names the benchmarked JVM flags: " + flags);
        assertTrue(benchmarks.contains("MALLOC_ARENA_MAX=2 java $FLAGS"), "the benchmark runs with FLAGS");
        for (String flag : flags.replace("\\", " ").trim().split("\\s+")) {
            if (flag.startsWith("-")) {
                assertTrue(dockerfile.contains("\"" + flag + "\""), "the image lacks the benchmarked flag " + flag);
            }
        }
        assertTrue(dockerfile.contains("ENV MALLOC_ARENA_MAX=2"));
        assertTrue(
                dockerfile.contains("-XX:DumpLoadedClassList=/out/play.classlist")
                        && dockerfile.contains("class-archive.sh /app/lib /app/play.classlist /app/match-server.jsa")
                        && dockerfile.contains("-XX:SharedArchiveFile=/app/match-server.jsa"),
                "class archive trained by start-up and play, written and used");
        String archiveScript = Repository.read(Repository.ROOT.resolve("match-server/image/class-archive.sh"));
        assertTrue(dockerfile.contains("COPY match-server/image/class-archive.sh /app/class-archive.sh"));
        String trainingKey = lastMatch("JOIN_TOKEN_PUBLIC_KEY='([^']+)'", archiveScript);
        JoinTokenVerifier.publicKeyFromPem(trainingKey);
    }

    @Test
    void omCoreImageIsBuiltAtTheCommitTheTestsRun() {
        String dockerfile = Repository.read(DOCKERFILES.get("om-core"));
        String commit = OmCoreBuild.commit(dockerfile);
        assertTrue(commit.startsWith("ac392a0"), "om-core is pinned at ac392a0 (issue 11): " + commit);
        // The upstream build the tests and the local stack fall back to is of that very commit.
        OmCoreBuild.sharedBuild();
        assertTrue(Repository.read(OmCoreBuild.sharedBuild().resolveSibling("README.md"))
                .contains("commit " + commit.substring(0, 7)));
        // The kustomization's image tag names it.
        String tag = null;
        for (JsonNode image : stack.kustomization.path("images")) {
            if (image.path("name").asText().equals("trespasser/om-core")) {
                tag = image.path("newTag").asText();
            }
        }
        assertEquals(commit.substring(0, 7), tag, "trespasser/om-core's tag in open-match/kustomization.yaml");
        assertTrue(
                dockerfile.contains("-t trespasser/om-core:" + tag + " "),
                "the build command in the Dockerfile's header");
        // scripts/install-peers.sh pins om-core as a commit or a pseudo-version ending in one; while
        // it still names a release tag (before the peers branch lands) there is no commit to compare.
        Matcher pin = Pattern.compile("(?m)^OM_CORE_[A-Z_]*=\\S*?([0-9a-f]{7,40})\\s*$")
                .matcher(Repository.read(Repository.ROOT.resolve("scripts/install-peers.sh")));
        while (pin.find()) {
            assertTrue(
                    commit.startsWith(pin.group(1)),
                    "install-peers.sh pins om-core at " + pin.group(1) + ", the image at " + commit);
        }
        assertTrue(dockerfile.contains("distroless/static") && dockerfile.contains(":nonroot"));
        assertTrue(dockerfile.matches("(?s).*FROM golang\\S* AS build.*"));
        assertTrue(
                dockerfile.contains("go mod download -json \"${OM_CORE_MODULE}@${OM_CORE_COMMIT}\""),
                "builds the pinned commit");
    }

    @Test
    void anOmCoreDockerfileWithoutAFullCommitIsRefused() {
        String tagged = Repository.read(DOCKERFILES.get("om-core"))
                .replaceAll("(?m)^ARG OM_CORE_COMMIT=.*$", "ARG OM_CORE_COMMIT=v2.0.2");
        assertThrows(IllegalStateException.class, () -> OmCoreBuild.commit(tagged));
    }

    /** Memory request over the largest measured RSS, and the limit over it (GC, connection bursts). */
    static final double MEMORY_REQUEST_HEADROOM = 1.1;

    static final double MEMORY_LIMIT_HEADROOM = 1.4;
    /** CPU request over the busiest measured per-match CPU; the limit is a multiple of the request. */
    static final double CPU_REQUEST_HEADROOM = 1.2;

    static final double CPU_LIMIT_OVER_REQUEST = 2;

    /**
     * The fleet's requests and limits against the figures that set them in docs/benchmarks.md: the
     * per-match RSS and CPU of the density benchmark (K matches at once, every K) and the RSS of the
     * full-length soak (every per-minute sample of restarted 10-minute rounds, not a 60 s window),
     * both over the plaintext edge, plus what TLS adds (production serves wss://).
     */
    @Test
    void matchServerResourcesAreSizedFromTheDensityBenchmarkAndTheFullLengthSoak() {
        String benchmarks = Repository.read(Repository.ROOT.resolve("docs/benchmarks.md"));
        SizingFigures figures = SizingFigures.from(benchmarks);
        JsonNode resources = stack.get("Fleet", CrossChecks.FLEET)
                .container("match-server")
                .orElseThrow()
                .path("resources");
        double requestMib = mebibytes(resources.path("requests").path("memory").asText());
        double limitMib = mebibytes(resources.path("limits").path("memory").asText());
        double requestMillicores =
                millicores(resources.path("requests").path("cpu").asText());
        double limitMillicores = millicores(resources.path("limits").path("cpu").asText());

        double rssMib = Math.max(figures.soakRssMib(), figures.densityRssMib()) + figures.tlsRssMib();
        assertTrue(
                requestMib >= rssMib * MEMORY_REQUEST_HEADROOM,
                "memory request " + requestMib + " Mi vs measured RSS " + rssMib + " MiB");
        assertTrue(
                limitMib >= rssMib * MEMORY_LIMIT_HEADROOM,
                "memory limit " + limitMib + " Mi leaves too little over " + rssMib + " MiB");
        double cpuMillicores = (figures.densityCpuPercent() + figures.tlsCpuPercent()) * 10;
        assertTrue(
                requestMillicores >= cpuMillicores * CPU_REQUEST_HEADROOM,
                "cpu request " + requestMillicores + "m vs measured " + cpuMillicores + "m per match");
        assertTrue(
                limitMillicores >= requestMillicores * CPU_LIMIT_OVER_REQUEST,
                "cpu limit too close to the request: ticks would be throttled");
    }

    @Test
    void theSizingFiguresComeFromAFullLengthSoakAndEveryDensity() {
        SizingFigures figures = SizingFigures.from(Repository.read(Repository.ROOT.resolve("docs/benchmarks.md")));
        assertTrue(
                figures.soakMinutes() >= 20,
                "the soak covers at least two full 10-minute rounds: " + figures.soakMinutes());
        assertEquals(List.of(1, 4, 8, 16), figures.densityKs());
    }

    @Test
    void whatTlsAddsIsReadFromItsSectionAndCannotGoMissing() {
        String benchmarks = Repository.read(Repository.ROOT.resolve("docs/benchmarks.md"));
        SizingFigures figures = SizingFigures.from(benchmarks);
        assertTrue(figures.tlsRssMib() > 0 && figures.tlsCpuPercent() > 0, figures.toString());
        String grown = benchmarks.replaceFirst(
                "TLS adds, for sizing: \\+[0-9.]+ MiB VmRSS", "TLS adds, for sizing: +50.0 MiB VmRSS");
        assertEquals(50.0, SizingFigures.from(grown).tlsRssMib());
        String lost = benchmarks.replace("TLS adds, for sizing", "TLS costs");
        assertThrows(IllegalStateException.class, () -> SizingFigures.from(lost));
    }

    @Test
    void theSoakFigureIsItsLargestMinute() {
        String benchmarks = Repository.read(Repository.ROOT.resolve("docs/benchmarks.md"));
        String grown =
                benchmarks.replaceFirst("(?m)^\\| 31 \\| 3 \\| ([0-9,]+) \\| [0-9.]+ \\|", "| 31 | 3 | $1 | 250.0 |");
        assertEquals(250.0, SizingFigures.from(grown).soakRssMib());
    }

    /**
     * What docs/benchmarks.md measured: the largest RSS of the soak's per-minute table, of the
     * density table the largest per-match RSS and the largest per-match CPU median over every K
     * (both plaintext), and what TLS adds per match (the "TLS (wss)" section's sizing line).
     */
    record SizingFigures(
            double soakRssMib,
            int soakMinutes,
            double densityRssMib,
            double densityCpuPercent,
            List<Integer> densityKs,
            double tlsRssMib,
            double tlsCpuPercent) {

        private static final Pattern SOAK_MINUTE =
                Pattern.compile("(?m)^\\| (\\d+) \\| (\\d+) \\| [0-9,]+ \\| ([0-9.]+) \\| [0-9,]+ \\|$");
        private static final Pattern TLS_ADDS =
                Pattern.compile("TLS adds, for sizing: \\+([0-9.]+) MiB VmRSS and \\+([0-9.]+) % of a core per match");
        private static final Pattern DENSITY_ROW = Pattern.compile(
                "(?m)^\\| (\\d+) \\| [0-9.]+ MiB \\(max ([0-9.]+)\\) \\| ([0-9.]+) % \\(max [0-9.]+\\) \\|");

        static SizingFigures from(String benchmarks) {
            String soak = section(benchmarks, "### Full-length soak");
            Matcher minute = SOAK_MINUTE.matcher(soak);
            double soakRss = 0;
            int minutes = 0;
            while (minute.find()) {
                soakRss = Math.max(soakRss, Double.parseDouble(minute.group(3)));
                minutes++;
            }
            Matcher row = DENSITY_ROW.matcher(section(benchmarks, "### Density"));
            double densityRss = 0;
            double densityCpu = 0;
            List<Integer> ks = new ArrayList<>();
            while (row.find()) {
                ks.add(Integer.parseInt(row.group(1)));
                densityRss = Math.max(densityRss, Double.parseDouble(row.group(2)));
                densityCpu = Math.max(densityCpu, Double.parseDouble(row.group(3)));
            }
            if (minutes == 0 || ks.isEmpty()) {
                throw new IllegalStateException(
                        "docs/benchmarks.md lost its soak per-minute table or its density table");
            }
            Matcher tls = TLS_ADDS.matcher(section(benchmarks, "### TLS (wss)"));
            if (!tls.find()) {
                throw new IllegalStateException("docs/benchmarks.md's TLS (wss) section lost its sizing line");
            }
            return new SizingFigures(
                    soakRss,
                    minutes,
                    densityRss,
                    densityCpu,
                    ks,
                    Double.parseDouble(tls.group(1)),
                    Double.parseDouble(tls.group(2)));
        }

        /** From a heading to the next heading of the same or a higher level. */
        private static String section(String text, String heading) {
            int start = text.indexOf(heading);
            if (start < 0) {
                throw new IllegalStateException("docs/benchmarks.md has no section " + heading);
            }
            Matcher next = Pattern.compile("(?m)^#{2,3} ").matcher(text);
            return next.find(start + heading.length()) ? text.substring(start, next.start()) : text.substring(start);
        }
    }

    @Test
    void theAutoscalerKeepsABufferAndCoversTenThousandPlayers() {
        Manifest fleet = stack.get("Fleet", CrossChecks.FLEET);
        Manifest autoscaler = stack.ofKind("FleetAutoscaler").get(0);
        JsonNode spec = autoscaler.body().path("spec");
        assertEquals(fleet.name(), spec.path("fleetName").asText());
        assertEquals(stack.namespaceOf(fleet), stack.namespaceOf(autoscaler));
        assertEquals("Buffer", spec.path("policy").path("type").asText());
        JsonNode buffer = spec.path("policy").path("buffer");
        int bufferSize = buffer.path("bufferSize").asInt();
        assertTrue(bufferSize > 0 && buffer.path("minReplicas").asInt() >= bufferSize);
        // 10,000 players / 8 per 4v4 match, each server held ~325 s per ~300 s of play (docs/operations.md).
        int heldAtTenThousand = (int) Math.ceil(10_000 / 8.0 * 325 / 300);
        assertTrue(
                buffer.path("maxReplicas").asInt() >= heldAtTenThousand + bufferSize,
                "maxReplicas cannot hold 10k CCU plus the buffer: " + (heldAtTenThousand + bufferSize));
        assertEquals("Packed", fleet.body().path("spec").path("scheduling").asText());
        assertEquals(
                "RollingUpdate",
                fleet.body().path("spec").path("strategy").path("type").asText());
        JsonNode port = fleet.body()
                .path("spec")
                .path("template")
                .path("spec")
                .path("ports")
                .get(0);
        assertEquals("Dynamic", port.path("portPolicy").asText());
        assertEquals("TCP", port.path("protocol").asText(), "WebSocket is TCP (Agones defaults to UDP)");
    }

    /** What is wrong with a Java service's Dockerfile. */
    static List<String> dockerfileProblems(String module, String dockerfile) throws Exception {
        List<String> problems = new ArrayList<>();
        List<String> froms =
                dockerfile.lines().filter(l -> l.startsWith("FROM ")).toList();
        if (froms.size() < 2 || !froms.get(0).contains(" AS build")) {
            problems.add("not multi-stage with a build stage: " + froms);
        }
        if (!froms.isEmpty() && !froms.get(froms.size() - 1).contains("-jre")) {
            problems.add("the runtime stage is not a JRE: " + froms.get(froms.size() - 1));
        }
        String user = lastMatch("(?m)^USER (\\S+)", dockerfile);
        if (user == null || user.startsWith("0") || user.startsWith("root")) {
            problems.add("runs as root (USER " + user + ")");
        }
        if (!dockerfile.contains("-pl " + module + " -am package")
                || !dockerfile.contains(module + "/target/" + module + "-*.jar")) {
            problems.add("does not build and copy module " + module);
        }
        String pom = Repository.read(Repository.ROOT.resolve(module).resolve("pom.xml"));
        if (!pom.contains("<artifactId>" + module + "</artifactId>")) {
            problems.add(module + "/pom.xml is not artifact " + module);
        }
        String mainClass = lastMatch("\"(dev\\.trespasser\\.[A-Za-z.]+)\"\\]", dockerfile);
        if (mainClass == null) {
            problems.add("no main class in ENTRYPOINT");
        } else {
            Method main = Class.forName(mainClass).getMethod("main", String[].class);
            if (!Modifier.isStatic(main.getModifiers())) {
                problems.add(mainClass + ".main is not static");
            }
            String source = "src/main/java/" + mainClass.replace('.', '/') + ".java";
            if (!Files.isRegularFile(Repository.ROOT.resolve(module).resolve(source))) {
                problems.add(mainClass + " is not in module " + module);
            }
        }
        return problems;
    }

    private static String lastMatch(String regex, String text) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        String last = null;
        while (matcher.find()) {
            last = matcher.group(1);
        }
        return last;
    }

    private static double mebibytes(String quantity) {
        if (quantity.endsWith("Mi")) {
            return Double.parseDouble(quantity.substring(0, quantity.length() - 2));
        }
        if (quantity.endsWith("Gi")) {
            return Double.parseDouble(quantity.substring(0, quantity.length() - 2)) * 1024;
        }
        throw new IllegalArgumentException("unexpected memory quantity " + quantity);
    }

    private static double millicores(String quantity) {
        return quantity.endsWith("m")
                ? Double.parseDouble(quantity.substring(0, quantity.length() - 1))
                : Double.parseDouble(quantity) * 1000;
    }
}
