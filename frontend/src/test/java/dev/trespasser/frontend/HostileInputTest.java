package dev.trespasser.frontend;

import static dev.trespasser.frontend.GrpcAssertions.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.frontend.redis.RedisKeys;
import dev.trespasser.peers.FreePort;
import dev.trespasser.peers.RedisServer;
import dev.trespasser.proto.frontend.v1.FrontendServiceGrpc;
import dev.trespasser.proto.frontend.v1.GetProfileRequest;
import dev.trespasser.proto.frontend.v1.GetQueueOptionsRequest;
import dev.trespasser.proto.frontend.v1.GetQueueOptionsResponse;
import dev.trespasser.proto.frontend.v1.Session;
import dev.trespasser.proto.frontend.v1.WatchAssignmentRequest;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a hostile client can send the player API: bytes that are not the request message,
 * oversized metadata, access tokens forged with a wrong key or built with the right key but
 * out of date or for another service, and floods of streams. Each is refused with a status, the
 * player's state is untouched, and the server keeps serving.
 */
class HostileInputTest {

    private static final byte[] KEY = new byte[32];
    private static RedisServer redis;
    private static FrontendHarness frontend;

    @BeforeAll
    static void start() throws IOException {
        new SecureRandom().nextBytes(KEY);
        Path keyFile = Files.createTempFile("frontend-jwt", ".key");
        Files.writeString(keyFile, Base64.getEncoder().encodeToString(KEY));
        redis = RedisServer.start(FrontendHarness.PEER_LOGS);
        // om-core is never reached: everything here is refused before a ticket could be made.
        frontend = FrontendHarness.start(
                redis,
                "127.0.0.1:" + FreePort.pick(),
                Map.of("FRONTEND_JWT_KEY_FILE", keyFile.toString(), "FRONTEND_CALLS_PER_SECOND", "20"));
    }

    @AfterAll
    static void stop() {
        if (frontend != null) {
            frontend.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void bytesThatAreNotAFindMatchRequestAreRefusedAndQueueNobody() {
        Session player = frontend.guest();
        byte[][] hostile = {
            {
                (byte) 0xff,
                (byte) 0xff,
                (byte) 0xff,
                (byte) 0xff,
                (byte) 0xff,
                (byte) 0xff,
                (byte) 0xff,
                (byte) 0xff,
                (byte) 0xff,
                (byte) 0xff,
                0x01
            },
            {0x12, 0x7f, 'e', 'u'}, // region claims 127 bytes, carries 2
            {0x0b}, // a start-group tag with no end
        };
        for (byte[] body : hostile) {
            StatusRuntimeException refused = assertCode(Status.Code.INVALID_ARGUMENT, () -> rawFindMatch(player, body));
            assertTrue(
                    refused.getStatus().getDescription().contains("FindMatch"),
                    refused.getStatus().toString());
        }
        assertTrue(
                frontend.redis()
                        .hgetAll(RedisKeys.queueEntry(player.getPlayerId()))
                        .isEmpty(),
                "nobody queued");
        assertEquals(
                player.getPlayerId(),
                frontend.as(player)
                        .getProfile(GetProfileRequest.getDefaultInstance())
                        .getPlayerId(),
                "the server still serves the same player");
    }

    @Test
    void garbageWithoutATokenIsStillUnauthenticated() {
        // Garbage without a token is still UNAUTHENTICATED: the token is checked first.
        MethodDescriptor<byte[], byte[]> method = rawMethod();
        assertCode(
                Status.Code.UNAUTHENTICATED,
                () -> ClientCalls.blockingUnaryCall(
                        frontend.channel(),
                        method,
                        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                        new byte[] {(byte) 0xff, (byte) 0xff}));
    }

    @Test
    void hostileBodiesToThePublicQueueOptionsAreRefusedAndItStillAnswers() {
        GetQueueOptionsResponse expected =
                frontend.anonymous().getQueueOptions(GetQueueOptionsRequest.getDefaultInstance());
        MethodDescriptor<byte[], byte[]> method = rawMethod(FrontendServiceGrpc.getGetQueueOptionsMethod());
        // No token needed: a public method's garbage meets the parser, which refuses it cleanly.
        for (byte[] body : new byte[][] {{(byte) 0xff, (byte) 0xff}, {0x0a, 0x7f, 'e'}, {0x0b}}) {
            StatusRuntimeException refused = assertCode(
                    Status.Code.INVALID_ARGUMENT,
                    () -> ClientCalls.blockingUnaryCall(
                            frontend.channel(),
                            method,
                            CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                            body));
            assertTrue(
                    refused.getStatus().getDescription().contains("GetQueueOptions"),
                    refused.getStatus().toString());
        }
        byte[] oversized = new byte[FrontendServer.MAX_REQUEST_BYTES + 1024];
        Arrays.fill(oversized, (byte) 0x08);
        assertCode(
                Status.Code.RESOURCE_EXHAUSTED,
                () -> ClientCalls.blockingUnaryCall(
                        frontend.channel(),
                        method,
                        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                        oversized));
        // Fields this version does not know are skipped, as protobuf does.
        byte[] unknownField = {(byte) 0xf8, 0x3f, 0x01};
        assertEquals(
                expected,
                parse(ClientCalls.blockingUnaryCall(
                        frontend.channel(),
                        method,
                        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                        unknownField)));
        assertEquals(expected, frontend.anonymous().getQueueOptions(GetQueueOptionsRequest.getDefaultInstance()));
    }

    private static GetQueueOptionsResponse parse(byte[] reply) {
        try {
            return GetQueueOptionsResponse.parseFrom(reply);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError("not a GetQueueOptionsResponse", e);
        }
    }

    @Test
    void oversizedMetadataIsRefusedAndTheServerStaysUp() {
        Session player = frontend.guest();
        Metadata huge = FrontendHarness.bearer(player.getAccessToken());
        huge.put(Metadata.Key.of("x-padding", Metadata.ASCII_STRING_MARSHALLER), "a".repeat(9 * 1024));
        StatusRuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(
                StatusRuntimeException.class,
                () -> FrontendServiceGrpc.newBlockingStub(frontend.channel())
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(huge))
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .getProfile(GetProfileRequest.getDefaultInstance()));
        assertNotEquals(Status.Code.OK, refused.getStatus().getCode());
        assertEquals(
                player.getPlayerId(),
                frontend.as(player)
                        .getProfile(GetProfileRequest.getDefaultInstance())
                        .getPlayerId());
    }

    @Test
    void tokensForgedOrOutOfDateAreUnauthenticatedWhileAProperOneIsAccepted() {
        Session victim = frontend.guest();
        SecretKey right = Keys.hmacShaKeyFor(KEY);
        byte[] otherBytes = new byte[32];
        new SecureRandom().nextBytes(otherBytes);
        SecretKey wrong = Keys.hmacShaKeyFor(otherBytes);
        Instant now = Instant.now();

        // Built exactly as the frontend builds them: proves the forging below is otherwise right.
        String proper = token(
                right, victim.getPlayerId(), "trespasser-frontend", "trespasser-player-api", now.plusSeconds(300));
        assertEquals(
                victim.getPlayerId(),
                frontend.withToken(proper)
                        .getProfile(GetProfileRequest.getDefaultInstance())
                        .getPlayerId());

        Map<String, String> refused = Map.of(
                "signed with another key, claiming the victim",
                token(
                        wrong,
                        victim.getPlayerId(),
                        "trespasser-frontend",
                        "trespasser-player-api",
                        now.plusSeconds(300)),
                "expired a minute ago (beyond the 5 s skew)",
                token(
                        right,
                        victim.getPlayerId(),
                        "trespasser-frontend",
                        "trespasser-player-api",
                        now.minusSeconds(60)),
                "for another audience",
                token(right, victim.getPlayerId(), "trespasser-frontend", "trespasser-admin-api", now.plusSeconds(300)),
                "from another issuer",
                token(right, victim.getPlayerId(), "someone-else", "trespasser-player-api", now.plusSeconds(300)),
                "without its player claims",
                Jwts.builder()
                        .subject(victim.getPlayerId())
                        .issuer("trespasser-frontend")
                        .audience()
                        .add("trespasser-player-api")
                        .and()
                        .expiration(Date.from(now.plusSeconds(300)))
                        .signWith(right, Jwts.SIG.HS256)
                        .compact(),
                "longer than any token the frontend issues",
                Jwts.builder()
                        .subject(victim.getPlayerId())
                        .issuer("trespasser-frontend")
                        .audience()
                        .add("trespasser-player-api")
                        .and()
                        .claim("name", "x".repeat(3000))
                        .claim("guest", true)
                        .expiration(Date.from(now.plusSeconds(300)))
                        .signWith(right, Jwts.SIG.HS256)
                        .compact());
        refused.forEach((what, token) -> {
            StatusRuntimeException e = assertCode(
                    Status.Code.UNAUTHENTICATED,
                    () -> frontend.withToken(token).getProfile(GetProfileRequest.getDefaultInstance()));
            assertTrue(
                    e.getStatus().getDescription() == null
                            || !e.getStatus().getDescription().contains(token),
                    what);
        });
    }

    @Test
    void aFloodOfStreamsFromOnePlayerIsCutOffAndLeavesNoStreamsBehind() throws InterruptedException {
        Session flooder = frontend.guest();
        int limited = 0;
        for (int i = 0; i < 60; i++) {
            try {
                // Not queued: a stream that is let in ends at once with FAILED_PRECONDITION.
                frontend.as(flooder)
                        .watchAssignment(WatchAssignmentRequest.getDefaultInstance())
                        .hasNext();
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                    limited++;
                } else {
                    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
                }
            }
        }
        assertTrue(limited >= 10, "20 calls/s: a burst of 60 must be cut off, limited " + limited);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (frontend.server().assignmentChannel().openStreams() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, frontend.server().assignmentChannel().openStreams(), "no stream outlives its call");
    }

    private static String token(SecretKey key, String playerId, String issuer, String audience, Instant expires) {
        return Jwts.builder()
                .subject(playerId)
                .issuer(issuer)
                .audience()
                .add(audience)
                .and()
                .issuedAt(Date.from(expires.minusSeconds(900)))
                .expiration(Date.from(expires))
                .claim("name", playerId)
                .claim("guest", true)
                .signWith(key, Jwts.SIG.HS256)
                .compact();
    }

    /** FindMatch with a body of raw bytes, as a client that does not speak protobuf would send it. */
    private static byte[] rawFindMatch(Session player, byte[] body) {
        MethodDescriptor<byte[], byte[]> method = rawMethod();
        return ClientCalls.blockingUnaryCall(
                ClientInterceptors.intercept(
                        frontend.channel(),
                        MetadataUtils.newAttachHeadersInterceptor(FrontendHarness.bearer(player.getAccessToken()))),
                method,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                body);
    }

    private static MethodDescriptor<byte[], byte[]> rawMethod() {
        return rawMethod(FrontendServiceGrpc.getFindMatchMethod());
    }

    private static MethodDescriptor<byte[], byte[]> rawMethod(MethodDescriptor<?, ?> of) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(of.getFullMethodName())
                .setRequestMarshaller(RawBytes.INSTANCE)
                .setResponseMarshaller(RawBytes.INSTANCE)
                .build();
    }
}
