package dev.trespasser.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The openAPIV3Schema of every Agones CustomResourceDefinition (v1.56.0, as the Agones install
 * ships them), turned into JSON Schema and checked with a JSON-schema library.
 *
 * <p>Kubernetes schemas are structural OpenAPI v3 with extensions; the API server reads them as:
 * <ul>
 *   <li>an object field that neither declares it in {@code properties} nor allows it through
 *   {@code additionalProperties} or {@code x-kubernetes-preserve-unknown-fields: true} is pruned,
 *   and with strict field validation ({@code kubectl apply}'s default, {@code --validate=strict})
 *   the request is refused. Here such an object gets {@code additionalProperties: false}, so an
 *   unknown field is an error exactly where the API server would refuse it. (The v1.56.0 CRDs
 *   spell out the whole pod template and use {@code x-kubernetes-preserve-unknown-fields} nowhere,
 *   so every object in them is closed; the translation still honours it.)
 *   <li>{@code apiVersion}, {@code kind} and {@code metadata} at the root are implicit (the API
 *   server validates ObjectMeta itself); the root admits them as a string, a string and an object.
 *   <li>{@code x-kubernetes-int-or-string: true} admits an integer or a string;
 *   {@code nullable: true} admits null.
 *   <li>{@code x-kubernetes-list-type: set} means unique items. The uniqueness of
 *   {@code x-kubernetes-list-map-keys} has no JSON-Schema form and is not checked.
 *   <li>{@code format} is dropped: Kubernetes' formats ({@code int32}, {@code int-or-string}, ...)
 *   are not JSON Schema's, and the type and pattern checks carry the meaning that matters here.
 * </ul>
 */
final class AgonesSchemas {

    /** Where CI and every worktree find the peers' upstream artifacts: beside the clone. */
    static final Path CRDS =
            Repository.ROOT.resolve("../shared/peers/agones-crds-v1.56.0.yaml").normalize();

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** "group/version kind" → the schema of that resource. */
    private final Map<String, Schema> schemas;

    private AgonesSchemas(Map<String, Schema> schemas) {
        this.schemas = schemas;
    }

    static AgonesSchemas load() {
        return load(CRDS);
    }

    static AgonesSchemas load(Path crds) {
        if (!Files.isRegularFile(crds)) {
            throw new IllegalStateException(
                    "Agones' CRDs are missing: expected " + crds + " (shared/peers/ lies beside the"
                            + " repository's clone, in CI as in every worktree; its README says where the file comes from)."
                            + " The manifests are checked against these schemas, so this test cannot run without them.");
        }
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
        Map<String, Schema> schemas = new LinkedHashMap<>();
        for (Manifest crd : Manifest.read(crds)) {
            if (!crd.kind().equals("CustomResourceDefinition")) {
                continue;
            }
            JsonNode spec = crd.body().path("spec");
            for (JsonNode version : spec.path("versions")) {
                JsonNode openApi = version.path("schema").path("openAPIV3Schema");
                if (!version.path("served").asBoolean() || openApi.isMissingNode()) {
                    continue;
                }
                String key =
                        spec.path("group").asText() + "/" + version.path("name").asText() + " "
                                + spec.path("names").path("kind").asText();
                schemas.put(key, registry.getSchema(jsonSchema(openApi)));
            }
        }
        if (schemas.isEmpty()) {
            throw new IllegalStateException(crds + " holds no served CRD schema");
        }
        return new AgonesSchemas(schemas);
    }

    /** The resources these schemas cover, as "group/version Kind". */
    List<String> kinds() {
        return List.copyOf(schemas.keySet());
    }

    /** The kinds these schemas cover, without their API group: Fleet, GameServer, ... */
    Set<String> kindNames() {
        Set<String> kinds = new TreeSet<>();
        schemas.keySet().forEach(key -> kinds.add(key.substring(key.indexOf(' ') + 1)));
        return kinds;
    }

    /** What the API server would refuse in {@code object}; empty when it is valid. */
    List<String> problems(JsonNode object) {
        Schema schema = schemas.get(key(object));
        if (schema == null) {
            return List.of("no Agones CRD serves " + key(object));
        }
        List<String> problems = new ArrayList<>();
        for (Error error : schema.validate(object)) {
            problems.add(error.toString());
        }
        return problems;
    }

    private static String key(JsonNode object) {
        return object.path("apiVersion").asText() + " " + object.path("kind").asText();
    }

    /** A Kubernetes structural schema as JSON Schema (draft 4, whose keywords OpenAPI v3.0 shares). */
    static ObjectNode jsonSchema(JsonNode openApiV3Schema) {
        ObjectNode root = translate(openApiV3Schema);
        ObjectNode properties =
                root.has("properties") ? (ObjectNode) root.get("properties") : root.putObject("properties");
        properties.set("apiVersion", JSON.objectNode().put("type", "string"));
        properties.set("kind", JSON.objectNode().put("type", "string"));
        properties.set("metadata", JSON.objectNode().put("type", "object"));
        return root;
    }

    private static ObjectNode translate(JsonNode node) {
        ObjectNode out = JSON.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            switch (name) {
                case "properties" -> {
                    ObjectNode properties = out.putObject("properties");
                    value.fields().forEachRemaining(p -> properties.set(p.getKey(), translate(p.getValue())));
                }
                case "items" -> out.set("items", value.isObject() ? translate(value) : value);
                case "additionalProperties" ->
                    out.set("additionalProperties", value.isObject() ? translate(value) : value);
                case "anyOf", "allOf", "oneOf" -> {
                    ArrayNode branches = out.putArray(name);
                    value.forEach(branch -> branches.add(translateBranch(branch)));
                }
                case "not" -> out.set("not", translateBranch(value));
                case "format", "nullable", "description" -> {}
                default -> {
                    if (!name.startsWith("x-kubernetes-")) {
                        out.set(name, value);
                    }
                }
            }
        }
        if (node.path("x-kubernetes-int-or-string").asBoolean()) {
            out.remove("type");
            if (!out.has("anyOf")) {
                out.putArray("anyOf")
                        .add(JSON.objectNode().put("type", "integer"))
                        .add(JSON.objectNode().put("type", "string"));
            }
        }
        if (node.path("x-kubernetes-list-type").asText().equals("set")) {
            out.put("uniqueItems", true);
        }
        if (node.path("x-kubernetes-embedded-resource").asBoolean()) {
            ObjectNode properties =
                    out.has("properties") ? (ObjectNode) out.get("properties") : out.putObject("properties");
            properties.set("apiVersion", JSON.objectNode().put("type", "string"));
            properties.set("kind", JSON.objectNode().put("type", "string"));
            properties.set("metadata", JSON.objectNode().put("type", "object"));
        }
        boolean object = node.path("type").asText().equals("object") || node.has("properties");
        if (object
                && !node.has("additionalProperties")
                && !node.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
            out.put("additionalProperties", false); // pruned by the API server, refused by strict field validation
        }
        if (node.path("nullable").asBoolean()) {
            if (out.has("type")) {
                out.set("type", JSON.arrayNode().add(out.get("type").asText()).add("null"));
            } else if (out.has("anyOf")) {
                ((ArrayNode) out.get("anyOf")).add(JSON.objectNode().put("type", "null"));
            }
        }
        return out;
    }

    /**
     * A branch of anyOf/allOf/oneOf/not: structural schemas forbid types and properties that are
     * not also declared outside it, so a branch only adds constraints and must not close objects.
     */
    private static ObjectNode translateBranch(JsonNode branch) {
        ObjectNode out = translate(branch);
        if (!branch.has("additionalProperties")) {
            out.remove("additionalProperties");
        }
        return out;
    }
}
