package dev.trespasser.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything an operator applies: the objects of {@code open-match/kustomization.yaml}'s resources
 * and of {@code fleet.yaml}, with the kustomization's namespace, and the container environments
 * resolved the way the kubelet resolves them.
 */
final class Stack {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    final JsonNode kustomization;
    final String namespace;
    final List<Manifest> objects;

    Stack(JsonNode kustomization, List<Manifest> objects) {
        this.kustomization = kustomization;
        this.namespace = kustomization.path("namespace").asText();
        this.objects = List.copyOf(objects);
    }

    static Stack load() {
        Path kustomizationFile = Repository.OPEN_MATCH.resolve("kustomization.yaml");
        JsonNode kustomization = Manifest.read(kustomizationFile).get(0).body();
        List<Manifest> objects = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            objects.addAll(Manifest.read(Repository.OPEN_MATCH.resolve(resource.asText())));
        }
        objects.addAll(Manifest.read(Repository.FLEET));
        return new Stack(kustomization, objects);
    }

    /** The same stack with {@code replacement} in place of the object of the same kind and name. */
    Stack with(Manifest replacement) {
        List<Manifest> replaced = new ArrayList<>();
        for (Manifest object : objects) {
            boolean same =
                    object.kind().equals(replacement.kind()) && object.name().equals(replacement.name());
            replaced.add(same ? replacement : object);
        }
        return new Stack(kustomization, replaced);
    }

    /** The same stack without the object of that kind and name (a test's missing object). */
    Stack without(String kind, String name) {
        get(kind, name);
        return new Stack(
                kustomization,
                objects.stream()
                        .filter(o -> !(o.kind().equals(kind) && o.name().equals(name)))
                        .toList());
    }

    Manifest get(String kind, String name) {
        return objects.stream()
                .filter(o -> o.kind().equals(kind) && o.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException("no " + kind + " " + name + " in the manifests"));
    }

    List<Manifest> ofKind(String kind) {
        return objects.stream().filter(o -> o.kind().equals(kind)).toList();
    }

    /** The namespace an object ends up in: its own (fleet.yaml) or the kustomization's. */
    String namespaceOf(Manifest object) {
        String own = object.body().path("metadata").path("namespace").asText();
        return own.isEmpty() ? namespace : own;
    }

    /** Placeholder a test sees where the kubelet would put a Secret's value. */
    static String secretValue(String secret, String key) {
        return "secret-" + secret + "-" + key;
    }

    /**
     * The container's environment as the process sees it: literal values, {@code $(VAR)} expanded
     * from variables defined before it, Secret keys as {@link #secretValue} placeholders, and the
     * pod's namespace from the downward API.
     */
    Map<String, String> env(Manifest object, String container) {
        JsonNode spec = object.container(container)
                .orElseThrow(() -> new NoSuchElementException(object.name() + " has no container " + container));
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode variable : spec.path("env")) {
            String name = variable.path("name").asText();
            String value;
            if (variable.has("value")) {
                value = expand(variable.path("value").asText(), env);
            } else if (variable.path("valueFrom").has("secretKeyRef")) {
                JsonNode ref = variable.path("valueFrom").path("secretKeyRef");
                value = secretValue(ref.path("name").asText(), ref.path("key").asText());
            } else if (variable.path("valueFrom")
                    .path("fieldRef")
                    .path("fieldPath")
                    .asText()
                    .equals("metadata.namespace")) {
                value = namespaceOf(object);
            } else {
                throw new IllegalArgumentException(
                        object.name() + "/" + container + ": unsupported env source for " + name);
            }
            env.put(name, value);
        }
        return env;
    }

    /** Variables only there to be expanded into others ({@code $(NAME)}), never read by the process. */
    static List<String> expansionOnly(JsonNode container) {
        List<String> referenced = new ArrayList<>();
        for (JsonNode variable : container.path("env")) {
            Matcher matcher = REFERENCE.matcher(variable.path("value").asText());
            while (matcher.find()) {
                referenced.add(matcher.group(1));
            }
        }
        return referenced;
    }

    private static String expand(String value, Map<String, String> defined) {
        Matcher matcher = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String replacement = defined.get(matcher.group(1));
            // The kubelet leaves an undefined reference as it is; so do we, and the checks catch it.
            matcher.appendReplacement(
                    out, Matcher.quoteReplacement(replacement == null ? matcher.group() : replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** A container port by name or number, as probes and Services refer to it. */
    static int containerPort(JsonNode container, JsonNode port) {
        if (port.isInt()) {
            return port.asInt();
        }
        for (JsonNode declared : container.path("ports")) {
            if (declared.path("name").asText().equals(port.asText())) {
                return declared.path("containerPort").asInt();
            }
        }
        throw new NoSuchElementException("container " + container.path("name").asText() + " has no port " + port);
    }

    /** The port a Service named {@code service} exposes under {@code portName}. */
    int servicePort(String service, String portName) {
        for (JsonNode port : get("Service", service).body().path("spec").path("ports")) {
            if (port.path("name").asText().equals(portName)) {
                return port.path("port").asInt();
            }
        }
        throw new NoSuchElementException("Service " + service + " has no port " + portName);
    }

    /** The container port a Service's named port lands on in the pods it selects. */
    int serviceTargetPort(String service, String portName, Manifest workload, String container) {
        for (JsonNode port : get("Service", service).body().path("spec").path("ports")) {
            if (port.path("name").asText().equals(portName)) {
                JsonNode target = port.has("targetPort") ? port.path("targetPort") : port.path("port");
                return containerPort(workload.container(container).orElseThrow(), target);
            }
        }
        throw new NoSuchElementException("Service " + service + " has no port " + portName);
    }
}
