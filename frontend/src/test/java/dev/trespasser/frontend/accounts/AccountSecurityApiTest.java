package dev.trespasser.frontend.accounts;

import static dev.trespasser.frontend.GrpcAssertions.assertCode;
import static dev.trespasser.frontend.accounts.AccountsStack.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.frontend.FrontendHarness;
import dev.trespasser.frontend.limits.ClientAddress;
import dev.trespasser.proto.frontend.v1.ChangePasswordRequest;
import dev.trespasser.proto.frontend.v1.FrontendServiceGrpc;
import dev.trespasser.proto.frontend.v1.GetProfileRequest;
import dev.trespasser.proto.frontend.v1.LoginRequest;
import dev.trespasser.proto.frontend.v1.LogoutEverywhereRequest;
import dev.trespasser.proto.frontend.v1.RefreshRequest;
import dev.trespasser.proto.frontend.v1.RegisterRequest;
import dev.trespasser.proto.frontend.v1.Session;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Password records, sessions that can be ended, and the per-account and per-address limits, through the real API and Redis. */
class AccountSecurityApiTest {

    @RegisterExtension
    static final AccountsStack stack = new AccountsStack();

    /** An account written by the PBKDF2 hasher (fields salt, iterations, hash), computed with Python's hashlib. */
    @Test
    void pbkdf2AccountLogsInAndIsRehashedToArgon2id() {
        String name = uniqueName();
        String key = "trespasser:account:" + name.toLowerCase();
        stack.frontend()
                .redis()
                .hset(
                        key,
                        Map.of(
                                "player_id",
                                "p-legacy-" + name,
                                "username",
                                name,
                                "salt",
                                "ZmVkY2JhOTg3NjU0MzIxMA==",
                                "iterations",
                                "210000",
                                "hash",
                                "pv7ZHhavhhj1/R1j9SxboVMDmzZtBBii4zSh+DhNUEs="));

        assertCode(Status.Code.UNAUTHENTICATED, () -> login(name, "hunter2-hunter3"));
        assertEquals("210000", stack.frontend().redis().hget(key, "iterations"), "a wrong password changes nothing");

        Session session = login(name, "hunter2-hunter2");
        assertEquals("p-legacy-" + name, session.getPlayerId());
        Map<String, String> stored = stack.frontend().redis().hgetAll(key);
        assertTrue(stored.get("password").startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), stored.toString());
        assertFalse(
                stored.containsKey("salt") || stored.containsKey("iterations") || stored.containsKey("hash"),
                stored.toString());
        assertEquals(
                session.getPlayerId(), login(name, "hunter2-hunter2").getPlayerId(), "the re-hashed record verifies");
        assertCode(Status.Code.UNAUTHENTICATED, () -> login(name, "hunter2-hunter3"));
    }

    /** A record someone wrote into Redis asking for 2^31 passes is refused at once, not worked on. */
    @Test
    void hostileStoredRecordIsRefusedFast() {
        String name = uniqueName();
        String key = "trespasser:account:" + name.toLowerCase();
        stack.frontend()
                .redis()
                .hset(
                        key,
                        Map.of(
                                "player_id",
                                "p-hostile-" + name,
                                "username",
                                name,
                                "password",
                                "$argon2id$v=19$m=19456,t=2147483647,p=1$MDEyMzQ1Njc4OWFiY2RlZg$gy5SuVm5Z7Vw7keB9se9p87QGcomaseB/S2U1OhTsM0"));
        StatusRuntimeException refused = assertTimeoutPreemptively(
                Duration.ofSeconds(15),
                () -> assertCode(Status.Code.FAILED_PRECONDITION, () -> login(name, "hunter2-hunter2")));
        assertTrue(
                refused.getStatus().getDescription().contains("cannot be checked"),
                refused.getStatus().getDescription());
        stack.frontend()
                .redis()
                .hset(key, "password", "$argon2id$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$gy5SuVm5");
        assertCode(Status.Code.FAILED_PRECONDITION, () -> login(name, "hunter2-hunter2"));
        stack.frontend().redis().hdel(key, "password");
        stack.frontend()
                .redis()
                .hset(
                        key,
                        Map.of(
                                "salt",
                                "ZmVkY2JhOTg3NjU0MzIxMA==",
                                "iterations",
                                "2147483647",
                                "hash",
                                "pv7ZHhavhhj1/R1j9SxboVMDmzZtBBii4zSh+DhNUEs="));
        assertTimeoutPreemptively(
                Duration.ofSeconds(15),
                () -> assertCode(Status.Code.FAILED_PRECONDITION, () -> login(name, "hunter2-hunter2")));
    }

    @Test
    void reusingARotatedOutRefreshTokenRevokesTheWholeFamily() {
        Session login = stack.register(uniqueName(), "s3cret-password");
        Session second = refresh(login.getRefreshToken());
        Session third = refresh(second.getRefreshToken());

        // The thief (or the victim) presents a token that was already rotated out.
        assertCode(Status.Code.UNAUTHENTICATED, () -> refresh(login.getRefreshToken()));
        // The family is gone: the newest token, whoever holds it, no longer refreshes either.
        assertCode(Status.Code.UNAUTHENTICATED, () -> refresh(third.getRefreshToken()));
        assertCode(Status.Code.UNAUTHENTICATED, () -> refresh(second.getRefreshToken()));
    }

    @Test
    void reuseRevokesOnlyThatFamily() {
        String name = uniqueName();
        Session phone = stack.register(name, "s3cret-password");
        Session laptop = login(name, "s3cret-password");
        refresh(phone.getRefreshToken());
        assertCode(Status.Code.UNAUTHENTICATED, () -> refresh(phone.getRefreshToken()));
        refresh(laptop.getRefreshToken());
    }

    /** Refresh tokens issued before families (player_id, username, guest under the token's hash) still refresh once. */
    @Test
    void refreshTokenIssuedBeforeFamiliesStillRotates() throws Exception {
        String token = "legacy-" + UUID.randomUUID();
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String key = "trespasser:refresh:" + java.util.HexFormat.of().formatHex(digest);
        stack.frontend().redis().hset(key, Map.of("player_id", "p-old", "username", "oldtimer", "guest", "0"));
        Session next = refresh(token);
        assertEquals("p-old", next.getPlayerId());
        refresh(next.getRefreshToken());
        assertCode(Status.Code.UNAUTHENTICATED, () -> refresh(token));
    }

    @Test
    void logoutEverywhereEndsEverySession() {
        String name = uniqueName();
        Session phone = stack.register(name, "s3cret-password");
        Session laptop = login(name, "s3cret-password");
        Session tablet = refresh(login(name, "s3cret-password").getRefreshToken());
        Session other = stack.register(uniqueName(), "s3cret-password");

        stack.frontend().as(laptop).logoutEverywhere(LogoutEverywhereRequest.getDefaultInstance());

        for (Session ended : new Session[] {phone, laptop, tablet}) {
            assertCode(Status.Code.UNAUTHENTICATED, () -> refresh(ended.getRefreshToken()));
        }
        refresh(other.getRefreshToken());
        // A new login works as before.
        refresh(login(name, "s3cret-password").getRefreshToken());
        assertCode(
                Status.Code.UNAUTHENTICATED,
                () -> stack.frontend().anonymous().logoutEverywhere(LogoutEverywhereRequest.getDefaultInstance()));
    }

    @Test
    void changingThePasswordNeedsTheCurrentOneAndEndsEverySession() {
        String name = uniqueName();
        Session phone = stack.register(name, "s3cret-password");
        Session laptop = login(name, "s3cret-password");

        assertCode(
                Status.Code.UNAUTHENTICATED,
                () -> stack.frontend()
                        .as(laptop)
                        .changePassword(ChangePasswordRequest.newBuilder()
                                .setCurrentPassword("not-the-password")
                                .setNewPassword("n3w-password-2")
                                .build()));
        assertCode(
                Status.Code.INVALID_ARGUMENT,
                () -> stack.frontend()
                        .as(laptop)
                        .changePassword(ChangePasswordRequest.newBuilder()
                                .setCurrentPassword("s3cret-password")
                                .setNewPassword("short")
                                .build()));
        refresh(phone.getRefreshToken()); // nothing changed so far (and the phone's family rotates on)

        Session changed = stack.frontend()
                .as(laptop)
                .changePassword(ChangePasswordRequest.newBuilder()
                        .setCurrentPassword("s3cret-password")
                        .setNewPassword("n3w-password-2")
                        .build())
                .getSession();
        assertEquals(laptop.getPlayerId(), changed.getPlayerId());
        assertNotEquals(laptop.getRefreshToken(), changed.getRefreshToken());

        assertCode(Status.Code.UNAUTHENTICATED, () -> refresh(laptop.getRefreshToken()));
        assertCode(Status.Code.UNAUTHENTICATED, () -> login(name, "s3cret-password"));
        assertEquals(laptop.getPlayerId(), login(name, "n3w-password-2").getPlayerId());
        // The caller's new session is the one that survives.
        Session next = refresh(changed.getRefreshToken());
        assertEquals(
                name,
                stack.frontend()
                        .as(next)
                        .getProfile(GetProfileRequest.getDefaultInstance())
                        .getUsername());
        // Guests have no password to change.
        Session guest = stack.frontend().guest();
        assertCode(
                Status.Code.FAILED_PRECONDITION,
                () -> stack.frontend()
                        .as(guest)
                        .changePassword(ChangePasswordRequest.newBuilder()
                                .setCurrentPassword("whatever-1")
                                .setNewPassword("whatever-2")
                                .build()));
    }

    /** Register hashes the password before trying the name: a taken name costs the same hash as a free one. */
    @Test
    void registerHashesBeforeTryingTheName() {
        try (FrontendHarness tight = stack.frontendWith(
                Map.of("FRONTEND_PASSWORD_HASH_THREADS", "1", "FRONTEND_PASSWORD_HASH_QUEUE", "0"))) {
            String name = uniqueName();
            tight.anonymous()
                    .register(RegisterRequest.newBuilder()
                            .setUsername(name)
                            .setPassword("s3cret-password")
                            .build());
            double before = hashes(tight);
            assertCode(
                    Status.Code.ALREADY_EXISTS,
                    () -> tight.anonymous()
                            .register(RegisterRequest.newBuilder()
                                    .setUsername(name)
                                    .setPassword("s3cret-password")
                                    .build()));
            assertEquals(before + 1, hashes(tight), "a taken name spends one hash, like a free one");
        }
    }

    @Test
    void registerIsLimitedPerAddress() {
        try (FrontendHarness limited = stack.frontendWith(Map.of("FRONTEND_REGISTRATIONS_PER_HOUR", "2"))) {
            limited.anonymous()
                    .register(RegisterRequest.newBuilder()
                            .setUsername(uniqueName())
                            .setPassword("s3cret-password")
                            .build());
            String name = uniqueName();
            limited.anonymous()
                    .register(RegisterRequest.newBuilder()
                            .setUsername(name)
                            .setPassword("s3cret-password")
                            .build());
            StatusRuntimeException limitedOut = assertCode(
                    Status.Code.RESOURCE_EXHAUSTED,
                    () -> limited.anonymous()
                            .register(RegisterRequest.newBuilder()
                                    .setUsername(uniqueName())
                                    .setPassword("s3cret-password")
                                    .build()));
            assertTrue(limitedOut.getStatus().getDescription().contains("too many requests"));
            // Probing a taken name is limited the same way.
            assertCode(
                    Status.Code.RESOURCE_EXHAUSTED,
                    () -> limited.anonymous()
                            .register(RegisterRequest.newBuilder()
                                    .setUsername(name)
                                    .setPassword("s3cret-password")
                                    .build()));
            // Other anonymous calls keep their own limit.
            limited.anonymous()
                    .login(LoginRequest.newBuilder()
                            .setUsername(name)
                            .setPassword("s3cret-password")
                            .build());
        }
    }

    @Test
    void callsWithoutAValidTokenAreLimitedPerAddress() {
        try (FrontendHarness limited = stack.frontendWith(Map.of("FRONTEND_UNAUTHENTICATED_CALLS_PER_MINUTE", "3"))) {
            Session player = limited.registerFresh();
            assertCode(
                    Status.Code.UNAUTHENTICATED,
                    () -> limited.anonymous().getProfile(GetProfileRequest.getDefaultInstance()));
            assertCode(
                    Status.Code.UNAUTHENTICATED,
                    () -> limited.withToken("garbage").getProfile(GetProfileRequest.getDefaultInstance()));
            assertCode(
                    Status.Code.UNAUTHENTICATED,
                    () -> limited.withToken(player.getAccessToken() + "x")
                            .getProfile(GetProfileRequest.getDefaultInstance()));
            StatusRuntimeException limitedOut = assertCode(
                    Status.Code.RESOURCE_EXHAUSTED,
                    () -> limited.withToken("garbage").getProfile(GetProfileRequest.getDefaultInstance()));
            assertTrue(limitedOut.getStatus().getDescription().contains("without a valid token"));
            assertCode(
                    Status.Code.RESOURCE_EXHAUSTED,
                    () -> limited.anonymous().getProfile(GetProfileRequest.getDefaultInstance()));
            // A valid token from the same address is not affected.
            assertEquals(
                    player.getPlayerId(),
                    limited.as(player)
                            .getProfile(GetProfileRequest.getDefaultInstance())
                            .getPlayerId());
        }
    }

    /**
     * Issue 13 item 4, behind one trusted proxy (FRONTEND_TRUSTED_PROXY_HOPS=1) through the real
     * server: each forwarded client has its own bad-token budget, a client that puts spoofed
     * addresses in front of what the proxy appended stays on its own budget, and the per-account
     * lockout counts failures from every address together.
     */
    @Test
    void behindATrustedProxyLimitsFollowTheForwardedClientAndSpoofingDoesNotEscapeThem() {
        try (FrontendHarness proxied = stack.frontendWith(Map.of(
                "FRONTEND_TRUSTED_PROXY_HOPS",
                "1",
                "FRONTEND_UNAUTHENTICATED_CALLS_PER_MINUTE",
                "2",
                "FRONTEND_LOGIN_FAILURES_BEFORE_LOCKOUT",
                "3",
                "FRONTEND_LOGIN_LOCKOUT_FIRST_SECONDS",
                "60"))) {
            assertCode(Status.Code.UNAUTHENTICATED, () -> badTokenVia(proxied, "198.51.100.1"));
            assertCode(Status.Code.UNAUTHENTICATED, () -> badTokenVia(proxied, "198.51.100.1"));
            StatusRuntimeException out =
                    assertCode(Status.Code.RESOURCE_EXHAUSTED, () -> badTokenVia(proxied, "198.51.100.1"));
            assertTrue(
                    out.getStatus().getDescription().contains("198.51.100.1"),
                    out.getStatus().getDescription());
            for (int i = 0; i < 5; i++) {
                String spoofed = "203.0.113." + i + ", 198.51.100.1";
                assertCode(Status.Code.RESOURCE_EXHAUSTED, () -> badTokenVia(proxied, spoofed));
            }
            // Another client behind the same proxy (same transport peer) has its own budget.
            assertCode(Status.Code.UNAUTHENTICATED, () -> badTokenVia(proxied, "198.51.100.2"));

            String name = uniqueName();
            proxied.anonymous()
                    .register(RegisterRequest.newBuilder()
                            .setUsername(name)
                            .setPassword("s3cret-password")
                            .build());
            assertCode(Status.Code.UNAUTHENTICATED, () -> loginVia(proxied, "198.51.100.11", name, "wrong-password"));
            assertCode(Status.Code.UNAUTHENTICATED, () -> loginVia(proxied, "198.51.100.12", name, "wrong-password"));
            StatusRuntimeException locked = assertCode(
                    Status.Code.RESOURCE_EXHAUSTED, () -> loginVia(proxied, "198.51.100.13", name, "wrong-password"));
            assertTrue(
                    locked.getStatus().getDescription().contains("this account"),
                    locked.getStatus().getDescription());
        }
    }

    private static void badTokenVia(FrontendHarness harness, String forwardedFor) {
        Metadata headers = FrontendHarness.bearer("garbage");
        headers.put(ClientAddress.FORWARDED_FOR, forwardedFor);
        FrontendServiceGrpc.newBlockingStub(harness.channel())
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .getProfile(GetProfileRequest.getDefaultInstance());
    }

    private static void loginVia(FrontendHarness harness, String forwardedFor, String username, String password) {
        Metadata headers = new Metadata();
        headers.put(ClientAddress.FORWARDED_FOR, forwardedFor);
        FrontendServiceGrpc.newBlockingStub(harness.channel())
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .login(LoginRequest.newBuilder()
                        .setUsername(username)
                        .setPassword(password)
                        .build());
    }

    @Test
    void failedLoginsLockTheAccountWhetherItExistsOrNot() {
        try (FrontendHarness locking = stack.frontendWith(
                Map.of("FRONTEND_LOGIN_FAILURES_BEFORE_LOCKOUT", "3", "FRONTEND_LOGIN_LOCKOUT_FIRST_SECONDS", "60"))) {
            String name = uniqueName();
            locking.anonymous()
                    .register(RegisterRequest.newBuilder()
                            .setUsername(name)
                            .setPassword("s3cret-password")
                            .build());
            String unknown = uniqueName();
            for (String account : new String[] {name, unknown}) {
                assertCode(Status.Code.UNAUTHENTICATED, () -> login(locking, account, "wrong-password"));
                assertCode(Status.Code.UNAUTHENTICATED, () -> login(locking, account, "wrong-password"));
                StatusRuntimeException third =
                        assertCode(Status.Code.RESOURCE_EXHAUSTED, () -> login(locking, account, "wrong-password"));
                assertEquals(
                        "too many failed logins for this account; retry in 60 s",
                        third.getStatus().getDescription());
                // Locked: even the right password is refused, and no hash is spent on it.
                double before = hashes(locking);
                StatusRuntimeException locked =
                        assertCode(Status.Code.RESOURCE_EXHAUSTED, () -> login(locking, account, "s3cret-password"));
                assertTrue(locked.getStatus()
                        .getDescription()
                        .startsWith("too many failed logins for this account; retry in "));
                assertEquals(before, hashes(locking));
            }
            // Another account is untouched; the lock is stored with a TTL.
            Session other = locking.registerFresh();
            assertTrue(other.getPlayerId().startsWith("p-"));
            assertTrue(locking.redis().pttl("trespasser:login-failures:" + name.toLowerCase()) > 0);
        }
    }

    @Test
    void aSuccessfulLoginForgetsEarlierFailures() {
        String name = uniqueName();
        stack.register(name, "s3cret-password");
        for (int i = 0; i < 4; i++) {
            assertCode(Status.Code.UNAUTHENTICATED, () -> login(name, "wrong-password"));
        }
        login(name, "s3cret-password");
        assertEquals(0, stack.frontend().redis().exists("trespasser:login-failures:" + name.toLowerCase()) ? 1 : 0);
        for (int i = 0; i < 4; i++) {
            assertCode(Status.Code.UNAUTHENTICATED, () -> login(name, "wrong-password"));
        }
    }

    private static double hashes(FrontendHarness harness) {
        var value = harness.registry().scrape().stream()
                .filter(m -> m.getMetadata().getPrometheusName().equals("trespasser_frontend_password_hashes"))
                .flatMap(m -> ((io.prometheus.metrics.model.snapshots.CounterSnapshot) m).getDataPoints().stream())
                .filter(p -> p.getLabels().get("result").equals("done"))
                .mapToDouble(io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot::getValue)
                .sum();
        return value;
    }

    private static Session login(String username, String password) {
        return login(stack.frontend(), username, password);
    }

    private static Session login(FrontendHarness harness, String username, String password) {
        return harness.anonymous()
                .login(LoginRequest.newBuilder()
                        .setUsername(username)
                        .setPassword(password)
                        .build())
                .getSession();
    }

    private static Session refresh(String token) {
        return stack.frontend()
                .anonymous()
                .refresh(RefreshRequest.newBuilder().setRefreshToken(token).build())
                .getSession();
    }
}
