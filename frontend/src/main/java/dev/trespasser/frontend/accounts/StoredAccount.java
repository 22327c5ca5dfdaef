package dev.trespasser.frontend.accounts;

/**
 * An account as read from Redis. {@code passwordRecord} is what {@code PasswordHasher.verify}
 * reads (a PHC string); {@code storedField} is the raw field it came from, compared before the
 * record is replaced.
 */
public record StoredAccount(String playerId, String username, String passwordRecord, String storedField) {}
