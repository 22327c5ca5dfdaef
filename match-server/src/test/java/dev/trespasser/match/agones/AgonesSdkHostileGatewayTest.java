package dev.trespasser.match.agones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.trespasser.proto.agones.sdk.GameServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK client against a sidecar gateway that answers badly: malformed, oversized, deeply
 * nested, wrongly typed or failing replies and watch streams become an {@link AgonesSdk.AgonesSdkException}
 * (or one onError), never a hang, an OutOfMemoryError or a StackOverflowError.
 */
class AgonesSdkHostileGatewayTest {

    private HttpServer gateway;
    private final AtomicReference<String> reply = new AtomicReference<>("{}");
    private final AtomicReference<Integer> status = new AtomicReference<>(200);
    private AgonesSdk sdk;

    @BeforeEach
    void start() throws Exception {
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        gateway.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = reply.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            } catch (java.io.IOException clientLeft) {
                // The client stops reading an oversized reply.
            }
        });
        gateway.start();
        sdk = AgonesSdk.connect("127.0.0.1", gateway.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        sdk.close();
        gateway.stop(0);
    }

    @Test
    void wellFormedGameServerIsRead() {
        reply.set(
                "{\"object_meta\":{\"name\":\"gs-1\",\"uid\":\"u\",\"creation_timestamp\":\"1796194961\",\"generation\":1,"
                        + "\"annotations\":{\"a\":\"b\"},\"labels\":{}},\"spec\":{\"health\":{\"period_seconds\":3}},"
                        + "\"status\":{\"state\":\"Allocated\",\"address\":\"127.0.0.1\",\"ports\":[{\"name\":\"default\",\"port\":7777}],"
                        + "\"players\":null,\"newer_field\":[1,2]}}");
        GameServer gs = sdk.gameServer();
        assertEquals("gs-1", gs.getObjectMeta().getName());
        assertEquals(1796194961L, gs.getObjectMeta().getCreationTimestamp());
        assertEquals("b", gs.getObjectMeta().getAnnotationsOrThrow("a"));
        assertEquals("Allocated", gs.getStatus().getState());
        assertEquals(7777, gs.getStatus().getPorts(0).getPort());
    }

    @Test
    void badRepliesAreRefused() {
        String[] bad = {
            "",
            "not json",
            "{",
            "[]",
            "{\"object_meta\":{\"name\":1}}",
            "{\"object_meta\":[]}",
            "{\"object_meta\":{\"annotations\":{\"a\":1}}}",
            "{\"status\":{\"ports\":{}}}",
            "{\"status\":{\"ports\":[1]}}",
            "{\"object_meta\":{\"generation\":\"x\"}}",
            "{\"object_meta\":{\"name\":\"a\",\"name\":\"b\"}}",
            "{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}",
            "{\"object_meta\":{\"name\":\"" + "x".repeat(AgonesSdk.MAX_BODY_CHARS) + "\"}}",
        };
        for (String body : bad) {
            reply.set(body);
            assertThrows(
                    AgonesSdk.AgonesSdkException.class,
                    sdk::gameServer,
                    body.length() > 80 ? body.substring(0, 80) : body);
        }
        reply.set("{\"bool\":\"yes\"}");
        assertThrows(AgonesSdk.AgonesSdkException.class, () -> sdk.playerConnect("p-1"));
    }

    @Test
    void errorStatusesCarryTheGatewayMessage() {
        status.set(500);
        reply.set("{\"code\":2,\"message\":\"PlayerTracking not enabled\",\"details\":[]}");
        AgonesSdk.AgonesSdkException e =
                assertThrows(AgonesSdk.AgonesSdkException.class, () -> sdk.playerConnect("p-1"));
        assertTrue(
                e.getMessage().contains("HTTP 500") && e.getMessage().contains("PlayerTracking not enabled"),
                e.getMessage());
        reply.set("<html>proxy error</html>");
        e = assertThrows(AgonesSdk.AgonesSdkException.class, sdk::ready);
        assertTrue(e.getMessage().contains("proxy error"), e.getMessage());
    }

    @Test
    void unreachableSidecarIsAnSdkException() {
        gateway.stop(0);
        assertThrows(AgonesSdk.AgonesSdkException.class, sdk::ready);
    }

    @Test
    void hostileWatchStreamsEndInOneError() throws Exception {
        String good = "{\"result\":{\"object_meta\":{\"name\":\"gs-1\"},\"status\":{\"state\":\"Ready\"}}}\n";
        String[] streams = {
            good + "garbage\n",
            good + "{\"error\":{\"code\":14,\"message\":\"unavailable\"}}\n",
            good + "{\"result\":" + "[".repeat(10_000) + "\n",
            good + "{\"result\":{\"object_meta\":{\"name\":\"" + "x".repeat(AgonesSdk.MAX_BODY_CHARS + 10) + "\"}}}\n",
            good,
        };
        for (String stream : streams) {
            reply.set(stream);
            List<GameServer> updates = new CopyOnWriteArrayList<>();
            CompletableFuture<Throwable> error = new CompletableFuture<>();
            try (AutoCloseable watch = sdk.watchGameServer(updates::add, error::complete)) {
                Throwable failure = error.get(10, TimeUnit.SECONDS);
                assertNotNull(failure);
                assertInstanceOf(AgonesSdk.AgonesSdkException.class, failure, String.valueOf(failure));
                assertEquals(1, updates.size(), "the good update before the bad one is delivered");
                assertEquals("Ready", updates.get(0).getStatus().getState());
            }
        }
    }

    @Test
    void closingTheWatchReportsNoError() throws Exception {
        gateway.removeContext("/");
        CompletableFuture<Void> release = new CompletableFuture<>();
        gateway.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody()
                    .write("{\"result\":{\"status\":{\"state\":\"Ready\"}}}\n".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            release.join();
            exchange.close();
        });
        List<GameServer> updates = new CopyOnWriteArrayList<>();
        CompletableFuture<Throwable> error = new CompletableFuture<>();
        AutoCloseable watch = sdk.watchGameServer(updates::add, error::complete);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (updates.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        watch.close();
        release.complete(null);
        Thread.sleep(300);
        assertEquals(1, updates.size());
        assertFalse(error.isDone(), "a watch closed by its owner is not an error: " + error.getNow(null));
    }

    @Test
    void jsonStringsSentToTheGatewayAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\u000a\"", AgonesSdk.quote("a\"b\\c\n"));
    }
}
