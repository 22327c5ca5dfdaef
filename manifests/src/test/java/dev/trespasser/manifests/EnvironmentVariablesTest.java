package dev.trespasser.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trespasser.director.DirectorConfig;
import dev.trespasser.frontend.FrontendConfig;
import dev.trespasser.match.MatchServerSettings;
import dev.trespasser.match.net.JoinTokenVerifier;
import dev.trespasser.mmf.MmfConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every variable a manifest sets is one the code reads, and one the docs explain. */
class EnvironmentVariablesTest {

    private final Stack stack = Stack.load();

    /** A map that remembers which names were asked for: what a config parser reads. */
    static final class RecordingEnv extends HashMap<String, String> {
        final Set<String> asked = new TreeSet<>();

        RecordingEnv(Map<String, String> values) {
            super(values);
        }

        @Override
        public String get(Object key) {
            asked.add(String.valueOf(key));
            return super.get(key);
        }

        @Override
        public String getOrDefault(Object key, String fallback) {
            asked.add(String.valueOf(key));
            return super.getOrDefault(key, fallback);
        }

        @Override
        public boolean containsKey(Object key) {
            asked.add(String.valueOf(key));
            return super.containsKey(key);
        }
    }

    @Test
    void everyVariableOfOurServicesIsReadByTheirCode(@TempDir Path tmp) throws IOException {
        assertEquals(List.of(), unreadVariables(stack, tmp));
    }

    @Test
    void aMisspelledVariableIsReported(@TempDir Path tmp) throws IOException {
        Manifest director = stack.get("Deployment", CrossChecks.DIRECTOR).mutableCopy();
        ServiceConfigurationTest.setEnv(
                director.podSpec().path("containers").get(0), "DIRECTOR_FLET", "trespasser-match");
        List<String> problems = unreadVariables(stack.with(director), tmp);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("DIRECTOR_FLET"), problems.get(0));
    }

    @Test
    void everyVariableIsDocumented() {
        assertEquals(List.of(), undocumented(stack));
    }

    @Test
    void anUndocumentedVariableIsReported() {
        Manifest mmf = stack.get("Deployment", CrossChecks.MMF).mutableCopy();
        ServiceConfigurationTest.setEnv(mmf.podSpec().path("containers").get(0), "MMF_SECRET_TURBO", "1");
        assertEquals(1, undocumented(stack.with(mmf)).size());
    }

    @Test
    void omCoreReadsEveryVariableItsManifestSets() {
        // The proxy serves no source of ac392a0, but its build is beside the clone: a name the
        // binary does not contain is a name om-core cannot read (its own settings, read through
        // viper, and the OTel exporter's alike).
        assertEquals(
                List.of(),
                namesNotIn(OmCoreBuild.binaryText(), stack),
                "om-core " + OmCoreBuild.commit().substring(0, 7) + " contains no setting by these names");
    }

    @Test
    void aVariableOmCoreDoesNotKnowIsReported() {
        Manifest omCore = stack.get("Deployment", "om-core").mutableCopy();
        ServiceConfigurationTest.setEnv(
                omCore.container("om-core").orElseThrow(), "OM_REDIS_WRITE_HOSTNAME", "om-redis");
        assertEquals(List.of("OM_REDIS_WRITE_HOSTNAME"), namesNotIn(OmCoreBuild.binaryText(), stack.with(omCore)));
    }

    /** The OTel exporter builds its names from a prefix and a key, so the binary holds the parts. */
    private static final Map<String, List<String>> COMPOSED_NAMES =
            Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", List.of("OTEL_EXPORTER_OTLP_", "ENDPOINT"));

    private static List<String> namesNotIn(String binary, Stack stack) {
        assertTrue(binary.contains("OM_REDIS_WRITE_HOST"), "not om-core's binary");
        List<String> unknown = new ArrayList<>();
        for (JsonNode variable : stack.get("Deployment", "om-core")
                .container("om-core")
                .orElseThrow()
                .path("env")) {
            String name = variable.path("name").asText();
            if (!COMPOSED_NAMES.getOrDefault(name, List.of(name)).stream().allMatch(binary::contains)) {
                unknown.add(name);
            }
        }
        return unknown;
    }

    /** Names set in a Java service's container that its code never asks for. */
    static List<String> unreadVariables(Stack stack, Path tmp) throws IOException {
        List<String> problems = new ArrayList<>();
        check(
                problems,
                stack,
                stack.get("Deployment", CrossChecks.DIRECTOR),
                "director",
                "director",
                env -> DirectorConfig.fromEnv(env));
        check(
                problems,
                stack,
                stack.get("Deployment", CrossChecks.FRONTEND),
                "frontend",
                "frontend",
                env -> FrontendConfig.fromEnv(env));
        check(
                problems,
                stack,
                stack.get("Deployment", CrossChecks.MMF),
                "matchmaker-function",
                "matchmaker-function",
                env -> MmfConfig.fromEnv(env));
        // The public key file must exist for the verifier to load: point it at a real key.
        Path key = tmp.resolve("public.pem");
        Files.writeString(
                key,
                "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAlVnH96D6hA3HNd7lYqNwhYfa5Ie38xW7E8plLgaf+mA=\n-----END PUBLIC KEY-----\n");
        check(problems, stack, stack.get("Fleet", CrossChecks.FLEET), "match-server", "match-server", env -> {
            MatchServerSettings.fromEnv(env);
            if (env.containsKey("JOIN_TOKEN_PUBLIC_KEY_FILE")) {
                Map<String, String> withKey = new HashMap<>(env);
                withKey.put("JOIN_TOKEN_PUBLIC_KEY_FILE", key.toString());
                try {
                    new JoinTokenVerifier(
                            JoinTokenVerifier.publicKeyFromPem(MatchServerSettings.fromEnv(withKey)
                                    .joinTokenKey()
                                    .readPem()),
                            Clock.systemUTC());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        return problems;
    }

    private static void check(
            List<String> problems,
            Stack stack,
            Manifest workload,
            String container,
            String module,
            Consumer<Map<String, String>> parse)
            throws IOException {
        JsonNode spec = workload.container(container).orElseThrow();
        RecordingEnv env = new RecordingEnv(stack.env(workload, container));
        parse.accept(env);
        Set<String> read = new TreeSet<>(env.asked);
        read.addAll(readOutsideTheParsers(module));
        List<String> expansionOnly = Stack.expansionOnly(spec);
        for (JsonNode variable : spec.path("env")) {
            String name = variable.path("name").asText();
            if (!read.contains(name) && !expansionOnly.contains(name)) {
                problems.add(
                        workload.name() + "/" + container + " sets " + name + ", which " + module + " never reads");
            }
        }
    }

    /**
     * Names read where no parser can be called from a test: the logging configuration every
     * service shares, service-runtime's logback.xml ({@code ${NAME:-default}}).
     */
    private static Set<String> readOutsideTheParsers(String module) throws IOException {
        Set<String> names = new TreeSet<>();
        Path logback = Repository.ROOT.resolve("service-runtime/src/main/resources/logback.xml");
        if (Files.exists(logback)) {
            Matcher matcher = Pattern.compile("\\$\\{([A-Z0-9_]+)").matcher(Files.readString(logback));
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    /** Names no doc explains: docs/configuration.md or the service's README (om-core: or docs/operations.md). */
    static List<String> undocumented(Stack stack) {
        String configuration = Repository.read(Repository.ROOT.resolve("docs/configuration.md"));
        String operations = operationsGuide();
        Map<String, List<String>> docsPerContainer = Map.of(
                "director", List.of(configuration, Repository.read(Repository.ROOT.resolve("director/README.md"))),
                "frontend", List.of(configuration, Repository.read(Repository.ROOT.resolve("frontend/README.md"))),
                "matchmaker-function",
                        List.of(
                                configuration,
                                Repository.read(Repository.ROOT.resolve("matchmaker-function/README.md"))),
                "match-server",
                        List.of(configuration, Repository.read(Repository.ROOT.resolve("match-server/README.md"))),
                "om-core", List.of(configuration, operations));
        List<String> problems = new ArrayList<>();
        for (Manifest workload : stack.objects) {
            if (!workload.kind().equals("Deployment") && !workload.kind().equals("Fleet")) {
                continue;
            }
            for (JsonNode container : workload.podSpec().path("containers")) {
                List<String> docs = docsPerContainer.get(container.path("name").asText());
                if (docs == null) {
                    continue; // sidecars of other projects (nginx, OTel collector) are configured by files
                }
                List<String> expansionOnly = Stack.expansionOnly(container);
                for (JsonNode variable : container.path("env")) {
                    String name = variable.path("name").asText();
                    boolean documented = docs.stream().anyMatch(doc -> documents(doc, name));
                    if (!documented && !(expansionOnly.contains(name) && documents(operations, name))) {
                        problems.add(workload.name() + "/"
                                + container.path("name").asText() + ": " + name + " is documented nowhere");
                    }
                }
            }
        }
        return problems;
    }

    /** `NAME`, or a table's `PREFIX_A` / `_B` shorthand as the director README writes it. */
    private static boolean documents(String doc, String name) {
        if (doc.contains("`" + name + "`")) {
            return true;
        }
        int split = name.lastIndexOf('_', name.lastIndexOf('_') - 1);
        return split > 0
                && doc.contains("`" + name.substring(split) + "`")
                && doc.contains("`" + name.substring(0, split));
    }

    private static String operationsGuide() {
        Path guide = Repository.ROOT.resolve("docs/operations.md");
        return Files.exists(guide) ? Repository.read(guide) : "";
    }
}
