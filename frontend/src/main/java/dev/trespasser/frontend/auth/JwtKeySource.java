package dev.trespasser.frontend.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HS256 secret: base64 text in {@code FRONTEND_JWT_KEY_FILE} (e.g. {@code openssl rand
 * -base64 32}), or, without that file, a random key for this process only (dev mode).
 */
public final class JwtKeySource {

    private static final Logger log = LoggerFactory.getLogger(JwtKeySource.class);
    static final int MIN_KEY_BYTES = 32;

    private JwtKeySource() {}

    public static byte[] load(Optional<Path> keyFile) {
        if (keyFile.isEmpty()) {
            byte[] key = new byte[MIN_KEY_BYTES];
            new SecureRandom().nextBytes(key);
            log.warn("*************************************************************************");
            log.warn("* DEV MODE: FRONTEND_JWT_KEY_FILE is not set; using a random JWT key.   *");
            log.warn("* Tokens die with this process and other replicas will reject them.     *");
            log.warn("* Never run like this in production.                                    *");
            log.warn("*************************************************************************");
            return key;
        }
        Path path = keyFile.get();
        String text;
        try {
            text = Files.readString(path, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read FRONTEND_JWT_KEY_FILE " + path, e);
        }
        byte[] key;
        try {
            key = Base64.getMimeDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("FRONTEND_JWT_KEY_FILE " + path + " must hold base64 text", e);
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("FRONTEND_JWT_KEY_FILE " + path + " holds " + key.length
                    + " bytes; HS256 needs at least " + MIN_KEY_BYTES);
        }
        return key;
    }
}
