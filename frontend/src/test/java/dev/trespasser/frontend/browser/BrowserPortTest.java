package dev.trespasser.frontend.browser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import dev.trespasser.frontend.FrontendHarness;
import dev.trespasser.frontend.QueueStack;
import dev.trespasser.peers.tls.LocalCertificateAuthority;
import dev.trespasser.proto.frontend.v1.Assignment;
import dev.trespasser.proto.frontend.v1.FindMatchRequest;
import dev.trespasser.proto.frontend.v1.FrontendServiceGrpc;
import dev.trespasser.proto.frontend.v1.GetProfileRequest;
import dev.trespasser.proto.frontend.v1.GetProfileResponse;
import dev.trespasser.proto.frontend.v1.GetQueueOptionsRequest;
import dev.trespasser.proto.frontend.v1.GetQueueOptionsResponse;
import dev.trespasser.proto.frontend.v1.LoginGuestRequest;
import dev.trespasser.proto.frontend.v1.LoginGuestResponse;
import dev.trespasser.proto.frontend.v1.LoginRequest;
import dev.trespasser.proto.frontend.v1.LoginResponse;
import dev.trespasser.proto.frontend.v1.RegisterRequest;
import dev.trespasser.proto.frontend.v1.Session;
import dev.trespasser.proto.frontend.v1.WatchAssignmentRequest;
import dev.trespasser.proto.frontend.v1.WatchAssignmentResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.params.SetParams;

/**
 * The browser port over HTTPS with a certificate from a local CA, and the native gRPC port with the
 * same certificate, against a real frontend, Redis and om-core: gRPC-Web calls through the real
 * service and interceptors, the streamed WatchAssignment, CORS, the web bundle, hostile bodies.
 */
class BrowserPortTest {

    static final String ALLOWED = "https://play.example.com";
    static final String FOREIGN = "https://evil.example.net";

    private static Path folder;
    private static LocalCertificateAuthority ca;
    private static QueueStack stack;
    private static GrpcWebClient browser;
    private static ManagedChannel nativeTls;

    @BeforeAll
    static void start() throws Exception {
        folder = Files.createTempDirectory("browser-port-test");
        ca = LocalCertificateAuthority.create(folder, "trespasser test CA");
        LocalCertificateAuthority.IssuedCertificate certificate =
                ca.issue("frontend", List.of("localhost"), List.of("127.0.0.1"));
        stack = QueueStack.start(
                Map.of(),
                Map.of(
                        "FRONTEND_TLS_CERT_FILE", certificate.certificateFile().toString(),
                        "FRONTEND_TLS_KEY_FILE", certificate.keyFile().toString(),
                        "FRONTEND_ALLOWED_ORIGINS", ALLOWED + ", https://other.example.com:8443"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (stack.frontend().server().assignmentChannel().subscriptions() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        browser = new GrpcWebClient(
                GrpcWebClient.trusting(ca.caCertificateFile()),
                "https://127.0.0.1:" + stack.frontend().server().webPort());
        nativeTls = Grpc.newChannelBuilderForAddress(
                        "127.0.0.1",
                        stack.frontend().server().port(),
                        TlsChannelCredentials.newBuilder()
                                .trustManager(ca.caCertificateFile().toFile())
                                .build())
                .overrideAuthority("localhost")
                .build();
    }

    @AfterAll
    static void stop() {
        if (nativeTls != null) {
            nativeTls.shutdownNow();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void grpcWebLoginThenProfileOverHttpsRunsTheRealService() throws Exception {
        GrpcWebClient.Reply login = browser.call(
                "LoginGuest", LoginGuestRequest.getDefaultInstance().toByteArray());
        assertEquals(200, login.httpStatus());
        assertEquals("0", login.grpcStatus(), login.grpcMessage());
        assertEquals(HttpClient.Version.HTTP_2, login.response().version(), "HTTP/2 over TLS (ALPN)");
        Session session = LoginGuestResponse.parseFrom(login.messages().get(0)).getSession();
        assertTrue(session.getPlayerId().length() > 0, session.toString());

        GrpcWebClient.Reply profile = browser.call(
                "GetProfile",
                GetProfileRequest.getDefaultInstance().toByteArray(),
                "authorization",
                "Bearer " + session.getAccessToken());
        assertEquals("0", profile.grpcStatus(), profile.grpcMessage());
        GetProfileResponse response =
                GetProfileResponse.parseFrom(profile.messages().get(0));
        assertEquals(session.getPlayerId(), response.getPlayerId());

        // The same interceptors as the native port: no token, no profile.
        GrpcWebClient.Reply anonymous = browser.call(
                "GetProfile", GetProfileRequest.getDefaultInstance().toByteArray());
        assertEquals(String.valueOf(Status.Code.UNAUTHENTICATED.value()), anonymous.grpcStatus());
    }

    @Test
    void queueOptionsReachABrowserWithoutAToken() throws Exception {
        GrpcWebClient.Reply reply = browser.call(
                "GetQueueOptions", GetQueueOptionsRequest.getDefaultInstance().toByteArray());
        assertEquals("0", reply.grpcStatus(), reply.grpcMessage());
        GetQueueOptionsResponse options =
                GetQueueOptionsResponse.parseFrom(reply.messages().get(0));
        assertEquals(List.of("eu", "us"), options.getRegionsList());
        assertEquals(
                List.of("4v4", "2v2", "1v1"),
                options.getModesList().stream().map(mode -> mode.getLabel()).toList());
    }

    @Test
    void requestsWithFieldsReachTheServiceIntact() throws Exception {
        // Every message above is empty; a request with fields must survive the transport's buffer
        // being released after parsing (it once arrived as freed memory and was refused).
        String username = "browser" + System.nanoTime() % 1_000_000;
        GrpcWebClient.Reply register = browser.call(
                "Register",
                RegisterRequest.newBuilder()
                        .setUsername(username)
                        .setPassword("correct horse battery")
                        .build()
                        .toByteArray());
        assertEquals("0", register.grpcStatus(), register.grpcMessage());
        GrpcWebClient.Reply login = browser.call(
                "Login",
                LoginRequest.newBuilder()
                        .setUsername(username)
                        .setPassword("correct horse battery")
                        .build()
                        .toByteArray());
        assertEquals("0", login.grpcStatus(), login.grpcMessage());
        assertTrue(LoginResponse.parseFrom(login.messages().get(0))
                        .getSession()
                        .getAccessToken()
                        .length()
                > 0);
    }

    @Test
    void grpcWebTextCarriesTheSameCall() throws Exception {
        GrpcWebClient.Reply login = browser.callText(
                "LoginGuest", LoginGuestRequest.getDefaultInstance().toByteArray());
        assertEquals(200, login.httpStatus());
        assertTrue(login.header("content-type").startsWith(GrpcWebClient.TEXT), login.header("content-type"));
        assertEquals("0", login.grpcStatus(), login.grpcMessage());
        assertFalse(LoginGuestResponse.parseFrom(login.messages().get(0))
                .getSession()
                .getAccessToken()
                .isEmpty());
    }

    @Test
    void nativeGrpcPortServesTlsToAChannelTrustingTheCa() {
        Session session = FrontendServiceGrpc.newBlockingStub(nativeTls)
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .loginGuest(LoginGuestRequest.getDefaultInstance())
                .getSession();
        GetProfileResponse profile = FrontendServiceGrpc.newBlockingStub(nativeTls)
                .withInterceptors(
                        MetadataUtils.newAttachHeadersInterceptor(FrontendHarness.bearer(session.getAccessToken())))
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .getProfile(GetProfileRequest.getDefaultInstance());
        assertEquals(session.getPlayerId(), profile.getPlayerId());

        ManagedChannel plaintext = Grpc.newChannelBuilderForAddress(
                        "127.0.0.1", stack.frontend().server().port(), InsecureChannelCredentials.create())
                .build();
        try {
            StatusRuntimeException refused = assertThrows(
                    StatusRuntimeException.class,
                    () -> FrontendServiceGrpc.newBlockingStub(plaintext)
                            .withDeadlineAfter(10, TimeUnit.SECONDS)
                            .loginGuest(LoginGuestRequest.getDefaultInstance()));
            assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode(), refused.toString());
        } finally {
            plaintext.shutdownNow();
        }
    }

    @Test
    void watchAssignmentStreamsToTheBrowserStatusFirstThenTheAssignment() throws Exception {
        Session player = guest();
        String ticket = FrontendServiceGrpc.newBlockingStub(nativeTls)
                .withInterceptors(
                        MetadataUtils.newAttachHeadersInterceptor(FrontendHarness.bearer(player.getAccessToken())))
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .findMatch(FindMatchRequest.newBuilder().setRegion("eu").build())
                .getTicketId();

        HttpRequest request = browser.post(
                        "WatchAssignment",
                        GrpcWebClient.PROTO,
                        GrpcWebClient.frame(
                                WatchAssignmentRequest.getDefaultInstance().toByteArray()),
                        "authorization",
                        "Bearer " + player.getAccessToken())
                .timeout(java.time.Duration.ofSeconds(60))
                .build();
        HttpResponse<InputStream> response = browser.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        try (InputStream body = response.body()) {
            // Read while the call is open: the status arrives before anything ends the stream.
            GrpcWebClient.Frame first = GrpcWebClient.Frame.read(body);
            assertFalse(first.trailers(), "a message, not the end");
            assertTrue(WatchAssignmentResponse.parseFrom(first.payload()).hasQueued(), "a QueueStatus first");

            Assignment assignment = Assignment.newBuilder()
                    .setHost("10.0.0.7")
                    .setPort(7777)
                    .setToken("join-token-browser")
                    .setMatchId("match-browser")
                    .setTls(true)
                    .build();
            // Exactly what the director does (frontend/README.md, the assignment contract).
            stack.frontend()
                    .redis()
                    .set(
                            "trespasser:assignment:" + ticket,
                            JsonFormat.printer().print(assignment),
                            SetParams.setParams().ex(600));
            stack.frontend().redis().publish("trespasser:assignments", ticket);

            WatchAssignmentResponse next;
            do {
                GrpcWebClient.Frame frame = GrpcWebClient.Frame.read(body);
                assertFalse(frame.trailers(), "the stream ended before the assignment: " + frame.trailerMap());
                next = WatchAssignmentResponse.parseFrom(frame.payload());
            } while (next.hasQueued());
            assertEquals(assignment, next.getAssignment());
            GrpcWebClient.Frame end = GrpcWebClient.Frame.read(body);
            assertTrue(end.trailers());
            assertEquals(
                    "0", end.trailerMap().get("grpc-status"), end.trailerMap().toString());
        }
    }

    @Test
    void onShutdownAnOpenBrowserStreamEndsUnavailableWithItsTrailers() throws Exception {
        // A plaintext frontend of its own on the same Redis and om-core: this one is stopped.
        FrontendHarness own =
                FrontendHarness.start(stack.redis(), stack.omCore().grpcTarget(), Map.of());
        boolean closing = false;
        try {
            Session player = own.guest();
            own.as(player)
                    .findMatch(FindMatchRequest.newBuilder().setRegion("us").build());
            GrpcWebClient plain = new GrpcWebClient(
                    HttpClient.newHttpClient(),
                    "http://127.0.0.1:" + own.server().webPort());
            HttpResponse<InputStream> response = plain.http.send(
                    plain.post(
                                    "WatchAssignment",
                                    GrpcWebClient.PROTO,
                                    GrpcWebClient.frame(WatchAssignmentRequest.getDefaultInstance()
                                            .toByteArray()),
                                    "authorization",
                                    "Bearer " + player.getAccessToken())
                            .timeout(java.time.Duration.ofSeconds(60))
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                assertFalse(GrpcWebClient.Frame.read(body).trailers(), "the stream is open");
                Thread closer = new Thread(own::close, "close-frontend");
                closing = true;
                closer.start();
                GrpcWebClient.Frame frame;
                do {
                    frame = GrpcWebClient.Frame.read(body);
                } while (!frame.trailers());
                assertEquals(
                        String.valueOf(Status.Code.UNAVAILABLE.value()),
                        frame.trailerMap().get("grpc-status"),
                        frame.trailerMap().toString());
                closer.join(TimeUnit.SECONDS.toMillis(30));
                assertFalse(closer.isAlive(), "stopped within the grace");
            }
        } finally {
            if (!closing) {
                own.close();
            }
        }
    }

    @Test
    void preflightFromAnAllowedOriginGetsTheGrpcWebHeaders() throws Exception {
        HttpResponse<String> preflight = preflight(ALLOWED);
        assertTrue(preflight.statusCode() / 100 == 2, "status " + preflight.statusCode());
        assertEquals(ALLOWED, header(preflight, "access-control-allow-origin"));
        String allowedHeaders =
                header(preflight, "access-control-allow-headers").toLowerCase();
        for (String name : List.of("content-type", "x-grpc-web", "x-user-agent", "authorization", "grpc-timeout")) {
            assertTrue(allowedHeaders.contains(name), name + " in " + allowedHeaders);
        }
        assertTrue(header(preflight, "access-control-allow-methods").contains("POST"));

        GrpcWebClient.Reply call = browser.call(
                "LoginGuest", LoginGuestRequest.getDefaultInstance().toByteArray(), "origin", ALLOWED);
        assertEquals("0", call.grpcStatus(), call.grpcMessage());
        assertEquals(ALLOWED, call.header("access-control-allow-origin"));
        String exposed = call.header("access-control-expose-headers").toLowerCase();
        assertTrue(exposed.contains("grpc-status") && exposed.contains("grpc-message"), exposed);
    }

    @Test
    void anyOtherOriginIsRefusedAndGetsNoCorsHeaders() throws Exception {
        HttpResponse<String> preflight = preflight(FOREIGN);
        assertEquals(403, preflight.statusCode());
        assertNull(header(preflight, "access-control-allow-origin"));

        // A "simple" request (no preflight in a browser) from a foreign page: refused, nothing readable.
        HttpResponse<String> simple = browser.http.send(
                HttpRequest.newBuilder(URI.create(browser.base + GrpcWebClient.SERVICE + "LoginGuest"))
                        .header("origin", FOREIGN)
                        .header("content-type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, simple.statusCode());
        assertNull(header(simple, "access-control-allow-origin"));
        // A look-alike of an allowed origin is another origin.
        assertEquals(403, preflight("https://play.example.com.evil.example.net").statusCode());
        assertEquals(403, preflight("http://play.example.com").statusCode());

        // The page's own origin (this port) needs no listing.
        GrpcWebClient.Reply sameOrigin = browser.call(
                "LoginGuest", LoginGuestRequest.getDefaultInstance().toByteArray(), "origin", browser.base);
        assertEquals("0", sameOrigin.grpcStatus(), sameOrigin.grpcMessage());
    }

    @Test
    void rootServesIndexWithTheSecurityHeadersAndNoCache() throws Exception {
        HttpResponse<byte[]> index = get("/", "identity");
        assertEquals(200, index.statusCode());
        assertTrue(header(index, "content-type").startsWith("text/html"), header(index, "content-type"));
        assertEquals("no-cache", header(index, "cache-control"));
        assertArrayEquals(bundled("index.html"), index.body());
        String policy = header(index, "content-security-policy");
        assertNotNull(policy);
        assertTrue(policy.contains("script-src 'self'"), policy);
        assertTrue(policy.contains("connect-src 'self' wss: ws:"), policy);
        assertFalse(policy.contains("unsafe-inline"), policy);
        assertEquals("nosniff", header(index, "x-content-type-options"));
        assertEquals("no-referrer", header(index, "referrer-policy"));
        assertNotNull(header(index, "strict-transport-security"), "HSTS over TLS");
    }

    @Test
    void hashedAssetsAreImmutableAndGzipped() throws Exception {
        String html = new String(bundled("index.html"), StandardCharsets.UTF_8);
        Matcher script = Pattern.compile("assets/[A-Za-z0-9._-]+\\.js").matcher(html);
        assertTrue(script.find(), "index.html names its script: " + html);
        String path = "/" + script.group();

        HttpResponse<byte[]> plain = get(path, "identity");
        assertEquals(200, plain.statusCode());
        assertEquals("public, max-age=31536000, immutable", header(plain, "cache-control"));
        assertTrue(header(plain, "content-type").contains("javascript"), header(plain, "content-type"));
        assertArrayEquals(bundled(script.group()), plain.body());

        HttpResponse<byte[]> gzipped = get(path, "gzip");
        assertEquals("gzip", header(gzipped, "content-encoding"));
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gzipped.body()))) {
            assertArrayEquals(bundled(script.group()), in.readAllBytes());
        }
    }

    @Test
    void unknownPathsAre404AndTraversalIsRefusedWithoutLeaking() throws Exception {
        for (String path : List.of(
                "/nothing-here.html",
                "/assets/nothing-here.js",
                "/assets/",
                "/dev/trespasser/frontend/FrontendServer.class",
                "/logback.xml",
                "/web/index.html",
                "/trespasser.frontend.v1.FrontendService/NoSuchMethod")) {
            assertEquals(404, fetchWithoutLeaking(path), path);
        }
        // Armeria refuses a path with a dot-dot segment (plain or percent-encoded) as a bad request
        // before any routing: nothing is looked up at all.
        for (String path : List.of(
                "/../logback.xml",
                "/assets/../../logback.xml",
                "/%2e%2e/logback.xml",
                "/assets/%2e%2e/%2e%2e/dev/trespasser/frontend/FrontendServer.class",
                "/assets/..%2f..%2flogback.xml",
                "/%2e%2e%2f%2e%2e%2fetc%2fpasswd")) {
            int status = fetchWithoutLeaking(path);
            assertTrue(status == 400 || status == 404, path + " answered " + status);
        }
    }

    private static int fetchWithoutLeaking(String path) throws Exception {
        HttpResponse<byte[]> response = browser.http.send(
                HttpRequest.newBuilder(URI.create(browser.base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        String body = new String(response.body(), StandardCharsets.ISO_8859_1);
        assertTrue(body.length() < 200, path + " answered with " + body.length() + " bytes: " + body);
        for (String leak : List.of("Exception", "<configuration", "root:", "\u00ca\u00fe\u00ba\u00be", "at dev.")) {
            assertFalse(body.contains(leak), path + " leaked: " + body);
        }
        return response.statusCode();
    }

    @Test
    void hostileGrpcWebBodiesGetAnErrorAndTheServerKeepsServing() throws Exception {
        byte[] login = LoginRequest.newBuilder()
                .setUsername("someone")
                .setPassword("correct horse 1")
                .build()
                .toByteArray();
        byte[] whole = GrpcWebClient.frame(login);

        // A frame cut short: the header promises more than the body holds.
        assertRefused(raw("Login", GrpcWebClient.PROTO, java.util.Arrays.copyOf(whole, whole.length - 3)));
        // A length prefix far beyond the body (and beyond the limit).
        assertRefused(
                raw("Login", GrpcWebClient.PROTO, new byte[] {0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2}));
        // Half a frame header.
        assertRefused(raw("Login", GrpcWebClient.PROTO, new byte[] {0, 0, 0}));
        // A message over the 16 KiB request cap.
        byte[] oversized = LoginRequest.newBuilder()
                .setUsername("x".repeat(20 * 1024))
                .build()
                .toByteArray();
        GrpcWebClient.Reply tooBig = assertRefused(raw("Login", GrpcWebClient.PROTO, GrpcWebClient.frame(oversized)));
        assertTrue(
                tooBig.httpStatus() == 413
                        || String.valueOf(Status.Code.RESOURCE_EXHAUSTED.value())
                                .equals(tooBig.grpcStatus()),
                "too large: " + tooBig);
        // A body over the HTTP request cap.
        assertRefused(raw("Login", GrpcWebClient.PROTO, GrpcWebClient.frame(new byte[200 * 1024])));
        // A wrong content type.
        GrpcWebClient.Reply json = raw("Login", "application/json", "{\"username\":\"a\"}".getBytes());
        assertEquals(415, json.httpStatus(), json.toString());
        // Garbage where the message should be: INVALID_ARGUMENT (MalformedRequests), no stack trace.
        GrpcWebClient.Reply garbage =
                raw("Login", GrpcWebClient.PROTO, GrpcWebClient.frame(new byte[] {(byte) 0xff, (byte) 0xff, 0x0f}));
        assertEquals(String.valueOf(Status.Code.INVALID_ARGUMENT.value()), garbage.grpcStatus(), garbage.toString());
        // Garbage text for gRPC-Web text.
        assertRefused(raw("Login", GrpcWebClient.TEXT, "!!!not base64!!!".getBytes()));

        GrpcWebClient.Reply still = browser.call(
                "LoginGuest", LoginGuestRequest.getDefaultInstance().toByteArray());
        assertEquals("0", still.grpcStatus(), "still serving: " + still.grpcMessage());
    }

    private static GrpcWebClient.Reply raw(String method, String contentType, byte[] body) throws Exception {
        return browser.send(browser.post(method, contentType, body).build());
    }

    private static GrpcWebClient.Reply assertRefused(GrpcWebClient.Reply reply) {
        boolean httpError = reply.httpStatus() >= 400 && reply.httpStatus() < 500;
        boolean grpcError = reply.httpStatus() == 200 && reply.grpcStatus() != null && !"0".equals(reply.grpcStatus());
        assertTrue(
                httpError || grpcError,
                "refused: " + reply.httpStatus() + " " + reply.grpcStatus() + " " + reply.grpcMessage());
        return reply;
    }

    private static Session guest() throws Exception {
        GrpcWebClient.Reply login = browser.call(
                "LoginGuest", LoginGuestRequest.getDefaultInstance().toByteArray());
        assertEquals("0", login.grpcStatus(), login.grpcMessage());
        return LoginGuestResponse.parseFrom(login.messages().get(0)).getSession();
    }

    private static HttpResponse<String> preflight(String origin) throws Exception {
        return browser.http.send(
                HttpRequest.newBuilder(URI.create(browser.base + GrpcWebClient.SERVICE + "LoginGuest"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("origin", origin)
                        .header("access-control-request-method", "POST")
                        .header(
                                "access-control-request-headers",
                                "content-type,x-grpc-web,x-user-agent,authorization,grpc-timeout")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> get(String path, String encoding) throws Exception {
        return browser.http.send(
                HttpRequest.newBuilder(URI.create(browser.base + path))
                        .header("accept-encoding", encoding)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] bundled(String path) throws Exception {
        try (InputStream in = BrowserPortTest.class.getClassLoader().getResourceAsStream("web/" + path)) {
            assertNotNull(in, "web/" + path + " on the classpath (module web)");
            return in.readAllBytes();
        }
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }
}
