package dev.trespasser.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trespasser.director.tokens.SigningKeys;
import dev.trespasser.frontend.auth.JwtKeySource;
import dev.trespasser.match.net.JoinTokenVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every manifest parses, the kustomization's files exist, and kustomize renders the stack. */
class ManifestFilesTest {

    @Test
    void fleetYamlAndEveryYamlFileUnderOpenMatchParseIntoNamedObjects() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(Repository.FLEET);
        try (Stream<Path> walk = Files.walk(Repository.OPEN_MATCH)) {
            walk.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
        }
        assertTrue(files.size() >= 9, "manifests found: " + files);
        for (Path file : files) {
            List<Manifest> documents = Manifest.read(file);
            assertFalse(documents.isEmpty(), file + " holds no document");
            if (file.getParent().getFileName().toString().equals("config")) {
                continue; // sidecar configuration, not Kubernetes objects
            }
            for (Manifest document : documents) {
                if (document.kind().equals("Kustomization")) {
                    continue;
                }
                assertFalse(document.apiVersion().isEmpty(), file + ": an object without apiVersion");
                assertFalse(document.kind().isEmpty(), file + ": an object without kind");
                assertFalse(document.name().isEmpty(), file + ": a " + document.kind() + " without a name");
            }
        }
    }

    @Test
    void brokenYamlIsRefused() {
        assertThrows(
                UncheckedIOException.class,
                () -> Manifest.parse(Path.of("broken.yaml"), "kind: Service\nmetadata:\n  name: [unclosed\n"));
    }

    @Test
    void kustomizationReferencesOnlyFilesThatExistOrThatGenerateSecretsWrites() {
        JsonNode kustomization = Stack.load().kustomization;
        assertEquals("trespasser", kustomization.path("namespace").asText());
        for (JsonNode resource : kustomization.path("resources")) {
            assertTrue(
                    Files.isRegularFile(Repository.OPEN_MATCH.resolve(resource.asText())),
                    "missing resource " + resource);
        }
        String script = Repository.read(Repository.OPEN_MATCH.resolve("generate-secrets.sh"));
        for (String file : generatorFiles(kustomization)) {
            if (file.startsWith("keys/")) {
                String name = file.substring("keys/".length());
                assertTrue(
                        script.contains(name) || writtenForARedisUser(name),
                        "generate-secrets.sh does not write " + file);
            } else {
                assertTrue(Files.isRegularFile(Repository.OPEN_MATCH.resolve(file)), "missing generator file " + file);
            }
        }
        // The secrets never enter git or a build context.
        assertTrue(Repository.read(Repository.OPEN_MATCH.resolve("keys/.gitignore"))
                .lines()
                .anyMatch("*"::equals));
        assertTrue(Repository.read(Repository.ROOT.resolve(".dockerignore"))
                .lines()
                .anyMatch("open-match/keys"::equals));
    }

    @Test
    void generatedKeysAreTheOnesTheServicesAccept(@TempDir Path copy) throws Exception {
        assertTrue(onPath("openssl"), "generate-secrets.sh needs openssl on PATH");
        Path keys = generateSecrets(copy);

        SigningKeys.readPrivateKey(keys.resolve("join-token-private.pem"));
        JoinTokenVerifier.publicKeyFromPem(
                Files.readString(keys.resolve("join-token-public.pem"), StandardCharsets.US_ASCII));
        assertEquals(
                32,
                JwtKeySource.load(Optional.of(keys.resolve("frontend-jwt.key")), Optional.empty(), false)
                        .current()
                        .length);
        for (String file : List.of("results-redis-users.conf", "replay-redis-users.conf")) {
            assertTrue(Files.isRegularFile(keys.resolve(file)), file);
        }
        for (String password : List.of(
                "om-redis-password",
                "results-redis-frontend-password",
                "results-redis-director-password",
                "results-redis-match-server-password",
                "replay-redis-match-server-password")) {
            // Goes into redis:// URLs unescaped.
            assertTrue(Files.readString(keys.resolve(password)).matches("[0-9a-f]{64}"), password);
        }
        String before = Files.readString(keys.resolve("join-token-private.pem"));
        generateSecrets(copy);
        assertEquals(
                before, Files.readString(keys.resolve("join-token-private.pem")), "a second run must not rotate keys");
    }

    @Test
    void kubectlKustomizeRendersTheWholeStack(@TempDir Path copy) throws Exception {
        assertTrue(onPath("openssl") && onPath("kubectl"), "this check needs openssl and kubectl on PATH");
        generateSecrets(copy);
        Process kustomize = new ProcessBuilder("kubectl", "kustomize", copy.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String rendered = new String(kustomize.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(kustomize.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, kustomize.exitValue(), "kubectl kustomize failed");

        List<Manifest> objects = Manifest.parse(copy.resolve("rendered.yaml"), rendered);
        Set<String> names = new TreeSet<>();
        for (Manifest object : objects) {
            names.add(object.kind() + "/" + object.name());
            if (!object.kind().equals("Namespace")) {
                assertEquals(
                        "trespasser",
                        object.body().path("metadata").path("namespace").asText(),
                        object.name());
            }
        }
        Set<String> expected = new TreeSet<>();
        for (Manifest object : Stack.load().objects) {
            if (!object.file().equals(Repository.FLEET)) {
                expected.add(object.kind() + "/" + object.name());
            }
        }
        for (String generated : List.of(
                "ConfigMap/om-core-sidecars",
                "ConfigMap/join-token-public",
                "Secret/join-token-private",
                "Secret/frontend-jwt",
                "Secret/om-redis",
                "Secret/results-redis-users",
                "Secret/replay-redis-users",
                "Secret/results-redis-frontend",
                "Secret/results-redis-director",
                "Secret/results-redis-match-server",
                "Secret/replay-redis-match-server")) {
            expected.add(generated);
        }
        assertEquals(expected, names);
        // The images: line pins every service image to a tag.
        for (Manifest object : objects) {
            if (object.kind().equals("Deployment") || object.kind().equals("StatefulSet")) {
                for (JsonNode container : object.podSpec().path("containers")) {
                    assertTrue(
                            container.path("image").asText().contains(":"), object.name() + " has an untagged image");
                }
            }
            // Kustomize's label transformers must leave the policies' selectors as written: a label
            // added to a podSelector would drop the Agones-labelled game server pods out of theirs.
            if (object.kind().equals("NetworkPolicy")) {
                assertEquals(
                        Stack.load().get("NetworkPolicy", object.name()).body().path("spec"),
                        object.body().path("spec"),
                        "kustomize changed NetworkPolicy " + object.name());
            }
        }
    }

    private static List<String> generatorFiles(JsonNode kustomization) {
        List<String> files = new ArrayList<>();
        for (String generator : List.of("configMapGenerator", "secretGenerator")) {
            for (JsonNode entry : kustomization.path(generator)) {
                for (JsonNode file : entry.path("files")) {
                    String text = file.asText();
                    files.add(text.substring(text.indexOf('=') + 1));
                }
            }
        }
        return files;
    }

    /**
     * generate-secrets.sh writes {@code <redis>-users.conf} and {@code <redis>-<user>-password} for
     * every user of {@code redis/<redis>-users.conf} (generatedKeysAreTheOnesTheServicesAccept runs it).
     */
    private static boolean writtenForARedisUser(String name) {
        for (String redis : List.of(CrossChecks.RESULTS_REDIS, CrossChecks.REPLAY_REDIS)) {
            if (name.equals(redis + "-users.conf")) {
                return true;
            }
            for (String user : RedisUsers.of(redis).keySet()) {
                if (!user.equals("default") && name.equals(redis + "-" + user + "-password")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A copy of open-match/ with keys/ filled by generate-secrets.sh; returns the keys folder. */
    static Path generateSecrets(Path copy) throws Exception {
        if (!Files.exists(copy.resolve("kustomization.yaml"))) {
            try (Stream<Path> walk = Files.walk(Repository.OPEN_MATCH)) {
                for (Path source : walk.toList()) {
                    Path relative = Repository.OPEN_MATCH.relativize(source);
                    if (relative.startsWith("keys") && Files.isRegularFile(source)) {
                        continue; // an operator's real keys, if any, stay where they are
                    }
                    Path target = copy.resolve(relative.toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target);
                    }
                }
            }
        }
        Process script = new ProcessBuilder(
                        "bash", copy.resolve("generate-secrets.sh").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertTrue(script.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, script.exitValue(), "generate-secrets.sh failed");
        return copy.resolve("keys");
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
