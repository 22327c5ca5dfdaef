package dev.trespasser.peers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Answers the one metadata-server call om-core v2.0.2 makes before every MMF invocation.
 *
 * <p>v2.0.2 asks Google for an ID token for every MMF host, even plain http:// ones, and skips
 * the MMF when that fails. Pointing its {@code GCE_METADATA_HOST} here gives it a token off
 * Google Cloud, so a local MMF is called. The token is an opaque marker, not a credential: our
 * MMF runs on a private network and does not authenticate om-core.
 */
public final class GceMetadataEndpoint implements AutoCloseable {
    public static final String LOCAL_ID_TOKEN = "trespasser-local-om-core";
    private static final String IDENTITY_PATH = "/computeMetadata/v1/instance/service-accounts/default/identity";

    private final HttpServer server;

    private GceMetadataEndpoint(HttpServer server) {
        this.server = server;
    }

    public static GceMetadataEndpoint start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.createContext("/", GceMetadataEndpoint::handle);
            server.start();
            return new GceMetadataEndpoint(server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the metadata endpoint", e);
        }
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().add("Metadata-Flavor", "Google");
            boolean identity = exchange.getRequestURI().getPath().equals(IDENTITY_PATH)
                    && "Google".equals(exchange.getRequestHeaders().getFirst("Metadata-Flavor"));
            byte[] body = (identity ? LOCAL_ID_TOKEN : "not found").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(identity ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** The value for om-core's {@code GCE_METADATA_HOST}. */
    public String hostAndPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
