package dev.trespasser.frontend.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes as PHC strings ({@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>},
 * unpadded standard base64), and verification of the PBKDF2-HMAC-SHA256 records written before
 * (read as {@code $pbkdf2-sha256$i=<iterations>$<salt>$<hash>}).
 *
 * <p>A stored record is input like any other: whoever can write one account in Redis chooses its
 * parameters. Every parameter read back is bounded before any work is done, so a record asking for
 * 2^31 iterations or 2 TiB of memory is refused at once ({@link UnusableRecordException}) instead
 * of burning a core or the heap.
 */
public final class PasswordHasher {

    /** Argon2id cost. OWASP Password Storage Cheat Sheet lists equivalent minimums, e.g. m=19456 t=2 p=1 and m=47104 t=1 p=1. */
    public record Argon2idCost(int memoryKib, int iterations, int parallelism) {

        /** OWASP's minimum configuration: 19 MiB, 2 passes, 1 lane. */
        public static final Argon2idCost OWASP_MINIMUM = new Argon2idCost(19_456, 2, 1);
        /** OWASP's lowest listed memory (m=7168 with t=5); no configuration below it. */
        public static final int MIN_MEMORY_KIB = 7_168;
        /** OWASP's equivalent configurations all spend at least 7168 KiB x 5 passes of memory-time. */
        public static final long MIN_MEMORY_TIME = 7_168L * 5;
        /** The most one verification may allocate: 64 MiB (the frontend runs in a few hundred MiB). */
        public static final int MAX_MEMORY_KIB = 65_536;

        public static final int MAX_ITERATIONS = 10;
        public static final int MAX_PARALLELISM = 4;

        /** Bounds for a stored record: anything Argon2 accepts, up to the maxima. */
        void checkStored() {
            if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
                throw new UnusableRecordException(
                        "argon2id parallelism " + parallelism + " outside 1.." + MAX_PARALLELISM);
            }
            if (memoryKib < 8 * parallelism || memoryKib > MAX_MEMORY_KIB) {
                throw new UnusableRecordException(
                        "argon2id memory " + memoryKib + " KiB outside " + 8 * parallelism + ".." + MAX_MEMORY_KIB);
            }
            if (iterations < 1 || iterations > MAX_ITERATIONS) {
                throw new UnusableRecordException(
                        "argon2id iterations " + iterations + " outside 1.." + MAX_ITERATIONS);
            }
        }

        /** Bounds for the configured cost: at least OWASP's guidance, at most the maxima. */
        public void checkConfigured() {
            if (memoryKib < MIN_MEMORY_KIB || memoryKib > MAX_MEMORY_KIB) {
                throw new IllegalArgumentException(
                        "Argon2id memory must be " + MIN_MEMORY_KIB + ".." + MAX_MEMORY_KIB + " KiB, got " + memoryKib);
            }
            if (iterations < 1 || iterations > MAX_ITERATIONS) {
                throw new IllegalArgumentException(
                        "Argon2id iterations must be 1.." + MAX_ITERATIONS + ", got " + iterations);
            }
            if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
                throw new IllegalArgumentException(
                        "Argon2id parallelism must be 1.." + MAX_PARALLELISM + ", got " + parallelism);
            }
            if ((long) memoryKib * iterations < MIN_MEMORY_TIME) {
                throw new IllegalArgumentException("Argon2id memory x iterations must be at least " + MIN_MEMORY_TIME
                        + " (OWASP: m=19456 t=2, m=12288 t=3, m=9216 t=4, m=7168 t=5), got " + memoryKib + " x "
                        + iterations);
            }
        }
    }

    /** A stored record that cannot be checked: malformed, or parameters outside the bounds. */
    public static final class UnusableRecordException extends IllegalArgumentException {
        public UnusableRecordException(String message) {
            super("unusable stored password record: " + message);
        }
    }

    public enum Verification {
        WRONG_PASSWORD,
        /** Right password, and the record already has the current algorithm and cost. */
        MATCHES,
        /** Right password, but the record is PBKDF2 or another Argon2id cost: store a fresh hash. */
        MATCHES_REHASH
    }

    /** PHC strings we write are ~100 characters; longer ones are refused unparsed. */
    static final int MAX_RECORD_CHARS = 256;

    static final int SALT_BYTES = 16;
    static final int MIN_SALT_BYTES = 16;
    static final int MAX_SALT_BYTES = 64;
    static final int HASH_BYTES = 32;
    /** PBKDF2 records are only read now; 210,000 was written. OWASP asks 600,000 for PBKDF2-HMAC-SHA256. */
    static final int MAX_PBKDF2_ITERATIONS = 1_000_000;

    static final int MIN_PBKDF2_ITERATIONS = 10_000;

    private static final Pattern ARGON2ID = Pattern.compile(
            "\\$argon2id\\$v=(\\d{1,10})\\$m=(\\d{1,10}),t=(\\d{1,10}),p=(\\d{1,10})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Pattern PBKDF2 =
            Pattern.compile("\\$pbkdf2-sha256\\$i=(\\d{1,10})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    private final SecureRandom random;
    private final Argon2idCost cost;
    /** Verified against when the user does not exist, so both failures cost the same. */
    private final String decoy;

    public PasswordHasher(SecureRandom random, Argon2idCost cost) {
        cost.checkConfigured();
        this.random = random;
        this.cost = cost;
        this.decoy = hash("decoy-password".toCharArray());
    }

    public Argon2idCost cost() {
        return cost;
    }

    /** A fresh PHC string with a random salt and the configured cost. */
    public String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return phc(cost, salt, argon2id(password, salt, cost));
    }

    /**
     * Checks the password against a stored record in constant time.
     *
     * @throws UnusableRecordException when the record is malformed or its parameters are out of
     *     bounds; nothing is computed then
     */
    public Verification verify(char[] password, String record) {
        if (record == null || record.isEmpty() || record.length() > MAX_RECORD_CHARS) {
            throw new UnusableRecordException("empty or longer than " + MAX_RECORD_CHARS + " characters");
        }
        Matcher argon = ARGON2ID.matcher(record);
        if (argon.matches()) {
            long version = Long.parseLong(argon.group(1));
            if (version != Argon2Parameters.ARGON2_VERSION_13) {
                throw new UnusableRecordException("argon2id version " + version + " (only 19 is known)");
            }
            Argon2idCost stored = new Argon2idCost(
                    boundedInt(argon.group(2), "memory"),
                    boundedInt(argon.group(3), "iterations"),
                    boundedInt(argon.group(4), "parallelism"));
            stored.checkStored();
            byte[] salt = decode(argon.group(5), "salt");
            checkSalt(salt);
            byte[] expected = decode(argon.group(6), "hash");
            checkHash(expected);
            if (!MessageDigest.isEqual(argon2id(password, salt, stored), expected)) {
                return Verification.WRONG_PASSWORD;
            }
            return stored.equals(cost) ? Verification.MATCHES : Verification.MATCHES_REHASH;
        }
        Matcher pbkdf2 = PBKDF2.matcher(record);
        if (pbkdf2.matches()) {
            int iterations = boundedInt(pbkdf2.group(1), "iterations");
            if (iterations < MIN_PBKDF2_ITERATIONS || iterations > MAX_PBKDF2_ITERATIONS) {
                throw new UnusableRecordException("pbkdf2 iterations " + iterations + " outside "
                        + MIN_PBKDF2_ITERATIONS + ".." + MAX_PBKDF2_ITERATIONS);
            }
            byte[] salt = decode(pbkdf2.group(2), "salt");
            checkSalt(salt);
            byte[] expected = decode(pbkdf2.group(3), "hash");
            checkHash(expected);
            return MessageDigest.isEqual(pbkdf2(password, salt, iterations), expected)
                    ? Verification.MATCHES_REHASH
                    : Verification.WRONG_PASSWORD;
        }
        throw new UnusableRecordException("neither '$argon2id$v=19$m=..,t=..,p=..$salt$hash' nor a PBKDF2 record");
    }

    /** Spends the same work as verifying a current record, for unknown users. */
    public void verifyDecoy(char[] password) {
        verify(password, decoy);
    }

    /** The form a PBKDF2 account written before Argon2id is read as (fields salt, iterations, hash). */
    public static String legacyPbkdf2Record(String saltBase64, String iterations, String hashBase64) {
        return "$pbkdf2-sha256$i=" + iterations + "$" + stripPadding(saltBase64) + "$" + stripPadding(hashBase64);
    }

    static String phc(Argon2idCost cost, byte[] salt, byte[] hash) {
        return "$argon2id$v=19$m=" + cost.memoryKib() + ",t=" + cost.iterations() + ",p=" + cost.parallelism() + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    private static String stripPadding(String base64) {
        return base64 == null ? "" : base64.replace("=", "");
    }

    private static int boundedInt(String digits, String what) {
        long value = Long.parseLong(digits); // at most 10 digits: fits a long
        if (value > Integer.MAX_VALUE) {
            throw new UnusableRecordException(what + " " + value + " is out of range");
        }
        return (int) value;
    }

    private static byte[] decode(String text, String what) {
        // Unpadded base64 never leaves one character over: that is a truncated string.
        if (text.length() % 4 == 1) {
            throw new UnusableRecordException(what + " is truncated base64 (" + text.length() + " characters)");
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new UnusableRecordException(what + " is not base64: " + e.getMessage());
        }
    }

    private static void checkSalt(byte[] salt) {
        if (salt.length < MIN_SALT_BYTES || salt.length > MAX_SALT_BYTES) {
            throw new UnusableRecordException(
                    "salt of " + salt.length + " bytes, outside " + MIN_SALT_BYTES + ".." + MAX_SALT_BYTES);
        }
    }

    private static void checkHash(byte[] hash) {
        if (hash.length != HASH_BYTES) {
            throw new UnusableRecordException("hash of " + hash.length + " bytes, expected " + HASH_BYTES);
        }
    }

    private static byte[] argon2id(char[] password, byte[] salt, Argon2idCost cost) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(cost.memoryKib())
                .withIterations(cost.iterations())
                .withParallelism(cost.parallelism())
                .withSalt(salt)
                .build());
        byte[] utf8 = utf8(password);
        byte[] out = new byte[HASH_BYTES];
        try {
            generator.generateBytes(utf8, out);
        } finally {
            Arrays.fill(utf8, (byte) 0);
        }
        return out;
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BYTES * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        return bytes;
    }
}
