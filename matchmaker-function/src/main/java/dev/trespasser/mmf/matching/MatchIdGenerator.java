package dev.trespasser.mmf.matching;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Names a match from the ids of its tickets. */
@FunctionalInterface
public interface MatchIdGenerator {

    String idFor(List<String> ticketIds);

    /**
     * The same tickets always give the same id, whatever their order: "m-" and 24 hex digits of
     * SHA-256 over the sorted ids, each prefixed with {@code salt}.
     */
    static MatchIdGenerator fromTicketIds(String salt) {
        return ticketIds -> {
            MessageDigest sha256;
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                // Every Java platform must ship SHA-256.
                throw new IllegalStateException(e);
            }
            sha256.update(salt.getBytes(StandardCharsets.UTF_8));
            for (String id : ticketIds.stream().sorted().toList()) {
                sha256.update((byte) 0);
                sha256.update(id.getBytes(StandardCharsets.UTF_8));
            }
            return "m-" + HexFormat.of().formatHex(sha256.digest(), 0, 12);
        };
    }

    static MatchIdGenerator fromTicketIds() {
        return fromTicketIds("");
    }
}
