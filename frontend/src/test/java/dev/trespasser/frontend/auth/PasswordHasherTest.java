package dev.trespasser.frontend.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.frontend.auth.PasswordHasher.Argon2idCost;
import dev.trespasser.frontend.auth.PasswordHasher.UnusableRecordException;
import dev.trespasser.frontend.auth.PasswordHasher.Verification;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PasswordHasherTest {

    /** From the reference implementation (libargon2 20190702, argon2id_hash_encoded), not from our code. */
    private static final String REFERENCE =
            "$argon2id$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$" + "gy5SuVm5Z7Vw7keB9se9p87QGcomaseB/S2U1OhTsM0";
    /** A record as the PBKDF2 hasher stored it (210,000 iterations), computed with Python's hashlib. */
    private static final String LEGACY = PasswordHasher.legacyPbkdf2Record(
            "ZmVkY2JhOTg3NjU0MzIxMA==", "210000", "pv7ZHhavhhj1/R1j9SxboVMDmzZtBBii4zSh+DhNUEs=");

    private static final String SALT = "MDEyMzQ1Njc4OWFiY2RlZg";
    private static final String HASH = "gy5SuVm5Z7Vw7keB9se9p87QGcomaseB/S2U1OhTsM0";

    private final PasswordHasher hasher = new PasswordHasher(new SecureRandom(), Argon2idCost.OWASP_MINIMUM);

    @Test
    void phcRoundTripWithTheConfiguredCost() {
        String record = hasher.hash("hunter2-hunter2".toCharArray());
        assertTrue(
                record.matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), record);
        assertEquals(Verification.MATCHES, hasher.verify("hunter2-hunter2".toCharArray(), record));
        assertEquals(Verification.WRONG_PASSWORD, hasher.verify("hunter2-hunter3".toCharArray(), record));
        assertEquals(Verification.WRONG_PASSWORD, hasher.verify("".toCharArray(), record));
        assertTrue(!record.equals(hasher.hash("hunter2-hunter2".toCharArray())), "a fresh salt per hash");
    }

    @Test
    void recordsOfTheReferenceImplementationVerify() {
        assertEquals(Verification.MATCHES, hasher.verify("correct horse battery staple".toCharArray(), REFERENCE));
        assertEquals(
                Verification.WRONG_PASSWORD, hasher.verify("correct horse battery stapler".toCharArray(), REFERENCE));
        // The same record read by a hasher configured with another cost still verifies, and asks for a re-hash.
        PasswordHasher stronger = new PasswordHasher(new SecureRandom(), new Argon2idCost(47_104, 1, 1));
        assertEquals(
                Verification.MATCHES_REHASH, stronger.verify("correct horse battery staple".toCharArray(), REFERENCE));
    }

    @Test
    void pbkdf2RecordsVerifyAndAskForARehash() {
        assertEquals(Verification.MATCHES_REHASH, hasher.verify("hunter2-hunter2".toCharArray(), LEGACY));
        assertEquals(Verification.WRONG_PASSWORD, hasher.verify("hunter2-hunter3".toCharArray(), LEGACY));
    }

    static Stream<Arguments> hostileRecords() {
        String longSalt = "A".repeat(120);
        return Stream.of(
                Arguments.of(
                        "$argon2id$v=19$m=2147483648,t=2,p=1$" + SALT + "$" + HASH,
                        "memory 2147483648 is out of range"),
                Arguments.of(
                        "$argon2id$v=19$m=2147483647,t=2,p=1$" + SALT + "$" + HASH, "argon2id memory 2147483647 KiB"),
                Arguments.of(
                        "$argon2id$v=19$m=19456,t=2147483647,p=1$" + SALT + "$" + HASH,
                        "argon2id iterations 2147483647"),
                Arguments.of("$argon2id$v=19$m=19456,t=2,p=255$" + SALT + "$" + HASH, "argon2id parallelism 255"),
                Arguments.of("$argon2id$v=19$m=19456,t=0,p=1$" + SALT + "$" + HASH, "argon2id iterations 0"),
                Arguments.of("$argon2id$v=16$m=19456,t=2,p=1$" + SALT + "$" + HASH, "version 16"),
                Arguments.of("$argon2id$v=19$m=19456,t=2,p=1$" + longSalt + "$" + HASH, "salt of 90 bytes"),
                Arguments.of("$argon2id$v=19$m=19456,t=2,p=1$" + "A".repeat(300) + "$" + HASH, "longer than 256"),
                Arguments.of("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$" + HASH, "salt of 4 bytes"),
                Arguments.of(
                        "$argon2id$v=19$m=19456,t=2,p=1$" + SALT + "$" + HASH.substring(0, 41), "truncated base64"),
                Arguments.of(
                        "$argon2id$v=19$m=19456,t=2,p=1$" + SALT + "$" + HASH.substring(0, 42), "hash of 31 bytes"),
                Arguments.of(
                        "$argon2id$v=19$m=19456,t=2,p=1$" + SALT + "$" + HASH.substring(0, 40), "hash of 30 bytes"),
                Arguments.of(
                        "$argon2id$v=19$m=19456,t=2,p=1$" + SALT.substring(0, 21) + "$" + HASH, "truncated base64"),
                Arguments.of("$argon2id$v=19$m=19456,t=2,p=1$" + SALT, "neither"),
                Arguments.of("$argon2i$v=19$m=19456,t=2,p=1$" + SALT + "$" + HASH, "neither"),
                Arguments.of("$argon2id$v=19$m=19456,t=2$" + SALT + "$" + HASH, "neither"),
                Arguments.of("$argon2id$v=19$m=-1,t=2,p=1$" + SALT + "$" + HASH, "neither"),
                Arguments.of("$argon2id$v=19$m=19456,t=2,p=1$" + SALT + "$" + HASH + "$extra", "neither"),
                Arguments.of("", "empty"),
                Arguments.of(
                        PasswordHasher.legacyPbkdf2Record(
                                "ZmVkY2JhOTg3NjU0MzIxMA==",
                                "2147483647",
                                "pv7ZHhavhhj1/R1j9SxboVMDmzZtBBii4zSh+DhNUEs="),
                        "pbkdf2 iterations 2147483647"),
                Arguments.of(
                        PasswordHasher.legacyPbkdf2Record(
                                "ZmVkY2JhOTg3NjU0MzIxMA==",
                                "9999999999",
                                "pv7ZHhavhhj1/R1j9SxboVMDmzZtBBii4zSh+DhNUEs="),
                        "iterations 9999999999 is out of range"),
                Arguments.of(
                        PasswordHasher.legacyPbkdf2Record("ZmVkY2JhOTg3NjU0MzIxMA==", "210000", "pv7Z"),
                        "hash of 3 bytes"),
                Arguments.of(PasswordHasher.legacyPbkdf2Record(null, "210000", "pv7Z"), "neither"),
                Arguments.of(
                        PasswordHasher.legacyPbkdf2Record(
                                "ZmVkY2JhOTg3NjU0MzIxMA==", "abc", "pv7ZHhavhhj1/R1j9SxboVMDmzZtBBii4zSh+DhNUEs="),
                        "neither"));
    }

    /**
     * A record someone wrote into Redis chooses its own parameters. Each of these is refused with
     * a message naming what is wrong, before any hashing: unbounded, m=2^31-1 would allocate 2 TiB
     * and t=2^31-1 would run for days, which the preemptive timeout would catch.
     */
    @ParameterizedTest
    @MethodSource("hostileRecords")
    void hostileRecordsAreRefusedBeforeAnyWork(String record, String reason) {
        UnusableRecordException refused = assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> assertThrows(
                        UnusableRecordException.class, () -> hasher.verify("hunter2-hunter2".toCharArray(), record)));
        assertTrue(refused.getMessage().startsWith("unusable stored password record: "), refused.getMessage());
        assertTrue(refused.getMessage().contains(reason), refused.getMessage());
    }

    @Test
    void configuredCostStaysWithinOwaspGuidanceAndTheMaxima() {
        new Argon2idCost(47_104, 1, 1).checkConfigured();
        new Argon2idCost(12_288, 3, 1).checkConfigured();
        new Argon2idCost(7_168, 5, 1).checkConfigured();
        assertThrows(IllegalArgumentException.class, () -> new Argon2idCost(19_456, 1, 1).checkConfigured());
        assertThrows(IllegalArgumentException.class, () -> new Argon2idCost(4_096, 10, 1).checkConfigured());
        assertThrows(IllegalArgumentException.class, () -> new Argon2idCost(131_072, 2, 1).checkConfigured());
        assertThrows(IllegalArgumentException.class, () -> new Argon2idCost(19_456, 11, 1).checkConfigured());
        assertThrows(IllegalArgumentException.class, () -> new Argon2idCost(19_456, 2, 5).checkConfigured());
        assertThrows(
                IllegalArgumentException.class,
                () -> new PasswordHasher(new SecureRandom(), new Argon2idCost(1_024, 2, 1)));
    }
}
