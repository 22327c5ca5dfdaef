package dev.trespasser.peers.doubles;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.trespasser.peers.FreePort;
import dev.trespasser.proto.agones.sdk.Duration;
import dev.trespasser.proto.agones.sdk.Empty;
import dev.trespasser.proto.agones.sdk.GameServer;
import dev.trespasser.proto.agones.sdk.KeyValue;
import dev.trespasser.proto.agones.sdk.SDKGrpc;
import dev.trespasser.proto.agones.sdk.alpha.Bool;
import dev.trespasser.proto.agones.sdk.alpha.PlayerID;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one test double of the Agones SDK server, for unit tests of the logic that uses it (the
 * match server's lifecycle and player tracking, the director's local-fleet choice). It keeps just
 * the state those tests drive: the GameServer (state, annotations, labels), its watchers, the
 * calls made, health pings and the alpha player set, and it can fail or slow player calls on
 * demand, which the real server cannot. Everything the real server does is proven against it
 * ({@code dev.trespasser.peers.AgonesSdkServer}) in the contract and end-to-end tests.
 */
public final class AgonesSdkDouble extends SDKGrpc.SDKImplBase implements AutoCloseable {
    /** The SDK call names in Agones' conformance vocabulary (ready, health, watch, ...). */
    public final List<String> calls = new CopyOnWriteArrayList<>();

    public final AtomicInteger healthPings = new AtomicInteger();
    /** The alpha service: player tracking. */
    public final Players players = new Players();

    private final List<StreamObserver<GameServer>> watchers = new CopyOnWriteArrayList<>();
    private final int port = FreePort.pick();
    private final int httpPort = FreePort.pick();
    private Server server;
    private HttpServer gateway;
    private ExecutorService gatewayThreads;
    private GameServer gameServer;

    /** A GameServer named gs-test in state Scheduled, as a pod's sidecar starts. */
    public AgonesSdkDouble() {
        this("gs-test", "Scheduled");
    }

    public AgonesSdkDouble(String gameServerName, String state) {
        gameServer = GameServer.newBuilder()
                .setObjectMeta(GameServer.ObjectMeta.newBuilder().setName(gameServerName))
                .setStatus(GameServer.Status.newBuilder().setState(state))
                .build();
    }

    /**
     * Serves the SDK and its alpha service on a free loopback port, and the same calls through an
     * HTTP/JSON gateway on another, shaped as the real sidecar's grpc-gateway answers (proto field
     * names, int64 as strings, unpopulated fields present, watch as one JSON line per update
     * wrapped in {@code {"result": ...}}, errors as {@code {"code", "message"}} with HTTP 500).
     */
    public AgonesSdkDouble start() {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                    .addService(this)
                    .addService(players)
                    .build()
                    .start();
            gatewayThreads = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "sdk-double-gateway");
                thread.setDaemon(true);
                return thread;
            });
            gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", httpPort), 16);
            gateway.setExecutor(gatewayThreads);
            gateway.createContext("/", this::serveHttp);
            gateway.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public int port() {
        return port;
    }

    /** The HTTP/JSON gateway's port (AGONES_SDK_HTTP_PORT). */
    public int httpPort() {
        return httpPort;
    }

    private void serveHttp(HttpExchange exchange) throws IOException {
        String route =
                exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        try {
            Gateway<?> reply = new Gateway<>();
            switch (route) {
                case "POST /ready" -> ready(Empty.getDefaultInstance(), cast(reply));
                case "POST /allocate" -> allocate(Empty.getDefaultInstance(), cast(reply));
                case "POST /shutdown" -> shutdown(Empty.getDefaultInstance(), cast(reply));
                case "POST /reserve" -> reserve(parse(body, Duration.newBuilder()), cast(reply));
                case "PUT /metadata/label" -> setLabel(parse(body, KeyValue.newBuilder()), cast(reply));
                case "PUT /metadata/annotation" -> setAnnotation(parse(body, KeyValue.newBuilder()), cast(reply));
                case "GET /gameserver" -> getGameServer(Empty.getDefaultInstance(), cast(reply));
                case "POST /alpha/player/connect" ->
                    players.playerConnect(parse(body, PlayerID.newBuilder()), cast(reply));
                case "POST /alpha/player/disconnect" ->
                    players.playerDisconnect(parse(body, PlayerID.newBuilder()), cast(reply));
                case "POST /health" -> {
                    // The gateway opens a Health stream per request and sends the body as its one ping.
                    StreamObserver<Empty> pings = health(cast(reply));
                    pings.onNext(Empty.getDefaultInstance());
                    pings.onCompleted();
                }
                case "GET /watch/gameserver" -> {
                    watch(exchange);
                    return;
                }
                default -> {
                    respond(exchange, 404, "{\"code\":5,\"message\":\"Not Found\",\"details\":[]}");
                    return;
                }
            }
            if (reply.error != null) {
                Status status = Status.fromThrowable(reply.error);
                respond(
                        exchange,
                        500,
                        "{\"code\":" + status.getCode().value() + ",\"message\":"
                                + quote(String.valueOf(status.getDescription())) + ",\"details\":[]}");
            } else {
                respond(exchange, 200, print(reply.value));
            }
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            respond(exchange, 400, "{\"code\":3,\"message\":" + quote(e.getMessage()) + ",\"details\":[]}");
        }
    }

    /** Streams the current GameServer and every change, one line each, until the client leaves or the double closes. */
    private void watch(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        java.util.concurrent.CountDownLatch gone = new java.util.concurrent.CountDownLatch(1);
        watchGameServer(Empty.getDefaultInstance(), new StreamObserver<>() {
            @Override
            public void onNext(GameServer value) {
                try {
                    out.write(("{\"result\":" + print(value) + "}\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (IOException e) {
                    gone.countDown();
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void onError(Throwable t) {
                gone.countDown();
            }

            @Override
            public void onCompleted() {
                gone.countDown();
            }
        });
        try {
            gone.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String print(Message message) throws com.google.protobuf.InvalidProtocolBufferException {
        return JsonFormat.printer()
                .preservingProtoFieldNames()
                .includingDefaultValueFields()
                .omittingInsignificantWhitespace()
                .print(message);
    }

    @SuppressWarnings("unchecked")
    private static <M extends Message> M parse(String json, Message.Builder builder)
            throws com.google.protobuf.InvalidProtocolBufferException {
        JsonFormat.parser().merge(json, builder);
        return (M) builder.build();
    }

    @SuppressWarnings("unchecked")
    private static <T> StreamObserver<T> cast(Gateway<?> reply) {
        return (StreamObserver<T>) reply;
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    /** One unary reply (or the error) as the gateway would turn it into JSON. */
    private static final class Gateway<T extends Message> implements StreamObserver<T> {
        private Message value;
        private Throwable error;

        @Override
        public void onNext(T next) {
            value = next;
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onCompleted() {}
    }

    public synchronized String state() {
        return gameServer.getStatus().getState();
    }

    public synchronized GameServer gameServer() {
        return gameServer;
    }

    /** What the director's allocation does: state Allocated plus annotations. */
    public synchronized void allocate(Map<String, String> annotations) {
        GameServer.Builder next = gameServer.toBuilder();
        next.getObjectMetaBuilder().putAllAnnotations(annotations);
        next.getStatusBuilder().setState("Allocated");
        publish(next.build());
    }

    /** A state change from outside the game server (Agones' controller, a local fleet file). */
    public synchronized void setState(String state) {
        GameServer.Builder next = gameServer.toBuilder();
        next.getStatusBuilder().setState(state);
        publish(next.build());
    }

    /** What the game's SetAnnotation(key, value) leaves: the real server prefixes "agones.dev/sdk-". */
    public void annotateThroughSdk(String key, String value) {
        change(next -> next.getObjectMetaBuilder().putAnnotations("agones.dev/sdk-" + key, value));
    }

    private synchronized void change(java.util.function.Consumer<GameServer.Builder> edit) {
        GameServer.Builder next = gameServer.toBuilder();
        edit.accept(next);
        publish(next.build());
    }

    private void publish(GameServer next) {
        gameServer = next;
        for (StreamObserver<GameServer> watcher : new ArrayList<>(watchers)) {
            try {
                watcher.onNext(next);
            } catch (RuntimeException gone) {
                watchers.remove(watcher);
            }
        }
    }

    @Override
    public void ready(Empty request, StreamObserver<Empty> response) {
        calls.add("ready");
        setState("Ready");
        reply(response, Empty.getDefaultInstance());
    }

    @Override
    public void allocate(Empty request, StreamObserver<Empty> response) {
        calls.add("allocate");
        setState("Allocated");
        reply(response, Empty.getDefaultInstance());
    }

    @Override
    public void reserve(Duration request, StreamObserver<Empty> response) {
        calls.add("reserve");
        setState("Reserved");
        reply(response, Empty.getDefaultInstance());
    }

    @Override
    public void shutdown(Empty request, StreamObserver<Empty> response) {
        calls.add("shutdown");
        setState("Shutdown");
        reply(response, Empty.getDefaultInstance());
    }

    @Override
    public void setLabel(KeyValue request, StreamObserver<Empty> response) {
        calls.add("setlabel");
        change(next -> next.getObjectMetaBuilder().putLabels("agones.dev/sdk-" + request.getKey(), request.getValue()));
        reply(response, Empty.getDefaultInstance());
    }

    @Override
    public void setAnnotation(KeyValue request, StreamObserver<Empty> response) {
        calls.add("setannotation");
        annotateThroughSdk(request.getKey(), request.getValue());
        reply(response, Empty.getDefaultInstance());
    }

    @Override
    public void getGameServer(Empty request, StreamObserver<GameServer> response) {
        calls.add("gameserver");
        reply(response, gameServer());
    }

    @Override
    public void watchGameServer(Empty request, StreamObserver<GameServer> response) {
        calls.add("watch");
        synchronized (this) {
            watchers.add(response);
            response.onNext(gameServer);
        }
    }

    @Override
    public StreamObserver<Empty> health(StreamObserver<Empty> response) {
        calls.add("health");
        return new StreamObserver<>() {
            @Override
            public void onNext(Empty value) {
                healthPings.incrementAndGet();
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {
                reply(response, Empty.getDefaultInstance());
            }
        };
    }

    private static <T> void reply(StreamObserver<T> response, T value) {
        response.onNext(value);
        response.onCompleted();
    }

    @Override
    public void close() throws InterruptedException {
        for (StreamObserver<GameServer> watcher : new ArrayList<>(watchers)) {
            watcher.onCompleted();
        }
        watchers.clear();
        if (gateway != null) {
            gateway.stop(0);
            gatewayThreads.shutdownNow();
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Player tracking as the alpha SDK serves it with the PlayerTracking feature gate on: a set of
     * connected player ids. {@link #failWith} makes every call fail, {@link #delayMillis} slow.
     */
    public static final class Players extends dev.trespasser.proto.agones.sdk.alpha.SDKGrpc.SDKImplBase {
        public final List<String> calls = new CopyOnWriteArrayList<>();
        private final Set<String> connected = ConcurrentHashMap.newKeySet();
        private volatile Status failure;
        private volatile long delayMillis;

        public Set<String> connected() {
            return Set.copyOf(connected);
        }

        public void failWith(Status status) {
            failure = status;
        }

        public void delayMillis(long millis) {
            delayMillis = millis;
        }

        @Override
        public void playerConnect(PlayerID request, StreamObserver<Bool> response) {
            answer("connect " + request.getPlayerID(), response, () -> connected.add(request.getPlayerID()));
        }

        @Override
        public void playerDisconnect(PlayerID request, StreamObserver<Bool> response) {
            answer("disconnect " + request.getPlayerID(), response, () -> connected.remove(request.getPlayerID()));
        }

        private void answer(String call, StreamObserver<Bool> response, java.util.function.BooleanSupplier change) {
            calls.add(call);
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Status failing = failure;
            if (failing != null) {
                response.onError(failing.asRuntimeException());
                return;
            }
            reply(response, Bool.newBuilder().setBool(change.getAsBoolean()).build());
        }
    }
}
