package dev.trespasser.frontend.accounts;

import dev.trespasser.frontend.FrontendMetrics;
import dev.trespasser.frontend.auth.AccessTokens;
import dev.trespasser.frontend.auth.IssuedAccessToken;
import dev.trespasser.frontend.auth.PasswordHasher;
import dev.trespasser.frontend.auth.PlayerIdentity;
import dev.trespasser.proto.frontend.v1.Session;
import io.grpc.Status;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Register, log in (password or guest), refresh and log out; each success is a new {@link Session}. */
public final class Accounts {

    private static final Logger log = LoggerFactory.getLogger(Accounts.class);
    /** One message for unknown user and wrong password, so the API does not reveal which names exist. */
    static final String BAD_CREDENTIALS = "unknown username or wrong password";

    private final AccountStore store;
    private final RefreshTokens refreshTokens;
    private final AccessTokens accessTokens;
    private final PasswordHasher hasher;
    private final SecureRandom random;
    private final Clock clock;
    private final FrontendMetrics metrics;

    public Accounts(AccountStore store, RefreshTokens refreshTokens, AccessTokens accessTokens, PasswordHasher hasher,
            SecureRandom random, Clock clock, FrontendMetrics metrics) {
        this.store = store;
        this.refreshTokens = refreshTokens;
        this.accessTokens = accessTokens;
        this.hasher = hasher;
        this.random = random;
        this.clock = clock;
        this.metrics = metrics;
    }

    public Session register(String username, String password) {
        CredentialRules.checkNewUsername(username);
        CredentialRules.checkNewPassword(password);
        PlayerIdentity player = new PlayerIdentity("p-" + randomId(), username, false);
        StoredAccount account = new StoredAccount(player.playerId(), username, hasher.hash(password.toCharArray()));
        if (!store.create(account, clock.millis())) {
            metrics.login("register", "taken");
            throw Status.ALREADY_EXISTS.withDescription("username '" + username + "' is already taken").asRuntimeException();
        }
        metrics.login("register", "ok");
        log.info("registered {} as {}", username, player.playerId());
        return startSession(player);
    }

    public Session login(String username, String password) {
        CredentialRules.checkLoginInput(username, password);
        Optional<StoredAccount> account = store.find(username);
        if (account.isEmpty()) {
            hasher.verifyDecoy(password.toCharArray());
            metrics.login("password", "refused");
            throw Status.UNAUTHENTICATED.withDescription(BAD_CREDENTIALS).asRuntimeException();
        }
        if (!hasher.verify(password.toCharArray(), account.get().password())) {
            metrics.login("password", "refused");
            throw Status.UNAUTHENTICATED.withDescription(BAD_CREDENTIALS).asRuntimeException();
        }
        metrics.login("password", "ok");
        return startSession(new PlayerIdentity(account.get().playerId(), account.get().username(), false));
    }

    public Session loginGuest() {
        String id = randomId();
        PlayerIdentity guest = new PlayerIdentity("guest-" + id, "guest-" + id.substring(0, 8), true);
        store.touchGuest(guest.playerId(), guest.username(), refreshTokens.ttl(), clock.millis());
        metrics.login("guest", "ok");
        return startSession(guest);
    }

    /** Rotation: the presented token is spent, a new one is returned. */
    public Session refresh(String refreshToken) {
        Optional<PlayerIdentity> player = refreshTokens.consume(refreshToken);
        if (player.isEmpty()) {
            metrics.login("refresh", "refused");
            throw Status.UNAUTHENTICATED.withDescription("refresh token is invalid, expired, or already used; log in again")
                    .asRuntimeException();
        }
        if (player.get().guest()) {
            store.touchGuest(player.get().playerId(), player.get().username(), refreshTokens.ttl(), clock.millis());
        }
        metrics.login("refresh", "ok");
        return startSession(player.get());
    }

    /** Idempotent: an unknown token is already logged out. Access tokens expire on their own. */
    public void logout(String refreshToken) {
        refreshTokens.revoke(refreshToken);
    }

    public PlayerProfile profile(PlayerIdentity player) {
        return store.profile(player.playerId(), player.username());
    }

    private Session startSession(PlayerIdentity player) {
        IssuedAccessToken access = accessTokens.issue(player);
        return Session.newBuilder()
                .setPlayerId(player.playerId())
                .setAccessToken(access.token())
                .setAccessExpiresAtEpochSeconds(access.expiresAt().getEpochSecond())
                .setRefreshToken(refreshTokens.issue(player))
                .setUsername(player.username())
                .build();
    }

    private String randomId() {
        byte[] bytes = new byte[15];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).replace('-', 'x').replace('_', 'y');
    }
}
