package dev.trespasser.runtime.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Reads the lines of one part of an HTTP/1.1 message (a head, a chunk-size line, trailers)
 * strictly and within a byte budget, so a hostile peer cannot make the reader buffer more than the
 * budget. Lines end with CRLF (or a bare LF, which RFC 9112 lets a recipient accept); bytes are
 * ISO-8859-1, as HTTP's header octets are; control characters other than HTAB, and a CR not
 * followed by LF, are refused. Shared by the admin endpoint (requests) and the match server's
 * Agones sidecar client (replies).
 */
public final class HeadReader {
    private final InputStream in;
    private final String message;
    private final String part;
    private final int limit;
    private int left;
    private int headers;

    /** One header field: its name in lower case, its value without surrounding white space. */
    public record Header(String name, String value) {}

    /**
     * @param message what is read, for errors: "reply" or "request"
     * @param part the part the budget covers, for errors: "reply head", "chunk-size line"
     */
    public HeadReader(InputStream in, String message, String part, int limit) {
        this.in = in;
        this.message = message;
        this.part = part;
        this.limit = limit;
        this.left = limit;
    }

    /** The next line without its ending; {@code what} names it in errors ("status line", "header"). */
    public String line(String what) throws IOException {
        StringBuilder line = new StringBuilder();
        boolean cr = false;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new MalformedHttpException(
                        line.length() == 0 && !cr
                                ? message + " ended before its " + what
                                : message + " cut inside its " + what);
            }
            if (--left < 0) {
                throw MalformedHttpException.tooLarge(part + " longer than " + limit + " bytes");
            }
            if (b == '\n') {
                return line.toString();
            }
            if (cr) {
                throw new MalformedHttpException("bare CR in the " + message + "'s " + what);
            }
            if (b == '\r') {
                cr = true;
            } else if ((b < 0x20 && b != '\t') || b == 0x7f) {
                throw new MalformedHttpException("control character in the " + message + "'s " + what);
            } else {
                line.append((char) b);
            }
        }
    }

    /**
     * The next header field, or null at the empty line that ends the head; more than {@code
     * maxHeaders} fields, a line without a colon or a name that is not a token are refused.
     */
    public Header header(int maxHeaders) throws IOException {
        String line = line("header");
        if (line.isEmpty()) {
            return null;
        }
        if (++headers > maxHeaders) {
            throw MalformedHttpException.tooLarge("more than " + maxHeaders + " headers");
        }
        int colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line, 0, colon)) {
            throw new MalformedHttpException("malformed header line: " + printable(line));
        }
        return new Header(
                line.substring(0, colon).toLowerCase(Locale.ROOT),
                line.substring(colon + 1).strip());
    }

    /** Whether {@code text[from, to)} is a non-empty RFC 9110 token (a header name, a method). */
    public static boolean isToken(String text, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** {@code text} for an error message: printable ASCII only, at most 80 characters. */
    public static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 80));
        for (int i = 0; i < text.length() && i < 80; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return text.length() > 80 ? out.append("...").toString() : out.toString();
    }
}
