package dev.trespasser.match.testing;

import dev.trespasser.match.net.JoinTokenVerifier;
import dev.trespasser.proto.JoinTokenContract;
import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

/** A director's Ed25519 key pair for tests: signs join tokens like the director does. */
public final class TestKeys {

    /** The GameServer name test edges host under, and the audience of {@link #token(String, String)}. */
    public static final String SERVER = "gs-test";

    private final KeyPair pair;

    public TestKeys() {
        try {
            pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String publicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'})
                        .encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    public JoinTokenVerifier verifier() {
        return new JoinTokenVerifier(JoinTokenVerifier.publicKeyFromPem(publicKeyPem()), Clock.systemUTC());
    }

    /** Signs whatever {@code claims} hold, for tokens the director would never issue. */
    public String sign(JwtBuilder claims) {
        return claims.signWith(pair.getPrivate(), Jwts.SIG.EdDSA).compact();
    }

    /** The base64url Ed25519 signature of a hand-built {@code header.payload}, for tokens built byte by byte. */
    public String signatureOf(String signingInput) {
        try {
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initSign(pair.getPrivate());
            ed25519.update(signingInput.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(ed25519.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String token(String playerId, String matchId) {
        return token(playerId, matchId, Instant.now().plus(Duration.ofMinutes(10)));
    }

    public String token(String playerId, String matchId, Instant expiry) {
        return token(playerId, matchId, SERVER, expiry);
    }

    /** A token for {@code gameServer} ({@code aud}) with a fresh token id ({@code jti}). */
    public String token(String playerId, String matchId, String gameServer, Instant expiry) {
        return Jwts.builder()
                .issuer(JoinTokenContract.ISSUER)
                .subject(playerId)
                .audience()
                .add(gameServer)
                .and()
                .id(UUID.randomUUID().toString())
                .claim(JoinTokenContract.MATCH_ID, matchId)
                .issuedAt(Date.from(Instant.now().minusSeconds(60)))
                .expiration(Date.from(expiry))
                .signWith(pair.getPrivate(), Jwts.SIG.EdDSA)
                .compact();
    }

    /** A token as the director signs one for a ticket that named its player ({@code name} claim). */
    public String namedToken(String playerId, String displayName, String matchId) {
        return Jwts.builder()
                .issuer(JoinTokenContract.ISSUER)
                .subject(playerId)
                .audience()
                .add(SERVER)
                .and()
                .id(UUID.randomUUID().toString())
                .claim(JoinTokenContract.MATCH_ID, matchId)
                .claim(JoinTokenContract.DISPLAY_NAME, displayName)
                .issuedAt(Date.from(Instant.now().minusSeconds(60)))
                .expiration(Date.from(Instant.now().plus(Duration.ofMinutes(10))))
                .signWith(pair.getPrivate(), Jwts.SIG.EdDSA)
                .compact();
    }

    /**
     * The same token as {@link #token(String, String)}, built and signed with the JDK alone, for
     * benchmarks: signing with jjwt would load its Jackson binding into the measured server JVM.
     */
    public String tokenWithoutJwtLibrary(String playerId, String matchId) {
        long now = Instant.now().getEpochSecond();
        String claims = "{\"iss\":\"" + JoinTokenContract.ISSUER + "\",\"sub\":\"" + playerId + "\",\"aud\":\"" + SERVER
                + "\",\"jti\":\"" + UUID.randomUUID() + "\",\"" + JoinTokenContract.MATCH_ID + "\":\"" + matchId
                + "\",\"iat\":" + (now - 60) + ",\"exp\":" + (now + 600) + "}";
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput =
                b64.encodeToString("{\"alg\":\"EdDSA\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
                        + b64.encodeToString(claims.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return signingInput + "." + signatureOf(signingInput);
    }
}
