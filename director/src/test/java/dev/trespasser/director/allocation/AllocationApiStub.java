package dev.trespasser.director.allocation;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Behaves like Agones' aggregated allocation API where no cluster can run: create only (any other
 * method is 405), one path per namespace, and 201 for every accepted request, with the outcome in
 * status.state. Replies are scripted per test; once the script is used up, the stub answers from
 * its fleet of Ready servers (each allocated once, with its own name, address and game port), and
 * UnAllocated when none is left, as Agones does.
 */
public final class AllocationApiStub implements AutoCloseable {

    /** One scripted reply: an HTTP status and, for 201, the allocation state. */
    public record Reply(int httpStatus, String state, String body) {
        public static Reply allocated() {
            return new Reply(201, "Allocated", null);
        }

        public static Reply unAllocated() {
            return new Reply(201, "UnAllocated", null);
        }

        public static Reply contention() {
            return new Reply(201, "Contention", null);
        }

        public static Reply error(int httpStatus, String body) {
            return new Reply(httpStatus, null, body);
        }
    }

    /** What the allocator sent. */
    public record Request(String method, String path, String contentType, JsonObject body) {}

    /** A fleet server the stub handed out: which server, and the request (with its annotations) that got it. */
    public record Granted(String gameServerName, String address, int port, JsonObject request) {}

    static final String GAME_SERVER = "trespasser-match-x7k2p-9fj3d";
    static final String ADDRESS = "34.90.1.2";

    private final HttpServer server;
    private final String namespace;
    private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Integer> readyServers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger createdServers = new AtomicInteger();
    public final List<Request> requests = new CopyOnWriteArrayList<>();
    public final List<String> refusedMethods = new CopyOnWriteArrayList<>();
    public final List<Granted> granted = new CopyOnWriteArrayList<>();

    public AllocationApiStub(String namespace) throws IOException {
        this.namespace = namespace;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        // One thread per request, as the API server: a held request must not block the others.
        server.setExecutor(Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "allocation-api-stub");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void script(Reply... next) {
        replies.addAll(List.of(next));
    }

    /** Adds Ready servers to the fleet the stub allocates from once its script is used up. */
    public void addReadyServers(int count) {
        for (int i = 0; i < count; i++) {
            readyServers.add(createdServers.getAndIncrement());
        }
    }

    /**
     * From now on every allocation request is held without a reply, like an API server that
     * hangs, until {@link #releaseHeld}; {@link #held} counts the requests waiting.
     */
    public void holdRequests() {
        hold = new CountDownLatch(1);
    }

    /** Answers every held request UnAllocated (its client may be gone) and stops holding. */
    public void releaseHeld() {
        CountDownLatch latch = hold;
        hold = null;
        if (latch != null) {
            latch.countDown();
        }
    }

    private volatile CountDownLatch hold;
    public final AtomicInteger held = new AtomicInteger();

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/apis/allocation.agones.dev/v1/namespaces/" + namespace + "/gameserverallocations")) {
                send(exchange, 404, status(404, "NotFound", "the server could not find the requested resource"));
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                refusedMethods.add(exchange.getRequestMethod());
                send(exchange, 405, status(405, "MethodNotAllowed", "only create is supported"));
                return;
            }
            String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            JsonObject body = JsonParser.parseString(text).getAsJsonObject();
            requests.add(new Request("POST", path, exchange.getRequestHeaders().getFirst("Content-Type"), body));
            CountDownLatch latch = hold;
            if (latch != null) {
                held.incrementAndGet();
                try {
                    latch.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    held.decrementAndGet();
                }
                send(exchange, 201, allocation(body, "UnAllocated", null));
                return;
            }
            Reply reply = replies.poll();
            if (reply == null) {
                Integer ready = readyServers.poll();
                if (ready == null) {
                    send(exchange, 201, allocation(body, "UnAllocated", null));
                    return;
                }
                Granted grant = new Granted(
                        "trespasser-match-" + ready,
                        "10.1." + (ready / 250) + "." + (ready % 250 + 1),
                        7000 + ready,
                        body);
                granted.add(grant);
                send(exchange, 201, allocation(body, "Allocated", grant));
                return;
            }
            if (reply.httpStatus() != 201) {
                send(exchange, reply.httpStatus(), reply.body());
                return;
            }
            send(exchange, 201, allocation(body, reply.state(), new Granted(GAME_SERVER, ADDRESS, 7654, body)));
        }
    }

    /** The created GameServerAllocation: the request echoed with a status. */
    private static String allocation(JsonObject request, String state, Granted server) {
        JsonObject status = new JsonObject();
        status.addProperty("state", state);
        if (state.equals("Allocated")) {
            status.addProperty("gameServerName", server.gameServerName());
            status.addProperty("address", server.address());
            status.addProperty("nodeName", "gke-pool-1-abc");
            status.add(
                    "ports",
                    JsonParser.parseString("[{\"name\":\"metrics\",\"port\":7501},{\"name\":\"game\",\"port\":"
                            + server.port() + "}]"));
        }
        JsonObject reply = request.deepCopy();
        reply.add("metadata", JsonParser.parseString("{\"creationTimestamp\":null}"));
        reply.add("status", status);
        return reply.toString();
    }

    private static String status(int code, String reason, String message) {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"" + message
                + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        releaseHeld();
        server.stop(0);
    }
}
