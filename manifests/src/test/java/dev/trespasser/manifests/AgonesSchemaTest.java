package dev.trespasser.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.trespasser.localstack.fleet.GameServerDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Fleet, FleetAutoscaler and GameServer of the repository against the openAPIV3Schema of
 * Agones' own CRDs (v1.56.0, read from shared/peers/ beside the clone), the way the API server
 * with strict field validation would take them; and broken copies of each, which must be refused.
 */
class AgonesSchemaTest {

    private static final Set<String> SKIPPED_FOLDERS = Set.of(".git", ".tools", "target", "node_modules");

    private final AgonesSchemas schemas = AgonesSchemas.load();
    private final Stack stack = Stack.load();

    @Test
    void theCrdsServeTheKindsTheRepositoryUses() {
        assertTrue(
                schemas.kinds()
                        .containsAll(List.of(
                                "agones.dev/v1 Fleet",
                                "autoscaling.agones.dev/v1 FleetAutoscaler",
                                "agones.dev/v1 GameServer")),
                "kinds in the CRDs: " + schemas.kinds());
    }

    @Test
    void everyAgonesObjectInTheRepositoryMatchesItsCrd() throws IOException {
        TreeMap<String, List<String>> problems = new TreeMap<>();
        List<String> kinds = new ArrayList<>();
        for (Manifest object : agonesObjectsInRepositoryYaml()) {
            kinds.add(object.kind());
            List<String> found = schemas.problems(object.body());
            if (!found.isEmpty()) {
                problems.put(
                        Repository.ROOT.relativize(object.file()) + " " + object.kind() + "/" + object.name(), found);
            }
        }
        assertEquals(new TreeMap<>(), problems);
        assertTrue(kinds.containsAll(List.of("Fleet", "FleetAutoscaler")), "found: " + kinds);
    }

    @Test
    void theGameServerFileTheLocalStackWritesForTheSdkServerMatchesTheCrd() {
        assertEquals(List.of(), schemas.problems(localGameServer()));
    }

    @Test
    void aFleetWithAWrongTypeOrAnUnknownFieldIsRefused() {
        JsonNode fleet = stack.get("Fleet", CrossChecks.FLEET).body();
        assertRefused(fleet, f -> spec(f).put("replicas", "200"), "replicas");
        assertRefused(fleet, f -> spec(f).put("scheduling", "Spread-ish"), "scheduling");
        assertRefused(fleet, f -> spec(f).put("replica", 200), "replica");
        // Deep in the pod template, where a typo would silently drop the limits.
        assertRefused(
                fleet,
                f -> {
                    ObjectNode resources =
                            (ObjectNode) f.at("/spec/template/spec/template/spec/containers/0/resources");
                    resources.set("limit", resources.remove("limits"));
                },
                "limit");
        assertRefused(
                fleet,
                f -> ((ObjectNode) f.at("/spec/template/spec/health")).put("periodSeconds", "5s"),
                "periodSeconds");
        assertRefused(fleet, f -> ((ObjectNode) f.at("/spec/template/spec/ports/0")).put("port", 7777), "port");
    }

    @Test
    void aFleetAutoscalerWithAWrongTypeOrAnUnknownFieldIsRefused() {
        JsonNode autoscaler = stack.ofKind("FleetAutoscaler").get(0).body();
        assertRefused(
                autoscaler, a -> ((ObjectNode) a.at("/spec/policy/buffer")).put("maxReplicas", "1700"), "maxReplicas");
        assertRefused(
                autoscaler, a -> ((ObjectNode) a.at("/spec/policy/buffer")).put("bufferSize", true), "bufferSize");
        assertRefused(autoscaler, a -> ((ObjectNode) a.at("/spec/policy/buffer")).put("minReplica", 200), "minReplica");
        assertRefused(autoscaler, a -> spec(a).put("sync", "30s"), "sync");
    }

    @Test
    void aGameServerWithAWrongTypeOrAnUnknownFieldIsRefused() {
        JsonNode gameServer = localGameServer();
        assertRefused(gameServer, g -> ((ObjectNode) g.at("/status/ports/0")).put("port", "7777"), "port");
        assertRefused(gameServer, g -> ((ObjectNode) g.path("status")).put("state", "Playing"), "state");
        assertRefused(gameServer, g -> ((ObjectNode) g.path("status")).put("adress", "127.0.0.1"), "adress");
        assertRefused(gameServer, g -> spec(g).putObject("healthCheck").put("disabled", false), "healthCheck");
        assertRefused(gameServer, g -> ((ObjectNode) g).remove("spec"), "spec");
    }

    @Test
    void theTranslationKeepsWhatKubernetesAllowsAndClosesWhatItPrunes() {
        JsonNode openApi = Manifest.parse(Path.of("synthetic.yaml"), """
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      open:
                        type: object
                        x-kubernetes-preserve-unknown-fields: true
                      closed:
                        type: object
                        properties:
                          known: {type: string}
                      labels:
                        type: object
                        additionalProperties: {type: string}
                      port:
                        x-kubernetes-int-or-string: true
                        anyOf: [{type: integer}, {type: string}]
                      maybe:
                        type: integer
                        format: int32
                        nullable: true
                      tags:
                        type: array
                        x-kubernetes-list-type: set
                        items: {type: string}
                """).get(0).body();
        var schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4)
                .getSchema(AgonesSchemas.jsonSchema(openApi));
        Consumer<String> valid = yaml -> assertEquals(List.of(), schema.validate(yaml(yaml)), yaml);
        Consumer<String> invalid =
                yaml -> assertFalse(schema.validate(yaml(yaml)).isEmpty(), yaml);

        valid.accept(
                "{apiVersion: x/v1, kind: X, metadata: {name: a, anything: 1}, spec: {open: {whatever: [1, {a: b}]}}}");
        valid.accept("{spec: {closed: {known: k}, labels: {a: b}, port: 80, maybe: null, tags: [a, b]}}");
        valid.accept("{spec: {port: http, maybe: 3}}");
        invalid.accept("{spec: {closed: {unknown: k}}}");
        invalid.accept("{spec: {unknown: 1}}");
        invalid.accept("{status: {}}");
        invalid.accept("{spec: {labels: {a: 1}}}");
        invalid.accept("{spec: {port: 1.5}}");
        invalid.accept("{spec: {maybe: x}}");
        invalid.accept("{spec: {tags: [a, a]}}");
    }

    @Test
    void missingCrdsFailWithWhereTheyWereExpected(@TempDir Path dir) {
        Path missing = dir.resolve("shared/peers/agones-crds-v1.56.0.yaml");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AgonesSchemas.load(missing));
        assertTrue(
                e.getMessage().contains(missing.toString()) && e.getMessage().contains("shared/peers/"),
                e.getMessage());
    }

    private void assertRefused(JsonNode original, Consumer<JsonNode> breakIt, String field) {
        JsonNode broken = original.deepCopy();
        breakIt.accept(broken);
        List<String> problems = schemas.problems(broken);
        assertFalse(
                problems.isEmpty(),
                "a broken " + original.path("kind").asText() + " (" + field + ") passed the schema");
        assertTrue(problems.stream().anyMatch(p -> p.contains(field)), field + " not named in " + problems);
        assertEquals(List.of(), schemas.problems(original), "the unbroken original must pass");
    }

    private static ObjectNode spec(JsonNode object) {
        return (ObjectNode) object.path("spec");
    }

    private static JsonNode localGameServer() {
        String text = GameServerDocument.fresh(
                "local-0", "0b6c7a4e-local", "127.0.0.1", 7777, Instant.parse("2026-12-01T00:00:00Z"));
        return Manifest.parse(Path.of("local-0.yaml"), text).get(0).body();
    }

    private static JsonNode yaml(String text) {
        return Manifest.parse(Path.of("inline.yaml"), text).get(0).body();
    }

    /**
     * Every object of a kind Agones' CRDs define, in the repository's YAML files (whatever its
     * apiVersion says: a wrong group or version is a problem too).
     */
    private List<Manifest> agonesObjectsInRepositoryYaml() throws IOException {
        List<Manifest> objects = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Repository.ROOT)) {
            files = walk.filter(p -> {
                        for (Path part : Repository.ROOT.relativize(p)) {
                            if (SKIPPED_FOLDERS.contains(part.toString())) {
                                return false;
                            }
                        }
                        String name = p.getFileName().toString();
                        return Files.isRegularFile(p) && (name.endsWith(".yaml") || name.endsWith(".yml"));
                    })
                    .sorted()
                    .toList();
        }
        for (Path file : files) {
            String text = Repository.read(file);
            if (schemas.kindNames().stream().noneMatch(kind -> text.contains("kind: " + kind))) {
                continue;
            }
            for (Manifest object : Manifest.read(file)) {
                if (schemas.kindNames().contains(object.kind())) {
                    objects.add(object);
                }
            }
        }
        return objects;
    }
}
