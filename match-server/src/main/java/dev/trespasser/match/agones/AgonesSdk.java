package dev.trespasser.match.agones;

import dev.trespasser.match.json.MalformedJsonException;
import dev.trespasser.match.json.StrictJson;
import dev.trespasser.proto.agones.sdk.GameServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A thin client for the Agones SDK sidecar through its HTTP/JSON gateway (the REST SDK: the same
 * SDK calls as gRPC, served by the sidecar's grpc-gateway on {@code AGONES_SDK_HTTP_PORT}), over
 * {@link SidecarHttp}: plain HTTP/1.1 on the calling thread, no gRPC, Netty or HttpClient in the
 * match process. It is the only way the match server talks to Agones, in a cluster and locally
 * alike. Every reply is read bounded ({@link #MAX_BODY_CHARS}) and parsed strictly ({@link
 * StrictJson}); a failed call throws {@link AgonesSdkException}.
 */
public final class AgonesSdk implements AutoCloseable {
    /**
     * Largest reply or watch line read: a GameServer with Kubernetes' full 256 KiB of annotations
     * fits, JSON-escaped; anything larger is refused rather than buffered.
     */
    static final int MAX_BODY_CHARS = 1 << 20;
    /** A GameServer is nested 5 deep (result, status, counters, name, fields); 16 leaves room. */
    static final int MAX_JSON_DEPTH = 16;

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private final SidecarHttp http;

    private AgonesSdk(String host, int port) {
        this.http = new SidecarHttp(host, port, CALL_TIMEOUT);
    }

    /** {@code port} is the sidecar's HTTP gateway port. */
    public static AgonesSdk connect(String host, int port) {
        return new AgonesSdk(host, port);
    }

    public void ready() {
        call("POST", "/ready", "{}");
    }

    public void allocate() {
        call("POST", "/allocate", "{}");
    }

    public void shutdown() {
        call("POST", "/shutdown", "{}");
    }

    /** One health ping (the gateway turns each POST into a ping on the Health stream). */
    public void health() {
        call("POST", "/health", "{}");
    }

    public void reserve(Duration duration) {
        call("POST", "/reserve", "{\"seconds\":\"" + duration.toSeconds() + "\"}");
    }

    public GameServer gameServer() {
        return GameServerJson.read(call("GET", "/gameserver", null));
    }

    public void setLabel(String key, String value) {
        call("PUT", "/metadata/label", keyValue(key, value));
    }

    public void setAnnotation(String key, String value) {
        call("PUT", "/metadata/annotation", keyValue(key, value));
    }

    /** Alpha player tracking: false when the player was already connected. */
    public boolean playerConnect(String playerId) {
        return bool(call("POST", "/alpha/player/connect", "{\"playerID\":" + quote(playerId) + "}"));
    }

    public boolean playerDisconnect(String playerId) {
        return bool(call("POST", "/alpha/player/disconnect", "{\"playerID\":" + quote(playerId) + "}"));
    }

    /**
     * Streams every GameServer update until the returned handle is closed: one long GET of
     * {@code /watch/gameserver}, read on a thread of its own, one JSON object per line
     * ({@code {"result": GameServer}}, or {@code {"error": ...}} when the stream fails). A
     * stream that ends, fails or sends something unreadable is reported to {@code onError} once,
     * unless the handle was closed first.
     */
    public AutoCloseable watchGameServer(Consumer<GameServer> onUpdate, Consumer<Throwable> onError) {
        Watch watch = new Watch();
        Thread reader = new Thread(
                () -> {
                    try {
                        SidecarHttp.Reply response = http.exchange("GET", "/watch/gameserver", null, true);
                        watch.attach(response);
                        if (response.status() != 200) {
                            throw new AgonesSdkException("GET /watch/gameserver answered HTTP " + response.status());
                        }
                        BufferedReader lines =
                                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
                        String line;
                        while ((line = readLine(lines)) != null) {
                            if (line.isBlank()) {
                                continue;
                            }
                            Map<String, Object> message = parse(line, "watch update");
                            if (message.get("result") instanceof Map<?, ?> result) {
                                onUpdate.accept(GameServerJson.read(result));
                            } else {
                                throw new AgonesSdkException("watch stream failed: " + message.get("error"));
                            }
                        }
                        throw new AgonesSdkException("watch stream ended");
                    } catch (Exception e) {
                        if (!watch.closed) {
                            onError.accept(e);
                        }
                    }
                },
                "agones-watch");
        reader.setDaemon(true);
        reader.start();
        return watch;
    }

    /** A line of at most {@link #MAX_BODY_CHARS}, or null at the end of the stream. */
    private static String readLine(BufferedReader reader) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = reader.read()) >= 0) {
            if (c == '\n') {
                return line.toString();
            }
            if (line.length() == MAX_BODY_CHARS) {
                throw new AgonesSdkException("watch update longer than " + MAX_BODY_CHARS + " chars");
            }
            line.append((char) c);
        }
        return line.length() == 0 ? null : line.toString();
    }

    private Map<String, Object> call(String method, String path, String body) {
        int status;
        String text;
        try (SidecarHttp.Reply response = http.exchange(method, path, body, false)) {
            status = response.status();
            byte[] bytes = response.body().readNBytes(MAX_BODY_CHARS + 1);
            if (bytes.length > MAX_BODY_CHARS) {
                throw new AgonesSdkException(method + " " + path + ": reply longer than " + MAX_BODY_CHARS + " bytes");
            }
            text = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AgonesSdkException(method + " " + path + " failed: " + e, e);
        }
        if (status != 200) {
            // grpc-gateway's error body: {"code": <gRPC code>, "message": ..., "details": []}.
            String message = text;
            try {
                message = String.valueOf(parse(text, "error").get("message"));
            } catch (AgonesSdkException unreadable) {
                // Keep the raw text (bounded above).
            }
            throw new AgonesSdkException(method + " " + path + " answered HTTP " + status + ": " + message);
        }
        return parse(text, method + " " + path + " reply");
    }

    private static Map<String, Object> parse(String text, String what) {
        try {
            return StrictJson.parseObject(text, MAX_BODY_CHARS, MAX_JSON_DEPTH);
        } catch (MalformedJsonException e) {
            throw new AgonesSdkException(what + " is not a JSON object: " + e.getMessage(), e);
        }
    }

    private static boolean bool(Map<String, Object> reply) {
        // Agones emits unpopulated fields, but a false may also be left out.
        Object value = reply.get("bool");
        if (value == null || value instanceof Boolean) {
            return Boolean.TRUE.equals(value);
        }
        throw new AgonesSdkException("expected {\"bool\": true|false}, got " + reply);
    }

    private static String keyValue(String key, String value) {
        return "{\"key\":" + quote(key) + ",\"value\":" + quote(value) + "}";
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** Nothing to release: each call opens and closes its own connection; a watch ends with its handle. */
    @Override
    public void close() {}

    /** The handle of one watch stream: closing it ends the stream without reporting an error. */
    private static final class Watch implements AutoCloseable {
        private volatile boolean closed;
        private SidecarHttp.Reply reply;

        synchronized void attach(SidecarHttp.Reply stream) throws IOException {
            reply = stream;
            if (closed) {
                stream.close();
            }
        }

        @Override
        public synchronized void close() throws IOException {
            closed = true;
            if (reply != null) {
                reply.close();
            }
        }
    }

    /** A call the sidecar refused, or one that never reached it. */
    public static final class AgonesSdkException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AgonesSdkException(String message) {
            super(message);
        }

        AgonesSdkException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The gateway's GameServer JSON (proto field names, int64 as strings, unpopulated fields
     * present) read into the SDK's GameServer message, strictly by type: the fields the match
     * server reads and those Agones' conformance values use; unknown fields are ignored, as a
     * newer sidecar adds them.
     */
    static final class GameServerJson {
        private GameServerJson() {}

        static GameServer read(Map<?, ?> json) {
            GameServer.Builder gameServer = GameServer.newBuilder();
            Map<?, ?> meta = object(json, "object_meta");
            GameServer.ObjectMeta.Builder objectMeta = gameServer
                    .getObjectMetaBuilder()
                    .setName(string(meta, "name"))
                    .setNamespace(string(meta, "namespace"))
                    .setUid(string(meta, "uid"))
                    .setResourceVersion(string(meta, "resource_version"))
                    .setGeneration(int64(meta, "generation"))
                    .setCreationTimestamp(int64(meta, "creation_timestamp"))
                    .setDeletionTimestamp(int64(meta, "deletion_timestamp"));
            strings(meta, "annotations").forEach(objectMeta::putAnnotations);
            strings(meta, "labels").forEach(objectMeta::putLabels);
            Map<?, ?> status = object(json, "status");
            GameServer.Status.Builder statusBuilder = gameServer
                    .getStatusBuilder()
                    .setState(string(status, "state"))
                    .setAddress(string(status, "address"));
            Object ports = status.get("ports");
            if (ports instanceof List<?> list) {
                for (Object port : list) {
                    if (!(port instanceof Map<?, ?> entry)) {
                        throw new AgonesSdkException("GameServer status.ports holds a non-object");
                    }
                    statusBuilder.addPorts(GameServer.Status.Port.newBuilder()
                            .setName(string(entry, "name"))
                            .setPort((int) int64(entry, "port")));
                }
            } else if (ports != null && ports != StrictJson.NULL) {
                throw new AgonesSdkException("GameServer status.ports is not an array");
            }
            return gameServer.build();
        }

        private static Map<?, ?> object(Map<?, ?> json, String field) {
            Object value = json.get(field);
            if (value == null || value == StrictJson.NULL) {
                return Map.of();
            }
            if (value instanceof Map<?, ?> map) {
                return map;
            }
            throw new AgonesSdkException("GameServer field " + field + " is not an object");
        }

        private static String string(Map<?, ?> json, String field) {
            Object value = json.get(field);
            if (value == null || value == StrictJson.NULL) {
                return "";
            }
            if (value instanceof String s) {
                return s;
            }
            throw new AgonesSdkException("GameServer field " + field + " is not a string");
        }

        /** protojson writes int64 as a string and int32 as a number; both are read. */
        private static long int64(Map<?, ?> json, String field) {
            Object value = json.get(field);
            if (value == null || value == StrictJson.NULL) {
                return 0;
            }
            if (value instanceof Long number) {
                return number;
            }
            if (value instanceof String s) {
                try {
                    return Long.parseLong(s);
                } catch (NumberFormatException e) {
                    throw new AgonesSdkException("GameServer field " + field + " is not an integer: " + s);
                }
            }
            throw new AgonesSdkException("GameServer field " + field + " is not an integer");
        }

        private static Map<String, String> strings(Map<?, ?> json, String field) {
            Map<?, ?> map = object(json, field);
            Map<String, String> out = new java.util.LinkedHashMap<>();
            map.forEach((key, value) -> {
                if (!(value instanceof String s)) {
                    throw new AgonesSdkException("GameServer " + field + "." + key + " is not a string");
                }
                out.put((String) key, s);
            });
            return out;
        }
    }
}
