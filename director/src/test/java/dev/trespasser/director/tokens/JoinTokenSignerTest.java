package dev.trespasser.director.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.trespasser.proto.JoinTokenContract;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.SignatureException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The join token contract as a match server would check it, with only the public key. */
class JoinTokenSignerTest {

    private static final Instant ALLOCATED_AT = Instant.parse("2026-11-21T12:00:00.750Z");

    @Test
    void tokenCarriesPlayerMatchServerIdIssuerAndLifetimeAndVerifiesWithThePublicKey() {
        KeyPair keys = SigningKeys.generate();
        String token = new JoinTokenSigner(keys.getPrivate(), Duration.ofSeconds(900))
                .sign("p-1", "m-42", "gs-1", ALLOCATED_AT);

        Jws<Claims> jws = Jwts.parser()
                .verifyWith(keys.getPublic())
                .clock(() -> java.util.Date.from(ALLOCATED_AT.plusSeconds(60)))
                .build()
                .parseSignedClaims(token);
        assertEquals(JoinTokenContract.ALGORITHM, jws.getHeader().getAlgorithm());
        Claims claims = jws.getPayload();
        assertEquals("p-1", claims.getSubject());
        assertEquals("m-42", claims.get(JoinTokenContract.MATCH_ID, String.class));
        assertEquals(JoinTokenContract.ISSUER, claims.getIssuer());
        assertEquals(java.util.Set.of("gs-1"), claims.getAudience(), "only the allocated GameServer accepts it");
        assertFalse(claims.getId().isEmpty(), "a token id");
        assertEquals(
                ALLOCATED_AT.getEpochSecond(),
                claims.getIssuedAt().toInstant().getEpochSecond(),
                "iat equals the allocation's allocated_at_epoch_seconds");
        assertEquals(
                ALLOCATED_AT.getEpochSecond() + 900,
                claims.getExpiration().toInstant().getEpochSecond());
    }

    @Test
    void payloadCarriesExactlyTheContractsClaimsWithTheAudienceAsAnArray() throws Exception {
        String token = new JoinTokenSigner(SigningKeys.generate().getPrivate(), Duration.ofSeconds(900))
                .sign("p-1", Optional.of("alice"), "m-42", "gs-1", ALLOCATED_AT);
        String json = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        JsonObject payload = JsonParser.parseString(json).getAsJsonObject();

        assertEquals(JoinTokenContract.CLAIMS, payload.keySet(), json);
        assertEquals("[\"gs-1\"]", payload.get(JoinTokenContract.AUDIENCE).toString(), json);
        assertEquals(
                ALLOCATED_AT.getEpochSecond(),
                payload.get(JoinTokenContract.ISSUED_AT).getAsLong(),
                json);
        assertEquals(
                ALLOCATED_AT.getEpochSecond() + 900,
                payload.get(JoinTokenContract.EXPIRES_AT).getAsLong(),
                json);
        assertEquals("p-1", payload.get(JoinTokenContract.SUBJECT).getAsString(), json);
        assertEquals("alice", payload.get(JoinTokenContract.DISPLAY_NAME).getAsString(), json);
    }

    @Test
    void theDisplayNameIsSignedAsItIsAndATicketWithoutOneGivesATokenWithoutTheClaim() {
        KeyPair keys = SigningKeys.generate();
        JoinTokenSigner signer = new JoinTokenSigner(keys.getPrivate(), Duration.ofSeconds(900));

        Claims named = Jwts.parser()
                .verifyWith(keys.getPublic())
                .clock(() -> java.util.Date.from(ALLOCATED_AT))
                .build()
                .parseSignedClaims(signer.sign("p-1", Optional.of("Zoë the 2nd"), "m-42", "gs-1", ALLOCATED_AT))
                .getPayload();
        assertEquals("Zoë the 2nd", named.get(JoinTokenContract.DISPLAY_NAME, String.class));

        Claims nameless = Jwts.parser()
                .verifyWith(keys.getPublic())
                .clock(() -> java.util.Date.from(ALLOCATED_AT))
                .build()
                .parseSignedClaims(signer.sign("p-1", Optional.empty(), "m-42", "gs-1", ALLOCATED_AT))
                .getPayload();
        assertFalse(nameless.containsKey(JoinTokenContract.DISPLAY_NAME), nameless.toString());
    }

    @Test
    void aNameAMatchServerWouldRefuseIsNeverSigned() {
        JoinTokenSigner signer = new JoinTokenSigner(SigningKeys.generate().getPrivate(), Duration.ofSeconds(900));
        for (String hostile : new String[] {"", "x".repeat(25), "bell\u0007", "\u202Eevil", " padded"}) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> signer.sign("p-1", Optional.of(hostile), "m-42", "gs-1", ALLOCATED_AT),
                    hostile);
            assertTrue(e.getMessage().startsWith("the display name of p-1 "), e.getMessage());
        }
    }

    @Test
    void everyTokenHasItsOwnIdAndNeedsAServer() {
        JoinTokenSigner signer = new JoinTokenSigner(SigningKeys.generate().getPrivate(), Duration.ofSeconds(900));
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 100; i++) {
            String token = signer.sign("p-1", "m-42", "gs-1", ALLOCATED_AT);
            String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
            ids.add(payload.replaceAll(".*\"jti\":\"([^\"]+)\".*", "$1"));
        }
        assertEquals(100, ids.size(), "token ids are unique");
        assertThrows(IllegalArgumentException.class, () -> signer.sign("p-1", "m-42", "", ALLOCATED_AT));
    }

    @Test
    void tokenIsRefusedAfterItsLifetime() {
        KeyPair keys = SigningKeys.generate();
        String token = new JoinTokenSigner(keys.getPrivate(), Duration.ofSeconds(900))
                .sign("p-1", "m-42", "gs-1", ALLOCATED_AT);

        assertThrows(
                ExpiredJwtException.class,
                () -> Jwts.parser()
                        .verifyWith(keys.getPublic())
                        .clock(() -> java.util.Date.from(ALLOCATED_AT.plusSeconds(901)))
                        .build()
                        .parseSignedClaims(token));
    }

    @Test
    void tokenSignedByAnotherKeyIsRefused() {
        String token = new JoinTokenSigner(SigningKeys.generate().getPrivate(), Duration.ofSeconds(900))
                .sign("p-1", "m-42", "gs-1", Instant.now());

        assertThrows(
                SignatureException.class,
                () -> Jwts.parser()
                        .verifyWith(SigningKeys.generate().getPublic())
                        .build()
                        .parseSignedClaims(token));
    }

    @Test
    void privateKeyLoadsFromPkcs8PemAsOpensslWritesIt(@TempDir Path dir) throws Exception {
        KeyPair keys = SigningKeys.generate();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Path file = dir.resolve("join-token.pem");
        Files.writeString(file, pem);

        PrivateKey loaded = SigningKeys.readPrivateKey(file);
        String token = new JoinTokenSigner(loaded, Duration.ofSeconds(60)).sign("p-1", "m-1", "gs-1", Instant.now());
        assertEquals(
                "p-1",
                Jwts.parser()
                        .verifyWith(keys.getPublic())
                        .build()
                        .parseSignedClaims(token)
                        .getPayload()
                        .getSubject());
    }

    @Test
    void malformedPemIsAClearError() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> SigningKeys.parsePrivateKey(
                        "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"));
        assertTrue(e.getMessage().contains("PKCS#8"), e.getMessage());
    }

    @Test
    void devModeWritesThePublicKeyThatVerifiesItsTokens(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("keys/join-token.pub.pem");
        PrivateKey key = SigningKeys.generateForDevelopment(Optional.of(out));
        String token = new JoinTokenSigner(key, Duration.ofSeconds(60)).sign("p-9", "m-9", "gs-1", Instant.now());

        String pem = Files.readString(out);
        assertTrue(pem.startsWith("-----BEGIN PUBLIC KEY-----\n"), pem);
        String body = pem.replace("-----BEGIN PUBLIC KEY-----", "")
                .replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        PublicKey publicKey = KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
        assertEquals(
                "m-9",
                Jwts.parser()
                        .verifyWith(publicKey)
                        .build()
                        .parseSignedClaims(token)
                        .getPayload()
                        .get(JoinTokenContract.MATCH_ID, String.class));
    }
}
