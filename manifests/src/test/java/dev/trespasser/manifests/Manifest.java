package dev.trespasser.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One Kubernetes object read from a manifest file, with where it came from. */
record Manifest(Path file, JsonNode body) {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    String kind() {
        return body.path("kind").asText();
    }

    String name() {
        return body.path("metadata").path("name").asText();
    }

    String apiVersion() {
        return body.path("apiVersion").asText();
    }

    /** Every document of a multi-document YAML text; empty documents are skipped. */
    static List<Manifest> parse(Path file, String text) {
        List<Manifest> documents = new ArrayList<>();
        try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(text)) {
            var values = YAML.readValues(parser, JsonNode.class);
            while (values.hasNextValue()) {
                JsonNode node = values.nextValue();
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    documents.add(new Manifest(file, node));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file + ": " + e.getMessage(), e);
        }
        return documents;
    }

    static List<Manifest> read(Path file) {
        return parse(file, Repository.read(file));
    }

    /** The pod template of a Deployment/StatefulSet, or of a Fleet's GameServer template. */
    JsonNode podSpec() {
        return switch (kind()) {
            case "Fleet" ->
                body.path("spec").path("template").path("spec").path("template").path("spec");
            case "Deployment", "StatefulSet", "DaemonSet", "Job" ->
                body.path("spec").path("template").path("spec");
            default -> throw new IllegalStateException(kind() + " has no pod template");
        };
    }

    JsonNode podAnnotations() {
        return switch (kind()) {
            case "Fleet" ->
                body.path("spec")
                        .path("template")
                        .path("spec")
                        .path("template")
                        .path("metadata")
                        .path("annotations");
            default -> body.path("spec").path("template").path("metadata").path("annotations");
        };
    }

    Optional<JsonNode> container(String name) {
        for (JsonNode container : podSpec().path("containers")) {
            if (name.equals(container.path("name").asText())) {
                return Optional.of(container);
            }
        }
        return Optional.empty();
    }

    /** A copy whose body can be changed, for tests that prove a broken manifest is caught. */
    Manifest mutableCopy() {
        return new Manifest(file, body.deepCopy());
    }
}
