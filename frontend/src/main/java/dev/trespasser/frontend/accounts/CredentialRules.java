package dev.trespasser.frontend.accounts;

import io.grpc.Status;
import java.util.Locale;
import java.util.regex.Pattern;

/** What a username and a password may be; every refusal says exactly what is wrong. */
public final class CredentialRules {

    public static final int MIN_USERNAME = 3;
    public static final int MAX_USERNAME = 20;
    public static final int MIN_PASSWORD = 8;
    public static final int MAX_PASSWORD = 128;
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    private CredentialRules() {}

    /** Usernames are unique regardless of case. */
    public static String canonical(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    public static void checkNewUsername(String username) {
        if (username.isEmpty()) {
            throw invalid("username is required");
        }
        if (username.length() < MIN_USERNAME || username.length() > MAX_USERNAME) {
            throw invalid("username must be " + MIN_USERNAME + " to " + MAX_USERNAME + " characters long, got "
                    + username.length());
        }
        if (!USERNAME.matcher(username).matches()) {
            throw invalid("username may contain only ASCII letters, digits, '_' and '-', and must start with a letter");
        }
        if (canonical(username).startsWith("guest")) {
            throw invalid("usernames starting with 'guest' are reserved for guest players");
        }
    }

    public static void checkNewPassword(String password) {
        checkPasswordLength(password);
        if (password.codePoints().anyMatch(Character::isISOControl)) {
            throw invalid("password must not contain control characters");
        }
    }

    /** Login checks only what bounds the work; a wrong-but-well-formed name is just unknown. */
    public static void checkLoginInput(String username, String password) {
        if (username.isEmpty()) {
            throw invalid("username is required");
        }
        if (username.length() > MAX_USERNAME) {
            throw invalid("username must be at most " + MAX_USERNAME + " characters long");
        }
        if (password.isEmpty()) {
            throw invalid("password is required");
        }
        if (password.length() > MAX_PASSWORD) {
            throw invalid("password must be at most " + MAX_PASSWORD + " characters long");
        }
    }

    private static void checkPasswordLength(String password) {
        int length = password.codePointCount(0, password.length());
        if (length < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            throw invalid("password must be " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters long");
        }
    }

    private static RuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }
}
