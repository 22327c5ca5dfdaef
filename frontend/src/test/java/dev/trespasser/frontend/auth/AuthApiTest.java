package dev.trespasser.frontend.auth;

import static dev.trespasser.frontend.GrpcAssertions.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import dev.trespasser.frontend.FrontendHarness;
import dev.trespasser.peers.FreePort;
import dev.trespasser.peers.RedisServer;
import dev.trespasser.proto.frontend.v1.FrontendServiceGrpc;
import dev.trespasser.proto.frontend.v1.GetProfileRequest;
import dev.trespasser.proto.frontend.v1.GetProfileResponse;
import dev.trespasser.proto.frontend.v1.LoginGuestRequest;
import dev.trespasser.proto.frontend.v1.LoginGuestResponse;
import dev.trespasser.proto.frontend.v1.Session;
import dev.trespasser.proto.frontend.v1.WatchAssignmentRequest;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The auth interceptor and rate limits, through the real API. */
class AuthApiTest {

    private static RedisServer redis;
    private static FrontendHarness frontend;

    @BeforeAll
    static void start() {
        redis = RedisServer.start(FrontendHarness.PEER_LOGS);
        frontend = FrontendHarness.start(
                redis,
                "127.0.0.1:" + FreePort.pick(),
                Map.of(
                        "FRONTEND_CALLS_PER_SECOND", "20",
                        "FRONTEND_ANONYMOUS_CALLS_PER_MINUTE", "30"));
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
    void protectedCallsNeedAValidBearerToken() {
        Session guest = frontend.guest();
        assertEquals(
                guest.getPlayerId(),
                frontend.as(guest)
                        .getProfile(GetProfileRequest.getDefaultInstance())
                        .getPlayerId());

        assertCode(
                Status.Code.UNAUTHENTICATED,
                () -> frontend.anonymous().getProfile(GetProfileRequest.getDefaultInstance()));
        assertCode(
                Status.Code.UNAUTHENTICATED,
                () -> frontend.withToken("garbage").getProfile(GetProfileRequest.getDefaultInstance()));
        assertCode(
                Status.Code.UNAUTHENTICATED,
                () -> frontend.withToken(guest.getRefreshToken()).getProfile(GetProfileRequest.getDefaultInstance()));
        String[] parts = guest.getAccessToken().split("\\.");
        String noneHeader = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        assertCode(
                Status.Code.UNAUTHENTICATED,
                () -> frontend.withToken(noneHeader + "." + parts[1] + ".")
                        .getProfile(GetProfileRequest.getDefaultInstance()));
        assertCode(
                Status.Code.UNAUTHENTICATED,
                () -> frontend.withToken(parts[0] + "." + parts[1] + "." + "A" + parts[2].substring(1))
                        .getProfile(GetProfileRequest.getDefaultInstance()));

        Metadata basic = new Metadata();
        basic.put(
                Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Basic " + guest.getAccessToken());
        assertCode(
                Status.Code.UNAUTHENTICATED,
                () -> FrontendServiceGrpc.newBlockingStub(frontend.channel())
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(basic))
                        .getProfile(GetProfileRequest.getDefaultInstance()));
        assertCode(
                Status.Code.UNAUTHENTICATED,
                () -> frontend.anonymous()
                        .watchAssignment(WatchAssignmentRequest.getDefaultInstance())
                        .hasNext());
    }

    @Test
    void floodOfCallsFromOnePlayerIsCutOffWithoutHurtingAnother() throws Exception {
        Session flooder = frontend.guest();
        Session bystander = frontend.guest();
        // 40 calls sent at once, so they meet the 20-per-second limit however slow this machine is.
        List<ListenableFuture<GetProfileResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            calls.add(frontend.futureAs(flooder).getProfile(GetProfileRequest.getDefaultInstance()));
        }
        assertTrue(refusedAsExhausted(calls) >= 5, "refused too few of the flood");
        frontend.as(bystander).getProfile(GetProfileRequest.getDefaultInstance());
    }

    @Test
    void floodOfLoginsFromOneAddressIsCutOff() throws Exception {
        List<ListenableFuture<LoginGuestResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            calls.add(frontend.futureAnonymous().loginGuest(LoginGuestRequest.getDefaultInstance()));
        }
        assertTrue(refusedAsExhausted(calls) >= 5, "refused too few of the flood");
    }

    /** Waits for every call; each either succeeds or is refused with RESOURCE_EXHAUSTED. */
    private static int refusedAsExhausted(List<? extends ListenableFuture<?>> calls) throws InterruptedException {
        int refused = 0;
        for (ListenableFuture<?> call : calls) {
            try {
                call.get();
            } catch (ExecutionException e) {
                assertEquals(
                        Status.Code.RESOURCE_EXHAUSTED,
                        Status.fromThrowable(e.getCause()).getCode());
                refused++;
            }
        }
        System.out.println("refused " + refused + " of " + calls.size());
        return refused;
    }
}
