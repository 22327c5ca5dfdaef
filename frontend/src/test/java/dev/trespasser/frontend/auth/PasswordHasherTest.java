package dev.trespasser.frontend.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher(new SecureRandom(), PasswordHasher.MIN_ITERATIONS);

    @Test
    void rightPasswordVerifiesAndWrongDoesNot() {
        PasswordHasher.PasswordHash hash = hasher.hash("hunter2-hunter2".toCharArray());
        assertTrue(hasher.verify("hunter2-hunter2".toCharArray(), hash));
        assertFalse(hasher.verify("hunter2-hunter3".toCharArray(), hash));
        assertFalse(hasher.verify("".toCharArray(), hash));
    }

    @Test
    void fewerIterationsThanTheFloorAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(new SecureRandom(), 1000));
    }
}
