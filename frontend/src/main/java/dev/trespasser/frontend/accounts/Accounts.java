package dev.trespasser.frontend.accounts;

import dev.trespasser.frontend.auth.AccessTokens;
import dev.trespasser.frontend.auth.IssuedAccessToken;
import dev.trespasser.frontend.auth.PasswordHasher;
import dev.trespasser.frontend.auth.PasswordHashing;
import dev.trespasser.frontend.auth.PlayerIdentity;
import dev.trespasser.frontend.limits.LoginLockout;
import dev.trespasser.frontend.metrics.FrontendMetrics;
import dev.trespasser.proto.frontend.v1.Session;
import io.grpc.Status;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Register, log in (password or guest), refresh, log out, log out everywhere and change the
 * password; each success is a new {@link Session}. Every password hash runs on the bounded
 * {@link PasswordHashing} pool.
 */
public final class Accounts {

    private static final Logger log = LoggerFactory.getLogger(Accounts.class);
    /** One message for unknown user and wrong password, so the API does not reveal which names exist. */
    static final String BAD_CREDENTIALS = "unknown username or wrong password";

    private final AccountStore store;
    private final RefreshTokens refreshTokens;
    private final AccessTokens accessTokens;
    private final PasswordHashing hashing;
    private final LoginLockout lockout;
    private final SecureRandom random;
    private final Clock clock;
    private final FrontendMetrics metrics;

    public Accounts(
            AccountStore store,
            RefreshTokens refreshTokens,
            AccessTokens accessTokens,
            PasswordHashing hashing,
            LoginLockout lockout,
            SecureRandom random,
            Clock clock,
            FrontendMetrics metrics) {
        this.store = store;
        this.refreshTokens = refreshTokens;
        this.accessTokens = accessTokens;
        this.hashing = hashing;
        this.lockout = lockout;
        this.random = random;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * A taken name is ALREADY_EXISTS: sign-up cannot hide that. Nothing else tells the two apart:
     * the password is hashed before the name is tried, so both cost the same, and Register is
     * rate-limited per address (FRONTEND_REGISTRATIONS_PER_HOUR) so names cannot be listed fast.
     */
    public Session register(String username, String password) {
        CredentialRules.checkNewUsername(username);
        CredentialRules.checkNewPassword(password);
        PlayerIdentity player = new PlayerIdentity("p-" + randomId(), username, false);
        String record = hashing.hash(password.toCharArray());
        if (!store.create(new StoredAccount(player.playerId(), username, record, record), clock.millis())) {
            metrics.login("register", "taken");
            throw Status.ALREADY_EXISTS
                    .withDescription("username '" + username + "' is already taken")
                    .asRuntimeException();
        }
        metrics.login("register", "ok");
        log.info("registered {} as {}", username, player.playerId());
        return startSession(player);
    }

    public Session login(String username, String password) {
        CredentialRules.checkLoginInput(username, password);
        StoredAccount account = checkPassword(username, password, "password");
        metrics.login("password", "ok");
        return startSession(new PlayerIdentity(account.playerId(), account.username(), false));
    }

    /** Needs the current password; ends every session of the player and starts a new one for this caller. */
    public Session changePassword(PlayerIdentity player, String currentPassword, String newPassword) {
        if (player.guest()) {
            throw Status.FAILED_PRECONDITION
                    .withDescription("guests have no password; register an account")
                    .asRuntimeException();
        }
        CredentialRules.checkLoginInput(player.username(), currentPassword);
        CredentialRules.checkNewPassword(newPassword);
        StoredAccount account = checkPassword(player.username(), currentPassword, "change_password");
        if (!account.playerId().equals(player.playerId())) {
            // The name was freed and taken by someone else since this token was issued.
            throw Status.UNAUTHENTICATED.withDescription(BAD_CREDENTIALS).asRuntimeException();
        }
        if (!store.replacePassword(account, hashing.hash(newPassword.toCharArray()))) {
            throw Status.ABORTED
                    .withDescription("the password changed meanwhile; log in again")
                    .asRuntimeException();
        }
        int ended = refreshTokens.revokeAll(player.playerId());
        metrics.login("change_password", "ok");
        log.info("{} changed the password; {} sessions ended", player.playerId(), ended);
        return startSession(new PlayerIdentity(player.playerId(), account.username(), false));
    }

    /** Rotation: the presented token is spent, a new one of the same family is returned. */
    public Session refresh(String refreshToken) {
        RefreshTokens.Rotation rotation = refreshTokens.rotate(refreshToken);
        if (rotation.outcome() == RefreshTokens.Outcome.REUSED) {
            metrics.login("refresh", "reused");
            log.warn(
                    "a rotated-out refresh token of {} was presented again; its session is revoked",
                    rotation.player().map(PlayerIdentity::playerId).orElse("?"));
        }
        if (rotation.outcome() != RefreshTokens.Outcome.ROTATED) {
            if (rotation.outcome() == RefreshTokens.Outcome.REFUSED) {
                metrics.login("refresh", "refused");
            }
            throw Status.UNAUTHENTICATED
                    .withDescription("refresh token is invalid, expired, or already used; log in again")
                    .asRuntimeException();
        }
        PlayerIdentity player = rotation.player().orElseThrow();
        if (player.guest()) {
            store.touchGuest(player.playerId(), player.username(), refreshTokens.ttl(), clock.millis());
        }
        metrics.login("refresh", "ok");
        return session(player, rotation.token().orElseThrow());
    }

    /** Ends this session. Idempotent: an unknown token is already logged out. Access tokens expire on their own. */
    public void logout(String refreshToken) {
        refreshTokens.revoke(refreshToken);
    }

    /** Ends every session of the player (all devices). Access tokens expire on their own. */
    public void logoutEverywhere(PlayerIdentity player) {
        int ended = refreshTokens.revokeAll(player.playerId());
        log.info("{} logged out everywhere; {} sessions ended", player.playerId(), ended);
    }

    public Session loginGuest() {
        String id = randomId();
        PlayerIdentity guest = new PlayerIdentity("guest-" + id, "guest-" + id.substring(0, 8), true);
        store.touchGuest(guest.playerId(), guest.username(), refreshTokens.ttl(), clock.millis());
        metrics.login("guest", "ok");
        return startSession(guest);
    }

    public PlayerProfile profile(PlayerIdentity player) {
        return store.profile(player.playerId(), player.username());
    }

    /**
     * The account, if the password is right. The per-account lockout is checked first (no hash is
     * spent on a locked account) and counts unknown names like known ones.
     */
    private StoredAccount checkPassword(String username, String password, String kind) {
        String accountKey = CredentialRules.canonical(username);
        Duration locked = lockout.lockedFor(accountKey);
        if (!locked.isZero()) {
            metrics.login(kind, "locked");
            throw lockedOut(locked);
        }
        Optional<StoredAccount> account = store.find(username);
        if (account.isEmpty()) {
            hashing.verifyDecoy(password.toCharArray());
            throw refused(accountKey, kind);
        }
        PasswordHasher.Verification verification;
        try {
            verification = hashing.verify(password.toCharArray(), account.get().passwordRecord());
        } catch (PasswordHasher.UnusableRecordException e) {
            metrics.login(kind, "unusable_record");
            log.error(
                    "account {} ({}): {}; refusing its login until an operator resets it",
                    account.get().username(),
                    account.get().playerId(),
                    e.getMessage());
            throw Status.FAILED_PRECONDITION
                    .withDescription("this account's stored password cannot be checked; contact support")
                    .asRuntimeException();
        }
        if (verification == PasswordHasher.Verification.WRONG_PASSWORD) {
            throw refused(accountKey, kind);
        }
        lockout.succeeded(accountKey);
        if (verification == PasswordHasher.Verification.MATCHES_REHASH) {
            upgrade(account.get(), password);
        }
        return account.get();
    }

    /** PBKDF2 (or an older Argon2id cost) becomes the current Argon2id; best effort, the login stands either way. */
    private void upgrade(StoredAccount account, String password) {
        try {
            if (store.replacePassword(account, hashing.hash(password.toCharArray()))) {
                log.info("re-hashed the password of {} with Argon2id", account.playerId());
            }
        } catch (RuntimeException e) {
            log.warn(
                    "could not re-hash the password of {} now ({}); next login tries again",
                    account.playerId(),
                    e.toString());
        }
    }

    private RuntimeException refused(String accountKey, String kind) {
        metrics.login(kind, "refused");
        Duration lock = lockout.failed(accountKey);
        if (!lock.isZero()) {
            return lockedOut(lock);
        }
        return Status.UNAUTHENTICATED.withDescription(BAD_CREDENTIALS).asRuntimeException();
    }

    private static RuntimeException lockedOut(Duration lock) {
        long seconds = Math.max(1, (lock.toMillis() + 999) / 1000);
        return Status.RESOURCE_EXHAUSTED
                .withDescription("too many failed logins for this account; retry in " + seconds + " s")
                .asRuntimeException();
    }

    private Session startSession(PlayerIdentity player) {
        return session(player, refreshTokens.issue(player));
    }

    private Session session(PlayerIdentity player, String refreshToken) {
        IssuedAccessToken access = accessTokens.issue(player);
        return Session.newBuilder()
                .setPlayerId(player.playerId())
                .setAccessToken(access.token())
                .setAccessExpiresAtEpochSeconds(access.expiresAt().getEpochSecond())
                .setRefreshToken(refreshToken)
                .setUsername(player.username())
                .build();
    }

    private String randomId() {
        byte[] bytes = new byte[15];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(bytes)
                .replace('-', 'x')
                .replace('_', 'y');
    }
}
