package dev.trespasser.frontend.browser;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.common.util.TimeoutMode;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.cors.CorsService;
import com.linecorp.armeria.server.grpc.GrpcService;
import dev.trespasser.frontend.tls.ServerCertificate;
import io.grpc.ServerServiceDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The browser port, one Armeria server: the player API over gRPC-Web (binary and base64 text,
 * HTTP/1.1 and HTTP/2, HTTPS when the frontend has a certificate) from the very
 * {@link ServerServiceDefinition} the native gRPC port serves, so the same interceptors (auth,
 * rate limits, metrics, malformed-request refusal) see every call; the web bundle; CORS locked to
 * the configured origins; security headers on every response.
 */
public final class BrowserPort implements AutoCloseable {

    /** Bounds everything but the assignment stream: unary calls, static files, a slow request body. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** gRPC-Web base64 text is 4/3 of the binary message, plus frame headers and the trailer frame. */
    static final long MAX_HTTP_REQUEST_BYTES = 64 * 1024;

    static final String WATCH_ASSIGNMENT = "/trespasser.frontend.v1.FrontendService/WatchAssignment";

    private final Server server;

    /**
     * @param maxRequestMessageBytes the same cap the native port puts on a request message
     * @param streamTimeout how long a WatchAssignment stream may stay open: the queue timeout ends
     *     every stream before it, so this only catches one that would otherwise never end
     * @param maxConnectionAge connections are closed after this long, as on the native port
     * @param shutdownGrace how long in-flight calls get on stop
     */
    public record Settings(
            int port,
            List<String> allowedOrigins,
            Optional<ServerCertificate> tls,
            int maxRequestMessageBytes,
            Duration streamTimeout,
            Duration maxConnectionAge,
            Duration shutdownGrace) {
        public Settings {
            allowedOrigins = List.copyOf(allowedOrigins);
        }
    }

    private BrowserPort(Server server) {
        this.server = server;
    }

    /** Builds the server; {@link #start} binds it. */
    public static BrowserPort create(Settings settings, ServerServiceDefinition api) {
        GrpcService grpcWeb = GrpcService.builder()
                .addService(api)
                // Outermost: the service's own interceptors see the browser's address.
                .intercept(new TransportAttributes())
                .supportedSerializationFormats(
                        GrpcSerializationFormats.PROTO_WEB, GrpcSerializationFormats.PROTO_WEB_TEXT)
                .maxRequestMessageLength(settings.maxRequestMessageBytes())
                // The service blocks on Redis and the password-hash pool: never on an event loop.
                .useBlockingTaskExecutor(true)
                .build();

        ServerBuilder builder = Server.builder();
        if (settings.tls().isPresent()) {
            ServerCertificate certificate = settings.tls().get();
            builder.https(settings.port()).tls(certificate.key(), certificate.chain());
        } else {
            builder.http(settings.port());
        }
        builder.maxRequestLength(MAX_HTTP_REQUEST_BYTES)
                .requestTimeout(REQUEST_TIMEOUT)
                .http1MaxHeaderSize(16 * 1024)
                .http2MaxHeaderListSize(16 * 1024)
                .maxConnectionAge(settings.maxConnectionAge())
                .gracefulShutdownTimeout(Duration.ZERO, settings.shutdownGrace())
                .disableServerHeader();

        List<Function<? super HttpService, ? extends HttpService>> apiDecorators = new ArrayList<>();
        // Innermost first. A stream lives up to the queue timeout; the default bound would cut it.
        apiDecorators.add(delegate -> (HttpService) (ctx, request) -> {
            if (ctx.path().equals(WATCH_ASSIGNMENT)) {
                ctx.setRequestTimeout(TimeoutMode.SET_FROM_START, settings.streamTimeout());
            }
            return delegate.serve(ctx, request);
        });
        if (!settings.allowedOrigins().isEmpty()) {
            apiDecorators.add(corsFor(settings.allowedOrigins()));
        }
        apiDecorators.add(delegate -> new OriginGuard(delegate, settings.allowedOrigins()));
        builder.service(grpcWeb, apiDecorators);
        WebBundle.addTo(builder);
        builder.decorator(
                delegate -> new SecurityHeaders(delegate, settings.tls().isPresent()));
        return new BrowserPort(builder.build());
    }

    private static Function<? super HttpService, CorsService> corsFor(List<String> origins) {
        return CorsService.builder(origins)
                .allowRequestMethods(HttpMethod.POST)
                .allowRequestHeaders(
                        HttpHeaderNames.CONTENT_TYPE,
                        HttpHeaderNames.of("x-grpc-web"),
                        HttpHeaderNames.of("x-user-agent"),
                        HttpHeaderNames.AUTHORIZATION,
                        HttpHeaderNames.of("grpc-timeout"))
                .exposeHeaders("grpc-status", "grpc-message", "grpc-status-details-bin")
                .maxAge(Duration.ofMinutes(10))
                .newDecorator();
    }

    public BrowserPort start() {
        server.start().join();
        return this;
    }

    public int port() {
        return server.activeLocalPort();
    }

    /** Stops accepting, lets in-flight calls finish within the grace, then closes; completes when done. */
    public CompletableFuture<Void> stop() {
        return server.stop();
    }

    @Override
    public void close() {
        server.close();
    }
}
