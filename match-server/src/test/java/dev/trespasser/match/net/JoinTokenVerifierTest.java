package dev.trespasser.match.net;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.match.protocol.FrameRejectedException;
import dev.trespasser.match.testing.TestKeys;
import dev.trespasser.proto.DisplayNames;
import dev.trespasser.proto.JoinTokenContract;
import dev.trespasser.proto.game.v1.ErrorReason;
import io.jsonwebtoken.Jwts;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class JoinTokenVerifierTest {

    private final TestKeys keys = new TestKeys();

    @Test
    void validTokenNamesPlayerMatchServerAndTokenId() throws Exception {
        JoinClaims claims = keys.verifier().verify(keys.token("p-1", "m-1"));
        assertEquals("p-1", claims.playerId());
        assertEquals("m-1", claims.matchId());
        assertEquals(TestKeys.SERVER, claims.gameServer());
        assertFalse(claims.tokenId().isEmpty());
        assertNotEquals(
                claims.tokenId(),
                keys.verifier().verify(keys.token("p-1", "m-1")).tokenId(),
                "each token has its own id");
    }

    @Test
    void duringARotationTokensOfTheCurrentAndThePreviousKeyAreAcceptedAndNoOther() throws Exception {
        TestKeys previous = new TestKeys();
        TestKeys stranger = new TestKeys();
        JoinTokenVerifier rotating = new JoinTokenVerifier(
                JoinTokenVerifier.publicKeyFromPem(keys.publicKeyPem()),
                java.util.Optional.of(JoinTokenVerifier.publicKeyFromPem(previous.publicKeyPem())),
                Clock.systemUTC());
        assertEquals("p-new", rotating.verify(keys.token("p-new", "m-1")).playerId());
        assertEquals(
                "p-old",
                rotating.verify(previous.token("p-old", "m-1")).playerId(),
                "a token handed out before the director rolled over still admits its player");
        FrameRejectedException e =
                assertThrows(FrameRejectedException.class, () -> rotating.verify(stranger.token("p-x", "m-1")));
        assertEquals(ErrorReason.ERROR_REASON_BAD_TOKEN, e.reason());
        assertThrows(
                FrameRejectedException.class,
                () -> keys.verifier().verify(previous.token("p-old", "m-1")),
                "without the previous key configured, its tokens are refused");
    }

    @Test
    void tokenWithoutAudienceOrTokenIdIsBad() {
        Instant exp = Instant.now().plusSeconds(600);
        String noAudience = keys.sign(Jwts.builder()
                .issuer(JoinTokenContract.ISSUER)
                .subject("p-1")
                .id("t-1")
                .claim(JoinTokenContract.MATCH_ID, "m-1")
                .expiration(Date.from(exp)));
        String noTokenId = keys.sign(Jwts.builder()
                .issuer(JoinTokenContract.ISSUER)
                .subject("p-1")
                .audience()
                .add("gs-1")
                .and()
                .claim(JoinTokenContract.MATCH_ID, "m-1")
                .expiration(Date.from(exp)));
        String twoServers = keys.sign(Jwts.builder()
                .issuer(JoinTokenContract.ISSUER)
                .subject("p-1")
                .id("t-1")
                .audience()
                .add("gs-1")
                .add("gs-2")
                .and()
                .claim(JoinTokenContract.MATCH_ID, "m-1")
                .expiration(Date.from(exp)));
        for (String bad : new String[] {noAudience, noTokenId, twoServers}) {
            FrameRejectedException e = assertThrows(
                    FrameRejectedException.class, () -> keys.verifier().verify(bad));
            assertEquals(ErrorReason.ERROR_REASON_BAD_TOKEN, e.reason(), e.getMessage());
        }
    }

    @Test
    void aKeyThatIsNotEd25519PemIsRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> JoinTokenVerifier.publicKeyFromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n"));
    }

    @Test
    void expiryAllowsOnlyTheDocumentedSkew() throws Exception {
        String token = keys.token("p-1", "m-1", Instant.parse("2030-01-01T00:00:00Z"));
        JoinTokenVerifier justAfter = new JoinTokenVerifier(
                JoinTokenVerifier.publicKeyFromPem(keys.publicKeyPem()),
                Clock.fixed(Instant.parse("2030-01-01T00:00:04Z"), java.time.ZoneOffset.UTC));
        assertEquals("m-1", justAfter.verify(token).matchId());
        JoinTokenVerifier later = new JoinTokenVerifier(
                JoinTokenVerifier.publicKeyFromPem(keys.publicKeyPem()),
                Clock.fixed(Instant.parse("2030-01-01T00:00:06Z"), java.time.ZoneOffset.UTC));
        FrameRejectedException e = assertThrows(FrameRejectedException.class, () -> later.verify(token));
        assertEquals(ErrorReason.ERROR_REASON_TOKEN_EXPIRED, e.reason());
    }

    @Test
    void unsignedOrTamperedTokensAreBad() {
        String token = keys.token("p-1", "m-1");
        String[] parts = token.split("\\.");
        String unsigned = parts[0] + "." + parts[1] + ".";
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        for (String bad : new String[] {unsigned, tampered, "", "a.b.c"}) {
            FrameRejectedException e = assertThrows(
                    FrameRejectedException.class, () -> keys.verifier().verify(bad));
            assertEquals(ErrorReason.ERROR_REASON_BAD_TOKEN, e.reason(), bad);
        }
    }

    /** The hand-built claims below are ones the verifier accepts under EdDSA, so only the algorithm is wrong. */
    @Test
    void handBuiltEdDsaTokenIsAccepted() throws Exception {
        String signingInput = b64url("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}") + "." + b64url(validClaimsJson());
        JoinClaims claims = keys.verifier().verify(signingInput + "." + keys.signatureOf(signingInput));
        assertEquals("p-1", claims.playerId());
        assertEquals("t-1", claims.tokenId());
    }

    @Test
    void algNoneTokenIsBad() {
        String header = b64url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String token = header + "." + b64url(validClaimsJson()) + ".";
        FrameRejectedException e =
                assertThrows(FrameRejectedException.class, () -> keys.verifier().verify(token));
        assertEquals(ErrorReason.ERROR_REASON_BAD_TOKEN, e.reason(), e.getMessage());
    }

    /** Key confusion: HS256 with the public key (as DER or as the PEM text) used as the HMAC secret. */
    @Test
    void hs256TokenKeyedWithThePublicKeyIsBad() throws Exception {
        byte[] der = JoinTokenVerifier.publicKeyFromPem(keys.publicKeyPem()).getEncoded();
        byte[] pemText = keys.publicKeyPem().getBytes(StandardCharsets.US_ASCII);
        for (byte[] secret : new byte[][] {der, pemText}) {
            String signingInput = b64url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + b64url(validClaimsJson());
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            String token = signingInput + "."
                    + Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
            FrameRejectedException e = assertThrows(
                    FrameRejectedException.class, () -> keys.verifier().verify(token));
            assertEquals(ErrorReason.ERROR_REASON_BAD_TOKEN, e.reason(), e.getMessage());
        }
    }

    /**
     * Hostile shapes, each otherwise carrying valid claims and (where a signature matters) a valid
     * Ed25519 signature over exactly what is sent: refused as a bad token, never thrown as anything else.
     */
    @Test
    void hostileTokensAreBad() {
        String claims = b64url(validClaimsJson());
        String[] headers = {
            "{\"alg\":\"EdDSA\",\"alg\":\"none\"}",
            "{\"alg\":\"none\",\"alg\":\"EdDSA\"}",
            "{\"alg\":\"EdDSA\",\"crit\":[\"exp\"],\"exp\":1}",
            "{\"alg\":\"EdDSA\",\"jwk\":{\"kty\":\"OKP\"}}",
            "{\"alg\":\"EdDSA\",\"jku\":\"http://127.0.0.1/keys\"}",
            "{\"alg\":\"EdDSA\",\"b64\":false}",
            "{\"alg\":\"EdDSA\",\"typ\":\"JOSE+JSON\"}",
            "{\"alg\":\"EdDSA\",\"kid\":7}",
            "{\"alg\":\"eddsa\"}",
            "{\"alg\":\"Ed25519\"}",
            "{\"alg\":[\"EdDSA\"]}",
            "{\"typ\":\"JWT\"}",
            "[\"EdDSA\"]",
            "{\"alg\":\"EdDSA\"",
            "{\"alg\":\"EdDSA\",\"x\":" + "[".repeat(50) + "]".repeat(50) + "}",
        };
        for (String header : headers) {
            String signingInput = b64url(header) + "." + claims;
            assertBad(signingInput + "." + keys.signatureOf(signingInput), header);
        }
        String good = keys.token("p-1", "m-1");
        String[] parts = good.split("\\.");
        String[] shapes = {
            good + ".",
            good + "." + parts[2],
            parts[0] + "." + parts[1],
            parts[0] + ".." + parts[2],
            "." + parts[1] + "." + parts[2],
            parts[0] + "=." + parts[1] + "." + parts[2],
            parts[0] + "." + parts[1] + "." + parts[2] + "==",
            parts[0].replace('-', '+').replace('_', '/') + "." + parts[1] + "." + parts[2]
                    + (parts[0].matches(".*[-_].*") ? "" : "*"),
            parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 4),
            parts[0] + "." + parts[1] + "." + parts[2] + "AAAA",
            parts[0] + " ." + parts[1] + "." + parts[2],
            parts[0] + "." + parts[1] + "." + "A".repeat(JoinTokenVerifier.MAX_TOKEN_CHARS),
            "...",
        };
        for (String token : shapes) {
            assertBad(token, token);
        }
    }

    /** Signed, so only the claims' shape is wrong: duplicates, wrong types, two audiences, not yet valid. */
    @Test
    void signedTokensWithHostileClaimsAreBad() {
        long now = Instant.now().getEpochSecond();
        String rest = ",\"" + JoinTokenContract.MATCH_ID + "\":\"m-1\",\"aud\":\"" + TestKeys.SERVER
                + "\",\"jti\":\"t-1\",\"exp\":" + (now + 600) + "}";
        String iss = "{\"iss\":\"" + JoinTokenContract.ISSUER + "\"";
        String[] claimSets = {
            iss + ",\"sub\":\"p-1\",\"sub\":\"p-2\"" + rest,
            iss + ",\"iss\":\"someone-else\",\"sub\":\"p-1\"" + rest,
            "{\"iss\":\"someone-else\",\"sub\":\"p-1\"" + rest,
            iss + ",\"sub\":7" + rest,
            iss + ",\"sub\":\"\"" + rest,
            iss + ",\"sub\":\"p-1\",\"nbf\":" + (now + 600) + rest,
            iss + ",\"sub\":\"p-1\",\"iat\":\"yesterday\"" + rest,
            iss + ",\"sub\":\"p-1\",\"" + JoinTokenContract.MATCH_ID
                    + "\":\"m-1\",\"aud\":[\"gs-1\",\"gs-2\"],\"jti\":\"t-1\",\"exp\":" + (now + 600) + "}",
            iss + ",\"sub\":\"p-1\",\"" + JoinTokenContract.MATCH_ID + "\":\"m-1\",\"aud\":\"" + TestKeys.SERVER
                    + "\",\"jti\":\"t-1\",\"exp\":\"" + (now + 600) + "\"}",
            iss + ",\"sub\":\"p-1\",\"" + JoinTokenContract.MATCH_ID + "\":\"m-1\",\"aud\":\"" + TestKeys.SERVER
                    + "\",\"jti\":\"t-1\",\"exp\":" + (now + 600) + ".5}",
            "[" + iss + "}]",
        };
        for (String claims : claimSets) {
            String signingInput = b64url("{\"alg\":\"EdDSA\"}") + "." + b64url(claims);
            assertBad(signingInput + "." + keys.signatureOf(signingInput), claims);
        }
        // The same shape with one subject passes: the refusals above are about the hostile part.
        String signingInput = b64url("{\"alg\":\"EdDSA\"}") + "." + b64url(iss + ",\"sub\":\"p-1\"" + rest);
        assertDoesNotThrow(() -> keys.verifier().verify(signingInput + "." + keys.signatureOf(signingInput)));
    }

    @Test
    void theNameClaimIsTheDisplayNameAndATokenWithoutOneShowsAShortFormOfTheId() throws Exception {
        assertEquals(
                "Zoë the 2nd",
                keys.verifier()
                        .verify(keys.namedToken("p-1", "Zoë the 2nd", "m-1"))
                        .displayName());
        assertEquals(
                "p-AbCdEfGhIjKl",
                keys.verifier()
                        .verify(keys.token("p-AbCdEfGhIjKlMnOpQrSt", "m-1"))
                        .displayName(),
                "a token signed before names still admits its player, under the id's first 14 characters");
        assertEquals(
                "guest-a1B2c3D4",
                keys.verifier()
                        .verify(keys.token("guest-a1B2c3D4e5F6g7H8i9J0", "m-1"))
                        .displayName(),
                "which for a guest is the guest's name");
        String longest = "\uD83D\uDE00".repeat(DisplayNames.MAX_CODE_POINTS);
        assertEquals(
                longest,
                keys.verifier().verify(keys.namedToken("p-1", longest, "m-1")).displayName(),
                "the bound counts code points, not UTF-16 units");
    }

    /**
     * Signed, so only the name is wrong: the director never signs such a name, and a match server
     * shows nothing of it. Each is refused as a bad token, saying what is wrong with the name.
     */
    @Test
    void signedTokensWithHostileNamesAreRefusedWithTheReason() {
        long now = Instant.now().getEpochSecond();
        String start = "{\"iss\":\"" + JoinTokenContract.ISSUER + "\",\"sub\":\"p-1\",\""
                + JoinTokenContract.MATCH_ID + "\":\"m-1\",\"aud\":\"" + TestKeys.SERVER
                + "\",\"jti\":\"t-1\",\"exp\":" + (now + 600) + ",\"name\":";
        String[][] cases = {
            {"\"" + "x".repeat(25) + "\"", "name is longer than 24 code points"},
            {"\"" + "x".repeat(1000) + "\"", "name is longer than 24 code points"},
            {"\"bell\\u0007\"", "name contains U+0007, a control character"},
            {"\"two\\nlines\"", "name contains U+000A, a control character"},
            {"\"\\u202Eevil\"", "name contains U+202E, a format character"},
            {"\"admin\\u2066\"", "name contains U+2066, a format character"},
            {"\"zero\\u200Bwidth\"", "name contains U+200B, a format character"},
            {"\"lone\\uD800\"", "claims is not a JSON object (unpaired surrogate escape"},
            {"\"private\\uE000\"", "name contains U+E000, a private-use character"},
            {"\"wide\\u3000space\"", "name contains U+3000, a space other than U+0020"},
            {"\"\\u0301accent\"", "name starts with a combining mark U+0301"},
            {"\"a\\u0301\\u0301\\u0301\\u0301\"", "name has more than 3 combining marks in a row"},
            {"\" padded\"", "name starts or ends with a space"},
            {"\"\"", "name is empty"},
            {"7", "name must be a string"},
            {"null", "name must be a string"},
            {"[\"alice\"]", "name must be a string"},
            {"{\"first\":\"alice\"}", "name must be a string"},
            {"true", "name must be a string"},
        };
        for (String[] c : cases) {
            String signingInput = b64url("{\"alg\":\"EdDSA\"}") + "." + b64url(start + c[0] + "}");
            FrameRejectedException e = assertThrows(
                    FrameRejectedException.class,
                    () -> keys.verifier().verify(signingInput + "." + keys.signatureOf(signingInput)),
                    c[0]);
            assertEquals(ErrorReason.ERROR_REASON_BAD_TOKEN, e.reason(), c[0]);
            assertTrue(e.getMessage().startsWith("join token rejected: " + c[1]), c[0] + ": " + e.getMessage());
        }
        // The same claims with a plain name pass: the refusals above are about the name.
        String signingInput = b64url("{\"alg\":\"EdDSA\"}") + "." + b64url(start + "\"alice\"}");
        assertDoesNotThrow(() -> keys.verifier().verify(signingInput + "." + keys.signatureOf(signingInput)));
    }

    /** Claims that are not UTF-8 (a lone continuation byte), signed. */
    @Test
    void claimsThatAreNotUtf8AreBad() {
        byte[] bytes = validClaimsJson().replace("p-1", "p-\u0001").getBytes(StandardCharsets.UTF_8);
        int at = validClaimsJson().indexOf("p-1") + 2;
        bytes[at] = (byte) 0x80;
        String signingInput = b64url("{\"alg\":\"EdDSA\"}") + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        assertBad(signingInput + "." + keys.signatureOf(signingInput), "non-UTF-8 claims");
    }

    private void assertBad(String token, String what) {
        FrameRejectedException e =
                assertThrows(FrameRejectedException.class, () -> keys.verifier().verify(token), what);
        assertEquals(ErrorReason.ERROR_REASON_BAD_TOKEN, e.reason(), what + ": " + e.getMessage());
    }

    /** Claims a director would issue (iss, sub, mid, aud, jti, exp): only the algorithm differs. */
    private static String validClaimsJson() {
        long now = Instant.now().getEpochSecond();
        return "{\"iss\":\"" + JoinTokenContract.ISSUER + "\",\"sub\":\"p-1\",\"" + JoinTokenContract.MATCH_ID
                + "\":\"m-1\",\"aud\":\"" + TestKeys.SERVER + "\",\"jti\":\"t-1\",\"iat\":" + (now - 60)
                + ",\"exp\":" + (now + 600) + "}";
    }

    private static String b64url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
