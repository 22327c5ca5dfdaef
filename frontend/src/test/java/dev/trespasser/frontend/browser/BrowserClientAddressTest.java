package dev.trespasser.frontend.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.frontend.FrontendHarness;
import dev.trespasser.peers.FreePort;
import dev.trespasser.peers.RedisServer;
import dev.trespasser.proto.frontend.v1.LoginGuestRequest;
import io.grpc.Status;
import java.net.http.HttpClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Per-address limits on the plaintext browser port key on the same client address as on the
 * native port: the transport peer, or behind FRONTEND_TRUSTED_PROXY_HOPS proxies the entry the
 * outermost one appended to x-forwarded-for, never what the client wrote left of it.
 */
class BrowserClientAddressTest {

    private static final String EXHAUSTED = String.valueOf(Status.Code.RESOURCE_EXHAUSTED.value());
    private static final byte[] LOGIN_GUEST =
            LoginGuestRequest.getDefaultInstance().toByteArray();

    @Test
    void anonymousLimitsKeyOnTheTrustedProxysEntryOrThePeer() throws Exception {
        try (RedisServer redis = RedisServer.start(FrontendHarness.PEER_LOGS);
                FrontendHarness frontend = FrontendHarness.start(
                        redis,
                        "127.0.0.1:" + FreePort.pick(),
                        Map.of("FRONTEND_ANONYMOUS_CALLS_PER_MINUTE", "2", "FRONTEND_TRUSTED_PROXY_HOPS", "1"))) {
            GrpcWebClient browser = new GrpcWebClient(
                    HttpClient.newHttpClient(),
                    "http://127.0.0.1:" + frontend.server().webPort());

            // The client wrote 203.0.113.1; the trusted proxy appended 198.51.100.7.
            String forwarded = "203.0.113.1, 198.51.100.7";
            for (int i = 0; i < 2; i++) {
                GrpcWebClient.Reply ok = browser.call("LoginGuest", LOGIN_GUEST, "x-forwarded-for", forwarded);
                assertEquals("0", ok.grpcStatus(), ok.grpcMessage());
            }
            GrpcWebClient.Reply limited = browser.call("LoginGuest", LOGIN_GUEST, "x-forwarded-for", forwarded);
            assertEquals(EXHAUSTED, limited.grpcStatus(), limited.grpcMessage());
            assertTrue(limited.grpcMessage().contains("198.51.100.7"), limited.grpcMessage());

            // Another client behind the proxy has its own budget.
            GrpcWebClient.Reply other = browser.call("LoginGuest", LOGIN_GUEST, "x-forwarded-for", "198.51.100.8");
            assertEquals("0", other.grpcStatus(), other.grpcMessage());

            // No proxy in the chain: the browser's own (transport) address.
            for (int i = 0; i < 2; i++) {
                assertEquals("0", browser.call("LoginGuest", LOGIN_GUEST).grpcStatus());
            }
            GrpcWebClient.Reply direct = browser.call("LoginGuest", LOGIN_GUEST);
            assertEquals(EXHAUSTED, direct.grpcStatus(), direct.grpcMessage());
            assertTrue(direct.grpcMessage().contains("127.0.0.1"), direct.grpcMessage());
        }
    }
}
