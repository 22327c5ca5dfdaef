package dev.trespasser.match.testing;

import dev.trespasser.match.net.JoinTokenVerifier;
import io.jsonwebtoken.Jwts;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/** A director's Ed25519 key pair for tests: signs join tokens like the director does. */
public final class TestKeys {

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
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    public JoinTokenVerifier verifier() {
        return new JoinTokenVerifier(JoinTokenVerifier.publicKeyFromPem(publicKeyPem()), Clock.systemUTC());
    }

    public String token(String playerId, String matchId) {
        return token(playerId, matchId, Instant.now().plus(Duration.ofMinutes(10)));
    }

    public String token(String playerId, String matchId, Instant expiry) {
        return Jwts.builder()
                .issuer(JoinTokenVerifier.ISSUER)
                .subject(playerId)
                .claim(JoinTokenVerifier.MATCH_ID_CLAIM, matchId)
                .issuedAt(Date.from(Instant.now().minusSeconds(60)))
                .expiration(Date.from(expiry))
                .signWith(pair.getPrivate(), Jwts.SIG.EdDSA)
                .compact();
    }
}
