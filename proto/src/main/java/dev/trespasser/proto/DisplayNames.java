package dev.trespasser.proto;

import java.util.Optional;

/**
 * What a player's display name may be wherever it travels: the frontend writes it into the ticket
 * ({@link TicketAttributes#PLAYER_NAMES}), the director signs it into the join token
 * ({@link JoinTokenContract#DISPLAY_NAME}), the match server verifies it and shows it to everyone
 * in the match. Other players read it, so it is bounded and printable: no control, format (bidi
 * overrides, zero-width), private-use, unassigned or lone surrogate code points that could
 * disguise a name or reorder the text around it, only the plain space, none at either end, and
 * no pile of combining marks. Usernames (ASCII) and guests' generated names pass; the rule leaves
 * room for names in other scripts.
 */
public final class DisplayNames {

    /** At most this many code points. */
    public static final int MAX_CODE_POINTS = 24;

    /**
     * A name-less player (a token signed before names) is shown as the first this many code points
     * of the player id: for a guest, {@code guest-} and eight characters, which is the guest's name.
     */
    public static final int FALLBACK_CODE_POINTS = 14;

    /** Combining marks in a row after a base character; more stack into the lines around. */
    static final int MAX_MARKS_IN_A_ROW = 3;

    private DisplayNames() {}

    /**
     * Empty when {@code name} may be shown; otherwise why not, naming the offending code point as
     * U+XXXX (the name itself is never echoed, so a refusal cannot forge a log line).
     */
    public static Optional<String> problem(String name) {
        if (name.isEmpty()) {
            return Optional.of("is empty");
        }
        // A code point is at most two chars: the cheap check bounds the work on a huge string.
        if (name.length() > 2 * MAX_CODE_POINTS || name.codePointCount(0, name.length()) > MAX_CODE_POINTS) {
            return Optional.of("is longer than " + MAX_CODE_POINTS + " code points");
        }
        int marks = 0;
        int index = 0;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            int type = Character.getType(cp);
            if (!printable(cp, type)) {
                return Optional.of("contains " + codePoint(cp) + ", " + kind(type) + " (at code point " + index + ")");
            }
            if (isMark(type)) {
                if (index == 0) {
                    return Optional.of("starts with a combining mark " + codePoint(cp));
                }
                if (++marks > MAX_MARKS_IN_A_ROW) {
                    return Optional.of("has more than " + MAX_MARKS_IN_A_ROW + " combining marks in a row");
                }
            } else {
                marks = 0;
            }
            i += Character.charCount(cp);
            index++;
        }
        if (name.charAt(0) == ' ' || name.charAt(name.length() - 1) == ' ') {
            return Optional.of("starts or ends with a space");
        }
        return Optional.empty();
    }

    /**
     * The short form of a player id shown when the player has no name: its first
     * {@link #FALLBACK_CODE_POINTS} code points, each one a name may not hold (a space included)
     * replaced by {@code ?}. An empty id shows as {@code ?}.
     */
    public static String fallbackFor(String playerId) {
        StringBuilder shown = new StringBuilder(FALLBACK_CODE_POINTS);
        int count = 0;
        for (int i = 0; i < playerId.length() && count < FALLBACK_CODE_POINTS; count++) {
            int cp = playerId.codePointAt(i);
            int type = Character.getType(cp);
            if (printable(cp, type) && cp != ' ' && !isMark(type)) {
                shown.appendCodePoint(cp);
            } else {
                shown.append('?');
            }
            i += Character.charCount(cp);
        }
        return count == 0 ? "?" : shown.toString();
    }

    private static boolean printable(int cp, int type) {
        return switch (type) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.PRIVATE_USE,
                    Character.SURROGATE,
                    Character.UNASSIGNED,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR -> false;
            case Character.SPACE_SEPARATOR -> cp == ' ';
            default -> true;
        };
    }

    private static boolean isMark(int type) {
        return type == Character.NON_SPACING_MARK
                || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK;
    }

    private static String kind(int type) {
        return switch (type) {
            case Character.CONTROL -> "a control character";
            case Character.FORMAT -> "a format character (bidi control, zero-width or similar)";
            case Character.PRIVATE_USE -> "a private-use character";
            case Character.SURROGATE -> "a lone surrogate";
            case Character.UNASSIGNED -> "an unassigned code point";
            case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> "a line break";
            default -> "a space other than U+0020";
        };
    }

    private static String codePoint(int cp) {
        return String.format("U+%04X", cp);
    }
}
