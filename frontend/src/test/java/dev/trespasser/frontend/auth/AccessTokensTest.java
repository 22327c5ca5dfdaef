package dev.trespasser.frontend.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The access token rules; every hostile token maps to "no player". */
class AccessTokensTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** 64 bytes: long enough for HS512, so only the algorithm check can refuse an HS512 token. */
    private static final byte[] LONG_KEY =
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final PlayerIdentity ALICE = new PlayerIdentity("p-alice", "alice", false);

    private final AccessTokens tokens =
            new AccessTokens(AccessTokenKeys.of(KEY), Duration.ofMinutes(15), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void issuedTokenNamesItsPlayer() {
        IssuedAccessToken issued = tokens.issue(ALICE);
        assertEquals(NOW.plus(Duration.ofMinutes(15)), issued.expiresAt());
        assertEquals(Optional.of(ALICE), tokens.verify(issued.token()));
    }

    @Test
    void tokenSignedWithAnotherKeyIsRefused() {
        AccessTokens forger = new AccessTokens(
                AccessTokenKeys.of("another-key-another-key-another!!".getBytes(StandardCharsets.US_ASCII)),
                Duration.ofMinutes(15),
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertEquals(Optional.empty(), tokens.verify(forger.issue(ALICE).token()));
    }

    @Test
    void expiredTokenIsRefused() {
        String token = tokens.issue(ALICE).token();
        AccessTokens later = new AccessTokens(
                AccessTokenKeys.of(KEY),
                Duration.ofMinutes(15),
                Clock.fixed(NOW.plus(Duration.ofMinutes(16)), ZoneOffset.UTC));
        assertEquals(Optional.empty(), later.verify(token));
    }

    @Test
    void tamperedPayloadIsRefused() {
        String[] parts = tokens.issue(ALICE).token().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String forged = payload.replace("p-alice", "p-admin");
        assertTrue(!forged.equals(payload));
        String token = parts[0] + "." + b64(forged) + "." + parts[2];
        assertEquals(Optional.empty(), tokens.verify(token));
    }

    @Test
    void unsignedAlgNoneTokenIsRefused() {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String payload = b64("{\"iss\":\"trespasser-frontend\",\"aud\":\"trespasser-player-api\",\"sub\":\"p-admin\","
                + "\"name\":\"admin\",\"guest\":false,\"exp\":"
                + NOW.plusSeconds(600).getEpochSecond() + "}");
        assertEquals(Optional.empty(), tokens.verify(header + "." + payload + "."));
        assertEquals(
                Optional.empty(),
                tokens.verify(Jwts.builder()
                        .subject("p-admin")
                        .claim("name", "admin")
                        .claim("guest", false)
                        .issuer("trespasser-frontend")
                        .expiration(Date.from(NOW.plusSeconds(600)))
                        .compact()));
    }

    /**
     * Signed with the verifier's own key under HS512: the signature is valid, so only the check of
     * the algorithm refuses it. The key is 64 bytes, long enough for HS512, so the library's key
     * strength rule does not refuse it first.
     */
    @Test
    void tokenSignedWithTheRightKeyUnderAnotherAlgorithmIsRefused() {
        AccessTokens verifier = new AccessTokens(
                AccessTokenKeys.of(LONG_KEY), Duration.ofMinutes(15), Clock.fixed(NOW, ZoneOffset.UTC));
        String hs512 = Jwts.builder()
                .header()
                .keyId(AccessTokenKeys.keyId(LONG_KEY))
                .and()
                .issuer(AccessTokens.ISSUER)
                .audience()
                .add(AccessTokens.AUDIENCE)
                .and()
                .subject("p-alice")
                .claim("name", "alice")
                .claim("guest", false)
                .expiration(Date.from(NOW.plusSeconds(600)))
                .signWith(Keys.hmacShaKeyFor(LONG_KEY), Jwts.SIG.HS512)
                .compact();
        assertEquals(Optional.empty(), verifier.verify(hs512));
        String hs384 = Jwts.builder()
                .issuer(AccessTokens.ISSUER)
                .audience()
                .add(AccessTokens.AUDIENCE)
                .and()
                .subject("p-alice")
                .claim("name", "alice")
                .claim("guest", false)
                .expiration(Date.from(NOW.plusSeconds(600)))
                .signWith(Keys.hmacShaKeyFor(LONG_KEY), Jwts.SIG.HS384)
                .compact();
        assertEquals(Optional.empty(), verifier.verify(hs384));
        // The same claims under HS256 with that key are accepted: the algorithm is the only difference.
        String hs256 = Jwts.builder()
                .issuer(AccessTokens.ISSUER)
                .audience()
                .add(AccessTokens.AUDIENCE)
                .and()
                .subject("p-alice")
                .claim("name", "alice")
                .claim("guest", false)
                .expiration(Date.from(NOW.plusSeconds(600)))
                .signWith(Keys.hmacShaKeyFor(LONG_KEY), Jwts.SIG.HS256)
                .compact();
        assertEquals(Optional.of(ALICE), verifier.verify(hs256));
    }

    @Test
    void tokenOfAnotherIssuerIsRefused() {
        String otherIssuer = Jwts.builder()
                .issuer("someone-else")
                .audience()
                .add(AccessTokens.AUDIENCE)
                .and()
                .subject("p-alice")
                .claim("name", "alice")
                .claim("guest", false)
                .expiration(Date.from(NOW.plusSeconds(600)))
                .signWith(Keys.hmacShaKeyFor(KEY), Jwts.SIG.HS256)
                .compact();
        assertEquals(Optional.empty(), tokens.verify(otherIssuer));
    }

    @Test
    void tokensNameTheirKeyAndThePreviousKeyVerifiesDuringARotation() {
        String oldToken = tokens.issue(ALICE).token();
        String header = new String(
                Base64.getUrlDecoder().decode(oldToken.substring(0, oldToken.indexOf('.'))), StandardCharsets.UTF_8);
        assertTrue(header.contains("\"kid\":\"" + AccessTokenKeys.keyId(KEY) + "\""), header);
        AccessTokens rotated = new AccessTokens(
                new AccessTokenKeys(LONG_KEY, Optional.of(KEY)),
                Duration.ofMinutes(15),
                Clock.fixed(NOW, ZoneOffset.UTC));
        AccessTokens notYetRotated = new AccessTokens(
                new AccessTokenKeys(KEY, Optional.of(LONG_KEY)),
                Duration.ofMinutes(15),
                Clock.fixed(NOW, ZoneOffset.UTC));
        String newToken = rotated.issue(ALICE).token();
        // Both generations of replicas accept both tokens while the rotation rolls out.
        assertEquals(Optional.of(ALICE), rotated.verify(oldToken));
        assertEquals(Optional.of(ALICE), rotated.verify(newToken));
        assertEquals(Optional.of(ALICE), notYetRotated.verify(newToken));
        // Once the previous key is dropped, its tokens are refused.
        AccessTokens afterRotation = new AccessTokens(
                AccessTokenKeys.of(LONG_KEY), Duration.ofMinutes(15), Clock.fixed(NOW, ZoneOffset.UTC));
        assertEquals(Optional.empty(), afterRotation.verify(oldToken));
        assertEquals(Optional.of(ALICE), afterRotation.verify(newToken));
    }

    @Test
    void unknownKeyIdIsRefusedAndTheKeyIdCannotSelectAnotherKey() {
        String[] parts = tokens.issue(ALICE).token().split("\\.");
        String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        String unknownKid = b64(header.replace(AccessTokenKeys.keyId(KEY), "someone-elses-key"));
        assertEquals(Optional.empty(), tokens.verify(unknownKid + "." + parts[1] + "." + parts[2]));
        // A token signed with the previous key but naming the current one (or none) is not verified with the previous
        // key.
        AccessTokens rotated = new AccessTokens(
                new AccessTokenKeys(LONG_KEY, Optional.of(KEY)),
                Duration.ofMinutes(15),
                Clock.fixed(NOW, ZoneOffset.UTC));
        String withoutKid = Jwts.builder()
                .issuer(AccessTokens.ISSUER)
                .audience()
                .add(AccessTokens.AUDIENCE)
                .and()
                .subject("p-alice")
                .claim("name", "alice")
                .claim("guest", false)
                .expiration(Date.from(NOW.plusSeconds(600)))
                .signWith(Keys.hmacShaKeyFor(KEY), Jwts.SIG.HS256)
                .compact();
        assertEquals(Optional.empty(), rotated.verify(withoutKid));
    }

    @Test
    void garbageIsRefused() {
        assertEquals(Optional.empty(), tokens.verify(""));
        assertEquals(Optional.empty(), tokens.verify("not.a.jwt"));
        assertEquals(Optional.empty(), tokens.verify("...."));
        assertEquals(Optional.empty(), tokens.verify("a".repeat(100_000)));
        assertEquals(Optional.empty(), tokens.verify(tokens.issue(ALICE).token() + "x"));
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
