package dev.trespasser.localstack.fleet;

import dev.trespasser.proto.agones.sdk.GameServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

/**
 * A GameServer file as {@code sdk-server --local --file} reads it (YAML, or JSON which is YAML
 * too), turned into the SDK's {@link GameServer} message; and the fresh file a local slot starts
 * from. The file is written by other processes (the director), so anything malformed is refused
 * with a reason instead of half-read.
 */
public final class GameServerDocument {
    /** Far above any GameServer; a file this large is not one. */
    static final int MAX_BYTES = 256 * 1024;

    private GameServerDocument() {}

    /** Thrown for a file that is not a readable GameServer; the caller keeps what it had. */
    public static final class MalformedGameServerException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedGameServerException(String message) {
            super(message);
        }

        MalformedGameServerException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A GameServer as a slot's file starts: state Scheduled (the match server calls Ready once it
     * is up), the slot's name and a fresh uid, the player port, no annotations or labels. Its spec
     * is the shape of fleet.yaml's GameServer template with the slot's port as a static host
     * port, so the file is a GameServer the Agones API would accept (manifests: AgonesSchemaTest).
     */
    public static String fresh(String name, String uid, String address, int port, Instant created) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        metadata.put("namespace", "default");
        metadata.put("uid", uid);
        metadata.put("creationTimestamp", created.toString());
        metadata.put("annotations", new LinkedHashMap<>());
        metadata.put("labels", new LinkedHashMap<>(Map.of("agones.dev/fleet", "local")));
        Map<String, Object> gamePort = new LinkedHashMap<>();
        gamePort.put("name", "game");
        gamePort.put("portPolicy", "Static");
        gamePort.put("containerPort", port);
        gamePort.put("hostPort", port);
        gamePort.put("protocol", "TCP");
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("name", "match-server");
        container.put("image", "trespasser/match-server:local");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("container", "match-server");
        spec.put("ports", List.of(gamePort));
        spec.put("template", Map.of("spec", Map.of("containers", List.of(container))));
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("state", "Scheduled");
        status.put("address", address);
        status.put("ports", List.of(Map.of("name", "game", "port", port)));
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("apiVersion", "agones.dev/v1");
        document.put("kind", "GameServer");
        document.put("metadata", metadata);
        document.put("spec", spec);
        document.put("status", status);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        LoaderOptions loader = new LoaderOptions();
        return new Yaml(new SafeConstructor(loader), new Representer(options), options, loader).dump(document);
    }

    /**
     * Writes {@code file} the way the director's local fleet allocator does (in place, never a
     * truncation or a rename, which the SDK server would see wrongly), creating it first if new.
     */
    public static void writeInPlace(Path file, String content) throws IOException {
        if (Files.notExists(file)) {
            Files.createFile(file);
        }
        GameServerFile.writeInPlace(file, content);
    }

    public static GameServer read(Path file) throws MalformedGameServerException {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new MalformedGameServerException(file + " is over " + MAX_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new MalformedGameServerException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(new String(bytes, StandardCharsets.UTF_8));
    }

    public static GameServer parse(String text) throws MalformedGameServerException {
        if (text.length() > MAX_BYTES) {
            throw new MalformedGameServerException("document over " + MAX_BYTES + " characters");
        }
        Object root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(10);
            options.setNestingDepthLimit(20);
            options.setCodePointLimit(MAX_BYTES);
            options.setAllowDuplicateKeys(false);
            root = new Yaml(new SafeConstructor(options)).load(text);
        } catch (YAMLException e) {
            throw new MalformedGameServerException("not YAML: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> document)) {
            throw new MalformedGameServerException("not a GameServer document (blank, or not a mapping)");
        }
        Object kind = document.get("kind");
        if (kind != null && !"GameServer".equals(kind)) {
            throw new MalformedGameServerException("kind is " + kind + ", not GameServer");
        }
        GameServer.Builder gameServer = GameServer.newBuilder();
        Map<?, ?> metadata = map(document, "metadata");
        GameServer.ObjectMeta.Builder meta = gameServer
                .getObjectMetaBuilder()
                .setName(string(metadata, "name"))
                .setNamespace(string(metadata, "namespace"))
                .setUid(string(metadata, "uid"))
                .setResourceVersion(string(metadata, "resourceVersion"))
                .setGeneration(integer(metadata, "generation"))
                .setCreationTimestamp(epochSeconds(metadata, "creationTimestamp"))
                .setDeletionTimestamp(epochSeconds(metadata, "deletionTimestamp"));
        meta.putAllAnnotations(stringMap(metadata, "annotations"));
        meta.putAllLabels(stringMap(metadata, "labels"));

        Map<?, ?> health = map(map(document, "spec"), "health");
        gameServer
                .getSpecBuilder()
                .getHealthBuilder()
                .setDisabled(Boolean.TRUE.equals(health.get("disabled")))
                .setPeriodSeconds((int) integer(health, "periodSeconds"))
                .setFailureThreshold((int) integer(health, "failureThreshold"))
                .setInitialDelaySeconds((int) integer(health, "initialDelaySeconds"));

        Map<?, ?> status = map(document, "status");
        GameServer.Status.Builder statusBuilder =
                gameServer.getStatusBuilder().setState(string(status, "state")).setAddress(string(status, "address"));
        for (Map<?, ?> port : list(status, "ports")) {
            statusBuilder.addPorts(GameServer.Status.Port.newBuilder()
                    .setName(string(port, "name"))
                    .setPort((int) integer(port, "port")));
        }
        for (Map<?, ?> address : list(status, "addresses")) {
            statusBuilder.addAddresses(GameServer.Status.Address.newBuilder()
                    .setType(string(address, "type"))
                    .setAddress(string(address, "address")));
        }
        Map<?, ?> players = map(status, "players");
        if (!players.isEmpty()) {
            GameServer.Status.PlayerStatus.Builder playerStatus = statusBuilder
                    .getPlayersBuilder()
                    .setCount(integer(players, "count"))
                    .setCapacity(integer(players, "capacity"));
            Object ids = players.get("ids");
            if (ids instanceof List<?> idList) {
                idList.forEach(id -> playerStatus.addIds(String.valueOf(id)));
            } else if (ids != null) {
                throw new MalformedGameServerException("status.players.ids is not a list");
            }
        }
        return gameServer.build();
    }

    private static Map<?, ?> map(Map<?, ?> parent, String key) throws MalformedGameServerException {
        Object value = parent.get(key);
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw new MalformedGameServerException(key + " is not a mapping");
    }

    private static List<Map<?, ?>> list(Map<?, ?> parent, String key) throws MalformedGameServerException {
        Object value = parent.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> items)) {
            throw new MalformedGameServerException(key + " is not a list");
        }
        List<Map<?, ?>> maps = new java.util.ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof Map<?, ?> map)) {
                throw new MalformedGameServerException(key + " holds something that is not a mapping");
            }
            maps.add(map);
        }
        return maps;
    }

    private static String string(Map<?, ?> parent, String key) throws MalformedGameServerException {
        Object value = parent.get(key);
        if (value == null) {
            return "";
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            throw new MalformedGameServerException(key + " is not a scalar");
        }
        return String.valueOf(value);
    }

    private static long integer(Map<?, ?> parent, String key) throws MalformedGameServerException {
        Object value = parent.get(key);
        if (value == null) {
            return 0;
        }
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        throw new MalformedGameServerException(key + " is not an integer: " + value);
    }

    /** Kubernetes writes timestamps as RFC 3339 text; the SDK message carries epoch seconds. */
    private static long epochSeconds(Map<?, ?> parent, String key) throws MalformedGameServerException {
        Object value = parent.get(key);
        if (value == null) {
            return 0;
        }
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        if (value instanceof java.util.Date date) {
            return date.toInstant().getEpochSecond();
        }
        try {
            return Instant.parse(String.valueOf(value)).getEpochSecond();
        } catch (DateTimeParseException e) {
            throw new MalformedGameServerException(key + " is not an RFC 3339 timestamp: " + value);
        }
    }

    private static Map<String, String> stringMap(Map<?, ?> parent, String key) throws MalformedGameServerException {
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map(parent, key).entrySet()) {
            Object value = entry.getValue();
            if (value instanceof Map<?, ?> || value instanceof List<?>) {
                throw new MalformedGameServerException(key + "." + entry.getKey() + " is not a scalar");
            }
            result.put(String.valueOf(entry.getKey()), value == null ? "" : String.valueOf(value));
        }
        return result;
    }
}
