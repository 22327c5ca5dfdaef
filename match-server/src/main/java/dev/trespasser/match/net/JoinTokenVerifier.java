package dev.trespasser.match.net;

import dev.trespasser.match.json.MalformedJsonException;
import dev.trespasser.match.json.StrictJson;
import dev.trespasser.match.protocol.FrameRejectedException;
import dev.trespasser.proto.DisplayNames;
import dev.trespasser.proto.JoinTokenContract;
import dev.trespasser.proto.game.v1.ErrorReason;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks join tokens ({@link JoinTokenContract}): compact JWS signed by the director with Ed25519
 * ({@code alg: EdDSA}), issuer, subject = player id, match id, audience = one GameServer's name, a
 * token id, an expiry, and the player's display name when the director knew it. The match server
 * holds only the public key. Whether the audience, match id and player fit this server and its
 * hosted match is the caller's check.
 *
 * <p>Parsed by hand on the JDK's own Ed25519 ({@code Signature "Ed25519"}, Java 15+) and
 * {@link StrictJson}, with no JWT library: the header must be exactly {@code alg: EdDSA} (with at
 * most {@code typ: JWT} and a string {@code kid} beside it), so {@code none}, HMAC and any
 * {@code crit} or key-carrying header are refused before the signature is looked at; the token is
 * bounded in length, its parts are strict unpadded base64url, and header and claims are strict
 * JSON (no duplicate keys, bounded nesting). The signature is checked before any claim is read.
 */
public final class JoinTokenVerifier {

    /** Tolerated clock difference between director and match server. */
    public static final long CLOCK_SKEW_SECONDS = 5;

    /** Far above a director's token (~330 chars): a bigger one is refused before any decoding. */
    public static final int MAX_TOKEN_CHARS = 2048;

    private static final int MAX_JSON_DEPTH = 4;
    private static final Set<String> HEADER_KEYS = Set.of("alg", "typ", "kid");
    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

    private final List<PublicKey> keys;
    private final Clock clock;

    public JoinTokenVerifier(PublicKey key, Clock clock) {
        this(key, Optional.empty(), clock);
    }

    /**
     * @param previous the key the director signed with before a rotation: accepted beside the
     *     current one until it is removed, so tokens already handed out keep working while the
     *     director and the fleet roll over (docs/operations.md "Rotating the join-token key")
     */
    public JoinTokenVerifier(PublicKey current, Optional<PublicKey> previous, Clock clock) {
        List<PublicKey> accepted = new ArrayList<>(2);
        accepted.add(current);
        previous.ifPresent(accepted::add);
        for (PublicKey key : accepted) {
            if (!JoinTokenContract.ALGORITHM.equals(key.getAlgorithm())
                    && !JoinTokenContract.KEY_ALGORITHM.equals(key.getAlgorithm())) {
                throw new IllegalArgumentException(
                        "join tokens are verified with an Ed25519 key, got " + key.getAlgorithm());
            }
        }
        this.keys = List.copyOf(accepted);
        this.clock = clock;
    }

    /** At most two Ed25519 checks (current, then previous key), each tens of microseconds. */
    private boolean signedByAcceptedKey(byte[] signingInput, byte[] signature) {
        for (PublicKey key : keys) {
            try {
                Signature ed25519 = Signature.getInstance("Ed25519");
                ed25519.initVerify(key);
                ed25519.update(signingInput);
                if (ed25519.verify(signature)) {
                    return true;
                }
            } catch (GeneralSecurityException e) {
                // a malformed signature for this key: try the next, then refuse
            }
        }
        return false;
    }

    /** An X.509 SubjectPublicKeyInfo in PEM ("BEGIN PUBLIC KEY"). */
    public static PublicKey publicKeyFromPem(String pem) {
        String base64 = pem.replace("-----BEGIN PUBLIC KEY-----", "")
                .replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            return KeyFactory.getInstance(JoinTokenContract.KEY_ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "not an Ed25519 public key in PEM (BEGIN PUBLIC KEY): " + e.getMessage(), e);
        }
    }

    public JoinClaims verify(String token) throws FrameRejectedException {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw bad("longer than " + MAX_TOKEN_CHARS + " chars");
        }
        int firstDot = token.indexOf('.');
        int secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
        if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
            throw bad("not a compact JWS of three parts");
        }
        Map<String, Object> header = json(decode(token.substring(0, firstDot), "header"), "header");
        if (!JoinTokenContract.ALGORITHM.equals(header.get("alg"))) {
            throw bad("alg must be " + JoinTokenContract.ALGORITHM);
        }
        for (Map.Entry<String, Object> member : header.entrySet()) {
            if (!HEADER_KEYS.contains(member.getKey())) {
                throw bad("header parameter " + member.getKey() + " not accepted");
            }
        }
        if (header.containsKey("typ") && !"JWT".equals(header.get("typ"))) {
            throw bad("typ must be JWT");
        }
        if (header.containsKey("kid") && !(header.get("kid") instanceof String)) {
            throw bad("kid must be a string");
        }
        byte[] signature = decode(token.substring(secondDot + 1), "signature");
        if (signature.length != 64) {
            throw bad("an Ed25519 signature is 64 bytes");
        }
        if (!signedByAcceptedKey(token.substring(0, secondDot).getBytes(StandardCharsets.US_ASCII), signature)) {
            throw bad("signature does not verify");
        }
        Map<String, Object> claims = json(decode(token.substring(firstDot + 1, secondDot), "claims"), "claims");
        if (!JoinTokenContract.ISSUER.equals(claims.get(JoinTokenContract.ISSUER_CLAIM))) {
            throw bad("iss must be " + JoinTokenContract.ISSUER);
        }
        long now = clock.instant().getEpochSecond();
        Object expiry = claims.get(JoinTokenContract.EXPIRES_AT);
        if (!(expiry instanceof Long exp)) {
            throw new FrameRejectedException(ErrorReason.ERROR_REASON_BAD_TOKEN, "join token has no expiry");
        }
        if (now - CLOCK_SKEW_SECONDS > exp) {
            throw new FrameRejectedException(ErrorReason.ERROR_REASON_TOKEN_EXPIRED, "join token expired");
        }
        Object notBefore = claims.get(JoinTokenContract.NOT_BEFORE);
        if (notBefore != null && (!(notBefore instanceof Long nbf) || now + CLOCK_SKEW_SECONDS < nbf)) {
            throw bad("not valid yet (nbf)");
        }
        Object issuedAt = claims.get(JoinTokenContract.ISSUED_AT);
        if (issuedAt != null && !(issuedAt instanceof Long)) {
            throw bad("iat must be an integer");
        }
        String playerId = text(claims.get(JoinTokenContract.SUBJECT));
        String matchId = text(claims.get(JoinTokenContract.MATCH_ID));
        if (playerId == null || matchId == null) {
            throw new FrameRejectedException(ErrorReason.ERROR_REASON_BAD_TOKEN, "join token lacks sub or mid");
        }
        String tokenId = text(claims.get(JoinTokenContract.TOKEN_ID));
        if (tokenId == null) {
            throw new FrameRejectedException(ErrorReason.ERROR_REASON_BAD_TOKEN, "join token lacks jti");
        }
        // RFC 7519: aud is one string or an array of them; ours names exactly one GameServer.
        Object audience = claims.get(JoinTokenContract.AUDIENCE);
        String gameServer = audience instanceof List<?> list && list.size() == 1 ? text(list.get(0)) : text(audience);
        if (gameServer == null) {
            throw new FrameRejectedException(
                    ErrorReason.ERROR_REASON_BAD_TOKEN, "join token must name one GameServer (aud)");
        }
        return new JoinClaims(playerId, matchId, tokenId, gameServer, displayName(claims, playerId));
    }

    /**
     * The {@code name} claim, which every other player of the match will read: present, it must be
     * a string keeping {@link DisplayNames} or the token is bad (the director never signs another,
     * so one means a bug or a leaked key, and nothing of it is shown). Absent (a director from
     * before names): a short form of the player id.
     */
    private static String displayName(Map<String, Object> claims, String playerId) throws FrameRejectedException {
        if (!claims.containsKey(JoinTokenContract.DISPLAY_NAME)) {
            return DisplayNames.fallbackFor(playerId);
        }
        if (!(claims.get(JoinTokenContract.DISPLAY_NAME) instanceof String name)) {
            throw bad(JoinTokenContract.DISPLAY_NAME + " must be a string");
        }
        Optional<String> problem = DisplayNames.problem(name);
        if (problem.isPresent()) {
            throw bad(JoinTokenContract.DISPLAY_NAME + " " + problem.get());
        }
        return name;
    }

    private static byte[] decode(String part, String what) throws FrameRejectedException {
        // The URL decoder takes padding, which JWS forbids; it refuses everything else not base64url.
        if (part.isEmpty() || part.indexOf('=') >= 0) {
            throw bad(what + " is not unpadded base64url");
        }
        try {
            return BASE64URL.decode(part);
        } catch (IllegalArgumentException e) {
            throw bad(what + " is not base64url");
        }
    }

    private static Map<String, Object> json(byte[] utf8, String what) throws FrameRejectedException {
        try {
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(utf8))
                    .toString();
            return StrictJson.parseObject(text, MAX_TOKEN_CHARS, MAX_JSON_DEPTH);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw bad(what + " is not UTF-8");
        } catch (MalformedJsonException e) {
            throw bad(what + " is not a JSON object (" + e.getMessage() + ")");
        }
    }

    private static String text(Object value) {
        return value instanceof String s && !s.isEmpty() ? s : null;
    }

    private static FrameRejectedException bad(String why) {
        return new FrameRejectedException(ErrorReason.ERROR_REASON_BAD_TOKEN, "join token rejected: " + why);
    }
}
