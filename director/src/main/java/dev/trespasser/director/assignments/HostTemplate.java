package dev.trespasser.director.assignments;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the host players connect to is built from an allocated GameServer ({@code
 * DIRECTOR_HOST_TEMPLATE}). Over TLS the host must be a name the match server's certificate
 * holds, and a certificate cannot hold every node's address; the usual answer for dedicated game
 * servers is a wildcard certificate ({@code *.gs.example.com}) and a DNS zone that answers {@code
 * 10-1-2-3.gs.example.com} with {@code 10.1.2.3}: the template {@code {ip-dashed}.gs.example.com}.
 *
 * <p>Placeholders: {@code {ip}} the GameServer's address as Agones reports it, {@code {ip-dashed}}
 * an IPv4 address with its dots as dashes (one DNS label, so one wildcard level matches it; an
 * IPv6 address or a host name has no dashed form and fails the placement), {@code {name}} the
 * GameServer's name. Anything else between braces is refused at start-up. The result must be an
 * IP address or a DNS name (letters, digits, dashes; labels of 1 to 63, 253 in all), checked at
 * start-up against a sample and again for every allocation, so a hostile or odd address from the
 * API never reaches a player as a host.
 */
public final class HostTemplate {

    public static final String DEFAULT = "{ip}";

    private static final List<String> PLACEHOLDERS = List.of("{ip}", "{ip-dashed}", "{name}");
    private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9.-]*");
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern DNS_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private final String template;
    /** Literals and placeholders in order. */
    private final List<String> parts;

    private HostTemplate(String template, List<String> parts) {
        this.template = template;
        this.parts = parts;
    }

    /** Parses and checks a template; an unknown placeholder or an impossible result is refused. */
    public static HostTemplate parse(String template) {
        Objects.requireNonNull(template, "template");
        if (template.isBlank()) {
            throw new IllegalArgumentException("empty host template; the default is " + DEFAULT);
        }
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            String literal = open < 0 ? template.substring(i) : template.substring(i, open);
            if (!LITERAL.matcher(literal).matches()) {
                throw new IllegalArgumentException("'" + template + "': only letters, digits, '.', '-' and the"
                        + " placeholders {ip}, {ip-dashed}, {name} may appear, found '" + literal + "'");
            }
            if (!literal.isEmpty()) {
                parts.add(literal);
            }
            if (open < 0) {
                break;
            }
            int close = template.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("'" + template + "': a '{' without its '}'");
            }
            String placeholder = template.substring(open, close + 1);
            if (!PLACEHOLDERS.contains(placeholder)) {
                throw new IllegalArgumentException("'" + template + "': unknown placeholder " + placeholder
                        + "; known are {ip}, {ip-dashed}, {name}");
            }
            parts.add(placeholder);
            i = close + 1;
        }
        if (parts.stream().noneMatch(PLACEHOLDERS::contains)) {
            throw new IllegalArgumentException(
                    "'" + template + "': no placeholder, so every match would get the same host");
        }
        HostTemplate parsed = new HostTemplate(template, List.copyOf(parts));
        // A sample GameServer: a template that cannot give a valid host for it never will.
        parsed.hostFor("10.1.2.3", "trespasser-match-x7k2p-9wq4d");
        return parsed;
    }

    /**
     * The host for a GameServer at {@code address} named {@code gameServerName}; an address or
     * name that cannot make a valid host is refused with the reason.
     */
    public String hostFor(String address, String gameServerName) {
        StringBuilder host = new StringBuilder();
        for (String part : parts) {
            switch (part) {
                case "{ip}" -> host.append(address(address));
                case "{ip-dashed}" -> host.append(dashed(address));
                case "{name}" -> host.append(name(gameServerName));
                default -> host.append(part);
            }
        }
        String result = host.toString();
        if (!isIpAddress(result) && !isDnsName(result)) {
            throw new IllegalArgumentException("host template '" + template + "' gives '" + printable(result)
                    + "' for address '" + printable(address) + "', GameServer '" + printable(gameServerName)
                    + "': not an IP address or DNS name");
        }
        return result.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return template;
    }

    private static String address(String address) {
        if (address == null || address.isEmpty()) {
            throw new IllegalArgumentException("the GameServer has no address");
        }
        if (!isIpAddress(address) && !isDnsName(address)) {
            throw new IllegalArgumentException(
                    "the GameServer's address '" + printable(address) + "' is not an IP address or DNS name");
        }
        return address;
    }

    private static String dashed(String address) {
        if (address != null && IPV4.matcher(address).matches()) {
            return address.replace('.', '-');
        }
        if (address != null && address.contains(":")) {
            throw new IllegalArgumentException("{ip-dashed} needs an IPv4 address; '" + printable(address)
                    + "' is IPv6 (use {ip} or {name} for IPv6 fleets)");
        }
        throw new IllegalArgumentException("{ip-dashed} needs an IPv4 address, got '" + printable(address) + "'");
    }

    private static String name(String gameServerName) {
        if (gameServerName == null || !isDnsName(gameServerName)) {
            throw new IllegalArgumentException(
                    "the GameServer name '" + printable(gameServerName) + "' is not a DNS name");
        }
        return gameServerName;
    }

    static boolean isIpAddress(String text) {
        if (IPV4.matcher(text).matches()) {
            return true;
        }
        if (!text.contains(":") || !IPV6.matcher(text).matches()) {
            return false;
        }
        // Only hex digits, colons and dots with a colon: the JDK parses it as an IPv6 literal and
        // never looks it up in DNS.
        try {
            return InetAddress.getByName(text) != null;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static boolean isDnsName(String text) {
        if (text.isEmpty() || text.length() > 253 || text.startsWith(".") || text.endsWith(".")) {
            return false;
        }
        String[] labels = text.split("\\.", -1);
        for (String label : labels) {
            if (!DNS_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        // All-numeric labels throughout would read as an (invalid) IPv4 address, e.g. 10.1.2.300.
        return !text.matches("[0-9.]+");
    }

    /** At most 80 characters, control characters escaped: what comes from outside goes to logs safely. */
    private static String printable(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 80; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return text.length() > 80 ? out + "..." : out.toString();
    }
}
