package dev.trespasser.frontend.accounts;

import static dev.trespasser.frontend.GrpcAssertions.assertCode;
import static dev.trespasser.frontend.accounts.AccountsStack.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.proto.frontend.v1.GetProfileRequest;
import dev.trespasser.proto.frontend.v1.GetProfileResponse;
import dev.trespasser.proto.frontend.v1.LoginRequest;
import dev.trespasser.proto.frontend.v1.LogoutRequest;
import dev.trespasser.proto.frontend.v1.RefreshRequest;
import dev.trespasser.proto.frontend.v1.Session;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Accounts through the real gRPC API against a real Redis. */
class AccountsApiTest {

    @RegisterExtension
    static final AccountsStack stack = new AccountsStack();

    @Test
    void registeredPlayerLogsInRefreshesWithRotationAndLogsOut() {
        String name = uniqueName();
        Session registered = stack.register(name, "s3cret-password");
        assertTrue(registered.getPlayerId().startsWith("p-"));
        assertEquals(name, registered.getUsername());

        Session login = stack.frontend()
                .anonymous()
                .login(LoginRequest.newBuilder()
                        .setUsername(name.toUpperCase())
                        .setPassword("s3cret-password")
                        .build())
                .getSession();
        assertEquals(registered.getPlayerId(), login.getPlayerId(), "usernames are case-insensitive");
        assertNotEquals(registered.getRefreshToken(), login.getRefreshToken());

        GetProfileResponse profile = stack.frontend().as(login).getProfile(GetProfileRequest.getDefaultInstance());
        assertEquals(name, profile.getUsername());
        assertEquals(1500.0, profile.getRating());

        Session refreshed = stack.frontend()
                .anonymous()
                .refresh(RefreshRequest.newBuilder()
                        .setRefreshToken(login.getRefreshToken())
                        .build())
                .getSession();
        assertEquals(login.getPlayerId(), refreshed.getPlayerId());
        assertNotEquals(login.getRefreshToken(), refreshed.getRefreshToken(), "refresh rotates the token");
        assertCode(
                Status.Code.UNAUTHENTICATED,
                () -> stack.frontend()
                        .anonymous()
                        .refresh(RefreshRequest.newBuilder()
                                .setRefreshToken(login.getRefreshToken())
                                .build()));

        stack.frontend()
                .anonymous()
                .logout(LogoutRequest.newBuilder()
                        .setRefreshToken(refreshed.getRefreshToken())
                        .build());
        assertCode(
                Status.Code.UNAUTHENTICATED,
                () -> stack.frontend()
                        .anonymous()
                        .refresh(RefreshRequest.newBuilder()
                                .setRefreshToken(refreshed.getRefreshToken())
                                .build()));
        // Logging out twice is harmless.
        stack.frontend()
                .anonymous()
                .logout(LogoutRequest.newBuilder()
                        .setRefreshToken(refreshed.getRefreshToken())
                        .build());
    }

    @Test
    void passwordsAreStoredOnlyAsSaltedSlowHashes() {
        String name = uniqueName();
        stack.register(name, "s3cret-password");
        Map<String, String> stored = stack.frontend().redis().hgetAll("trespasser:account:" + name.toLowerCase());
        assertFalse(stored.values().stream().anyMatch(v -> v.contains("s3cret")), "plaintext password in Redis");
        assertTrue(stored.get("password").startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), stored.get("password"));
        String otherName = uniqueName();
        stack.register(otherName, "s3cret-password");
        assertNotEquals(
                stored.get("password"),
                stack.frontend().redis().hget("trespasser:account:" + otherName.toLowerCase(), "password"),
                "same password, different salt, different hash");
    }

    @Test
    void takenUsernameIsAlreadyExistsWhateverTheCase() {
        String name = uniqueName();
        stack.register(name, "s3cret-password");
        StatusRuntimeException e =
                assertCode(Status.Code.ALREADY_EXISTS, () -> stack.register(name.toUpperCase(), "other-password"));
        assertTrue(e.getStatus().getDescription().contains("already taken"));
    }

    @Test
    void unknownUserAndWrongPasswordAreIndistinguishable() {
        String name = uniqueName();
        stack.register(name, "s3cret-password");
        StatusRuntimeException wrong = assertCode(
                Status.Code.UNAUTHENTICATED,
                () -> stack.frontend()
                        .anonymous()
                        .login(LoginRequest.newBuilder()
                                .setUsername(name)
                                .setPassword("wrong-password")
                                .build()));
        StatusRuntimeException unknown = assertCode(
                Status.Code.UNAUTHENTICATED,
                () -> stack.frontend()
                        .anonymous()
                        .login(LoginRequest.newBuilder()
                                .setUsername(uniqueName())
                                .setPassword("s3cret-password")
                                .build()));
        assertEquals(wrong.getStatus().getDescription(), unknown.getStatus().getDescription());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "ab",
                "a_name_far_too_long_for_us",
                "1startsWithDigit",
                "has space",
                "semi;colon",
                "émile",
                "guest123",
                "GuestAlice",
                "x\u0000y",
                "<script>"
            })
    void malformedUsernamesAreRefusedWithAReason(String username) {
        StatusRuntimeException e =
                assertCode(Status.Code.INVALID_ARGUMENT, () -> stack.register(username, "s3cret-password"));
        assertTrue(
                e.getStatus().getDescription().contains("username"),
                e.getStatus().getDescription());
    }

    @Test
    void weakOrOversizedPasswordsAreRefused() {
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stack.register(uniqueName(), "short"));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stack.register(uniqueName(), "p".repeat(129)));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stack.register(uniqueName(), "control\u0007chars"));
        assertCode(
                Status.Code.INVALID_ARGUMENT,
                () -> stack.frontend()
                        .anonymous()
                        .login(LoginRequest.newBuilder()
                                .setUsername("someone")
                                .setPassword("p".repeat(5000))
                                .build()));
    }

    @Test
    void oversizedRequestIsRefusedBeforeParsing() {
        assertCode(Status.Code.RESOURCE_EXHAUSTED, () -> stack.register(uniqueName(), "p".repeat(64 * 1024)));
    }

    @Test
    void guestGetsAWorkingSessionAndAFreshProfile() {
        Session guest = stack.frontend().guest();
        assertTrue(guest.getPlayerId().startsWith("guest-"));
        GetProfileResponse profile = stack.frontend().as(guest).getProfile(GetProfileRequest.getDefaultInstance());
        assertEquals(guest.getUsername(), profile.getUsername());
        assertEquals(1500.0, profile.getRating());
        assertEquals(0, profile.getMatchesPlayed());
        Session refreshed = stack.frontend()
                .anonymous()
                .refresh(RefreshRequest.newBuilder()
                        .setRefreshToken(guest.getRefreshToken())
                        .build())
                .getSession();
        assertEquals(guest.getPlayerId(), refreshed.getPlayerId());
        assertTrue(
                stack.frontend().redis().pttl("trespasser:player:" + guest.getPlayerId()) > 0, "guest records expire");
    }

    @Test
    void garbageRefreshTokensAreUnauthenticated() {
        assertCode(
                Status.Code.UNAUTHENTICATED,
                () -> stack.frontend().anonymous().refresh(RefreshRequest.getDefaultInstance()));
        assertCode(
                Status.Code.UNAUTHENTICATED,
                () -> stack.frontend()
                        .anonymous()
                        .refresh(RefreshRequest.newBuilder()
                                .setRefreshToken("x".repeat(10_000))
                                .build()));
        assertCode(
                Status.Code.UNAUTHENTICATED,
                () -> stack.frontend()
                        .anonymous()
                        .refresh(RefreshRequest.newBuilder()
                                .setRefreshToken("*/ \u0000 ; DEL *")
                                .build()));
    }
}
