package dev.trespasser.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The cert-manager objects of {@code open-match/cert-manager/}: those its kustomization applies,
 * and every one of its files (the private-CA issuer is an alternative the kustomization leaves out).
 * Kept apart from open-match/'s kustomization so that {@code kubectl apply -k open-match/} works on a
 * cluster without cert-manager.
 */
record CertManager(List<Manifest> applied, List<Manifest> everyFile) {

    static final Path FOLDER = Repository.OPEN_MATCH.resolve("cert-manager");
    static final String API_VERSION = "cert-manager.io/v1";

    static CertManager load() {
        JsonNode kustomization =
                Manifest.read(FOLDER.resolve("kustomization.yaml")).get(0).body();
        List<Manifest> applied = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            applied.addAll(Manifest.read(FOLDER.resolve(resource.asText())));
        }
        List<Manifest> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(FOLDER)) {
            for (Path file : files.sorted().toList()) {
                if (file.toString().endsWith(".yaml")) {
                    Manifest.read(file).stream()
                            .filter(m -> !m.kind().equals("Kustomization"))
                            .forEach(all::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new CertManager(applied, all);
    }

    /** The same objects with {@code replacement} in place of the applied object of that kind and name. */
    CertManager with(Manifest replacement) {
        List<Manifest> replaced = new ArrayList<>();
        for (Manifest object : applied) {
            boolean same =
                    object.kind().equals(replacement.kind()) && object.name().equals(replacement.name());
            replaced.add(same ? replacement : object);
        }
        return new CertManager(replaced, replaced);
    }

    List<Manifest> certificates() {
        return applied.stream().filter(m -> m.kind().equals("Certificate")).toList();
    }

    Manifest certificate(String name) {
        return certificates().stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no Certificate " + name));
    }

    /** The schema subset of {@code src/test/resources/cert-manager-v1-subset.yaml}, by kind. */
    static final class Schemas {
        private final Map<String, Schema> byKind;

        private Schemas(Map<String, Schema> byKind) {
            this.byKind = byKind;
        }

        static Schemas load() {
            String text;
            try (InputStream in = CertManager.class.getResourceAsStream("/cert-manager-v1-subset.yaml")) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            JsonNode subset = Manifest.parse(Path.of("cert-manager-v1-subset.yaml"), text)
                    .get(0)
                    .body();
            SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
            return new Schemas(Map.of(
                    "Certificate", registry.getSchema(AgonesSchemas.jsonSchema(subset.path("Certificate"))),
                    "ClusterIssuer", registry.getSchema(AgonesSchemas.jsonSchema(subset.path("ClusterIssuer")))));
        }

        /** What the subset refuses in {@code object}; a kind or version it does not know is a problem too. */
        List<String> problems(Manifest object) {
            String where = object.kind() + "/" + object.name() + ": ";
            if (!object.apiVersion().equals(API_VERSION)) {
                return List.of(where + "apiVersion " + object.apiVersion() + ", not " + API_VERSION);
            }
            Schema schema = byKind.get(object.kind());
            if (schema == null) {
                return List.of(where + "a kind the schema subset does not describe");
            }
            List<String> problems = new ArrayList<>();
            for (Error error : schema.validate(object.body())) {
                problems.add(where + error);
            }
            return problems;
        }
    }
}
