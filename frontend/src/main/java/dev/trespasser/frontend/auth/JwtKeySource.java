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
 * The HS256 secrets: base64 text in {@code FRONTEND_JWT_KEY_FILE} (e.g. {@code openssl rand
 * -base64 32}) and, during a rotation, {@code FRONTEND_JWT_PREVIOUS_KEY_FILE}. Without a key file
 * the frontend refuses to start unless {@code FRONTEND_DEV_MODE=true}: then a random key for this
 * process only.
 */
public final class JwtKeySource {

    private static final Logger log = LoggerFactory.getLogger(JwtKeySource.class);
    static final int MIN_KEY_BYTES = 32;

    private JwtKeySource() {}

    public static AccessTokenKeys load(Optional<Path> keyFile, Optional<Path> previousKeyFile, boolean devMode) {
        if (keyFile.isEmpty()) {
            if (!devMode) {
                throw new IllegalArgumentException(
                        "FRONTEND_JWT_KEY_FILE is not set: a production frontend needs the shared "
                                + "key (set FRONTEND_DEV_MODE=true to run locally with a random per-process key)");
            }
            byte[] key = new byte[MIN_KEY_BYTES];
            new SecureRandom().nextBytes(key);
            log.warn("*************************************************************************");
            log.warn("* DEV MODE: FRONTEND_JWT_KEY_FILE is not set; using a random JWT key.   *");
            log.warn("* Tokens die with this process and other replicas will reject them.     *");
            log.warn("* Never run like this in production.                                    *");
            log.warn("*************************************************************************");
            return AccessTokenKeys.of(key);
        }
        return new AccessTokenKeys(
                read(keyFile.get(), "FRONTEND_JWT_KEY_FILE"),
                previousKeyFile.map(path -> read(path, "FRONTEND_JWT_PREVIOUS_KEY_FILE")));
    }

    static byte[] read(Path path, String variable) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + variable + " " + path, e);
        }
        byte[] key;
        try {
            key = Base64.getMimeDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(variable + " " + path + " must hold base64 text", e);
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(
                    variable + " " + path + " holds " + key.length + " bytes; HS256 needs at least " + MIN_KEY_BYTES);
        }
        return key;
    }
}
