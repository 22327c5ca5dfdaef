package dev.trespasser.frontend.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtKeySourceTest {

    @TempDir
    Path dir;

    @Test
    void keyFileHoldsBase64OfAtLeast32Bytes() throws Exception {
        byte[] key = new byte[48];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) i;
        }
        Path file =
                Files.writeString(dir.resolve("jwt.key"), Base64.getEncoder().encodeToString(key) + "\n");
        assertArrayEquals(
                key,
                JwtKeySource.load(Optional.of(file), Optional.empty(), false).current());
        byte[] previous = new byte[32];
        Path previousFile = Files.writeString(
                dir.resolve("previous.key"), Base64.getEncoder().encodeToString(previous));
        AccessTokenKeys keys = JwtKeySource.load(Optional.of(file), Optional.of(previousFile), false);
        assertArrayEquals(previous, keys.previous().orElseThrow());
    }

    @Test
    void shortOrMissingKeyFileStopsStartUp() throws Exception {
        Path shortKey =
                Files.writeString(dir.resolve("short.key"), Base64.getEncoder().encodeToString(new byte[16]));
        assertThrows(
                IllegalArgumentException.class,
                () -> JwtKeySource.load(Optional.of(shortKey), Optional.empty(), false));
        assertThrows(
                RuntimeException.class,
                () -> JwtKeySource.load(Optional.of(dir.resolve("absent.key")), Optional.empty(), false));
        Path good =
                Files.writeString(dir.resolve("good.key"), Base64.getEncoder().encodeToString(new byte[32]));
        assertThrows(
                IllegalArgumentException.class,
                () -> JwtKeySource.load(Optional.of(good), Optional.of(shortKey), false));
    }

    @Test
    void withoutKeyFileOnlyDevModeMakesARandomKey() {
        assertEquals(
                32, JwtKeySource.load(Optional.empty(), Optional.empty(), true).current().length);
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class, () -> JwtKeySource.load(Optional.empty(), Optional.empty(), false));
        assertTrue(refused.getMessage().contains("FRONTEND_DEV_MODE=true"), refused.getMessage());
    }
}
