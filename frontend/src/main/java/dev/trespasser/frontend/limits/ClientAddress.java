package dev.trespasser.frontend.limits;

import io.grpc.Metadata;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The client address that per-address limits are keyed on. With no trusted proxy (the default,
 * and the deployment's choice: an L4 load balancer with {@code externalTrafficPolicy: Local}
 * keeps the client's source address) it is the transport peer's address. Behind {@code hops}
 * trusted HTTP proxies that each append to {@code x-forwarded-for}, it is the entry the outermost
 * trusted proxy wrote: the {@code hops}-th address counting from the transport peer. Entries left
 * of it were written by the client and are never read, so a spoofed header cannot choose the key.
 * A chain shorter than {@code hops} (the call bypassed a proxy) or an entry that is not an IP
 * literal (a misconfigured proxy) falls back to the transport address; nothing is ever resolved
 * through DNS.
 */
public final class ClientAddress {

    public static final Metadata.Key<String> FORWARDED_FOR =
            Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER);
    /** More proxies than this in front of the frontend is a configuration mistake, not a topology. */
    public static final int MAX_TRUSTED_HOPS = 5;

    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    /** Hex digits, colons and (for an embedded IPv4 tail) dots only: no zone id, no brackets, no port. */
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final int trustedHops;

    public ClientAddress(int trustedHops) {
        if (trustedHops < 0 || trustedHops > MAX_TRUSTED_HOPS) {
            throw new IllegalArgumentException(
                    "FRONTEND_TRUSTED_PROXY_HOPS must be between 0 and " + MAX_TRUSTED_HOPS + ", got " + trustedHops);
        }
        this.trustedHops = trustedHops;
    }

    /** The key of a call: its transport peer, or what the trusted proxies forwarded. */
    public String of(SocketAddress transport, Metadata headers) {
        String peer = transportAddress(transport);
        if (trustedHops == 0) {
            return peer;
        }
        Iterable<String> forwarded = headers.getAll(FORWARDED_FOR);
        return resolve(peer, forwarded == null ? List.of() : forwarded);
    }

    /**
     * The address among {@code x-forwarded-for} values (each a comma-separated list, in the order
     * the headers arrived) followed by the transport peer, {@code trustedHops} steps from the peer.
     */
    String resolve(String transport, Iterable<String> forwardedFor) {
        if (trustedHops == 0) {
            return transport;
        }
        List<String> entries = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String entry : header.split(",", -1)) {
                entries.add(entry.trim());
            }
        }
        if (entries.size() < trustedHops) {
            return transport;
        }
        String literal = canonical(entries.get(entries.size() - trustedHops));
        return literal == null ? transport : literal;
    }

    /** The address in one canonical text form (so one client is one key), or null if it is not an IP literal. */
    static String canonical(String text) {
        try {
            if (IPV4.matcher(text).matches()) {
                String[] parts = text.split("\\.");
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    bytes[i] = (byte) Integer.parseInt(parts[i]);
                }
                return InetAddress.getByAddress(bytes).getHostAddress();
            }
            if (text.indexOf(':') >= 0 && IPV6_CHARACTERS.matcher(text).matches()) {
                // A text with a colon is parsed as an IPv6 literal or refused: the JDK never looks it up.
                return InetAddress.getByName(text).getHostAddress();
            }
        } catch (UnknownHostException e) {
            return null;
        }
        return null;
    }

    private static String transportAddress(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet) {
            return inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
        }
        return String.valueOf(remote);
    }
}
