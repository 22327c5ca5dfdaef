package dev.trespasser.match.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict, bounded JSON (RFC 8259) parser for the little JSON the match process reads from
 * outside: join-token headers and claims, and the Agones SDK server's HTTP gateway. Objects become
 * unmodifiable {@code Map<String, Object>} (insertion order), arrays {@code List<Object>}, strings
 * {@code String}, integers {@code Long}, other numbers {@code Double}, {@code true}/{@code false}
 * {@code Boolean} and {@code null} {@link #NULL}. It refuses, with a {@link MalformedJsonException}
 * that names the offset: input over the length limit, nesting over the depth limit, duplicate
 * object keys, trailing content, control characters in strings, bad escapes, unpaired surrogates,
 * leading zeros, non-finite or over-long numbers. Recursion is bounded by the depth limit, so a
 * hostile document cannot exhaust the stack (the match process runs with {@code -Xss256k}).
 */
public final class StrictJson {

    /** JSON {@code null}, so that a present null differs from an absent key. */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private static final int MAX_NUMBER_CHARS = 32;

    private final String text;
    private final int maxDepth;
    private int pos;

    private StrictJson(String text, int maxDepth) {
        this.text = text;
        this.maxDepth = maxDepth;
    }

    /** Parses one JSON value that must span all of {@code text} (whitespace around it allowed). */
    public static Object parse(String text, int maxChars, int maxDepth) throws MalformedJsonException {
        if (text.length() > maxChars) {
            throw new MalformedJsonException("document of " + text.length() + " chars exceeds " + maxChars, 0);
        }
        StrictJson parser = new StrictJson(text, maxDepth);
        parser.skipWhitespace();
        Object value = parser.value(0);
        parser.skipWhitespace();
        if (parser.pos != text.length()) {
            throw new MalformedJsonException("trailing content", parser.pos);
        }
        return value;
    }

    /** Like {@link #parse} for a document that must be an object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text, int maxChars, int maxDepth)
            throws MalformedJsonException {
        Object value = parse(text, maxChars, maxDepth);
        if (!(value instanceof Map)) {
            throw new MalformedJsonException("expected an object", 0);
        }
        return (Map<String, Object>) value;
    }

    private Object value(int depth) throws MalformedJsonException {
        if (pos >= text.length()) {
            throw new MalformedJsonException("unexpected end", pos);
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", NULL);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw new MalformedJsonException("unexpected character '" + printable(c) + "'", pos);
        }
    }

    private Map<String, Object> object(int depth) throws MalformedJsonException {
        checkDepth(depth);
        pos++;
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return Collections.unmodifiableMap(members);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw new MalformedJsonException("expected a member name", pos);
            }
            int keyAt = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object value = value(depth);
            if (members.putIfAbsent(key, value) != null) {
                throw new MalformedJsonException("duplicate key \"" + key + "\"", keyAt);
            }
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                return Collections.unmodifiableMap(members);
            }
            if (c != ',') {
                throw new MalformedJsonException("expected ',' or '}'", pos - 1);
            }
        }
    }

    private List<Object> array(int depth) throws MalformedJsonException {
        checkDepth(depth);
        pos++;
        List<Object> items = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return Collections.unmodifiableList(items);
        }
        while (true) {
            skipWhitespace();
            items.add(value(depth));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                return Collections.unmodifiableList(items);
            }
            if (c != ',') {
                throw new MalformedJsonException("expected ',' or ']'", pos - 1);
            }
        }
    }

    private String string() throws MalformedJsonException {
        pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw new MalformedJsonException("unterminated string", pos);
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw new MalformedJsonException("control character in a string", pos - 1);
            }
            if (Character.isSurrogate(c)) {
                // Raw surrogates come from decoding: only a well-formed pair is text.
                if (Character.isHighSurrogate(c) && pos < text.length() && Character.isLowSurrogate(text.charAt(pos))) {
                    out.append(c).append(text.charAt(pos++));
                    continue;
                }
                throw new MalformedJsonException("unpaired surrogate", pos - 1);
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw new MalformedJsonException("unterminated escape", pos);
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    char unit = hex4();
                    if (Character.isHighSurrogate(unit)) {
                        if (pos + 1 < text.length() && text.charAt(pos) == '\\' && text.charAt(pos + 1) == 'u') {
                            pos += 2;
                            char low = hex4();
                            if (!Character.isLowSurrogate(low)) {
                                throw new MalformedJsonException("unpaired surrogate escape", pos - 6);
                            }
                            out.append(unit).append(low);
                        } else {
                            throw new MalformedJsonException("unpaired surrogate escape", pos - 6);
                        }
                    } else if (Character.isLowSurrogate(unit)) {
                        throw new MalformedJsonException("unpaired surrogate escape", pos - 6);
                    } else {
                        out.append(unit);
                    }
                }
                default -> throw new MalformedJsonException("bad escape '\\" + printable(e) + "'", pos - 2);
            }
        }
    }

    private char hex4() throws MalformedJsonException {
        if (pos + 4 > text.length()) {
            throw new MalformedJsonException("short \\u escape", pos);
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(pos + i), 16);
            if (digit < 0) {
                throw new MalformedJsonException("bad hex digit in \\u escape", pos + i);
            }
            value = value * 16 + digit;
        }
        pos += 4;
        return (char) value;
    }

    private Object number() throws MalformedJsonException {
        int start = pos;
        boolean integral = true;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) {
                throw new MalformedJsonException("leading zero", pos);
            }
        } else {
            digits();
        }
        if (peek() == '.') {
            integral = false;
            pos++;
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            digits();
        }
        if (pos - start > MAX_NUMBER_CHARS) {
            throw new MalformedJsonException("number longer than " + MAX_NUMBER_CHARS + " chars", start);
        }
        String literal = text.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException tooLarge) {
                throw new MalformedJsonException("integer out of range", start);
            }
        }
        double value = Double.parseDouble(literal);
        if (Double.isInfinite(value)) {
            throw new MalformedJsonException("number out of range", start);
        }
        return value;
    }

    private void digits() throws MalformedJsonException {
        if (!isDigit(peek())) {
            throw new MalformedJsonException("expected a digit", pos);
        }
        while (isDigit(peek())) {
            pos++;
        }
    }

    private Object literal(String word, Object value) throws MalformedJsonException {
        if (!text.startsWith(word, pos)) {
            throw new MalformedJsonException("unexpected literal", pos);
        }
        pos += word.length();
        return value;
    }

    private void checkDepth(int depth) throws MalformedJsonException {
        if (depth > maxDepth) {
            throw new MalformedJsonException("nesting deeper than " + maxDepth, pos);
        }
    }

    private void expect(char c) throws MalformedJsonException {
        if (peek() != c) {
            throw new MalformedJsonException("expected '" + c + "'", pos);
        }
        pos++;
    }

    /** The character at the cursor, or 0 at the end (never valid where a token is expected). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String printable(char c) {
        return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}
