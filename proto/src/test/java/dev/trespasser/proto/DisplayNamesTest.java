package dev.trespasser.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DisplayNamesTest {

    @Test
    void usernamesGuestNamesAndNamesInOtherScriptsPass() {
        for (String name : new String[] {
            "alice",
            "Bob_the-2nd",
            "guest-a1B2c3D4",
            "Zoë",
            "Zoe\u0308", // e + combining diaeresis
            "名前",
            "Jean Luc",
            "\uD83D\uDE00".repeat(DisplayNames.MAX_CODE_POINTS),
            "x".repeat(DisplayNames.MAX_CODE_POINTS)
        }) {
            assertEquals(Optional.empty(), DisplayNames.problem(name), name);
        }
    }

    @Test
    void everyRefusalSaysWhyAndNamesTheCodePointWithoutEchoingIt() {
        Map<String, String> refused = Map.ofEntries(
                Map.entry("", "is empty"),
                Map.entry("x".repeat(25), "is longer than 24 code points"),
                Map.entry("x".repeat(100_000), "is longer than 24 code points"),
                Map.entry("bell\u0007", "contains U+0007, a control character (at code point 4)"),
                Map.entry("tab\there", "contains U+0009, a control character (at code point 3)"),
                Map.entry("del\u007F", "contains U+007F, a control character (at code point 3)"),
                Map.entry("\u202Eevil", "contains U+202E, a format character (bidi control, zero-width or similar)"),
                Map.entry("ab\u2067cd", "contains U+2067, a format character (bidi control, zero-width or similar)"),
                Map.entry(
                        "left\u200Eright", "contains U+200E, a format character (bidi control, zero-width or similar)"),
                Map.entry(
                        "zero\u200Dwidth", "contains U+200D, a format character (bidi control, zero-width or similar)"),
                Map.entry("bom\uFEFF", "contains U+FEFF, a format character (bidi control, zero-width or similar)"),
                Map.entry("lone\uD800", "contains U+D800, a lone surrogate (at code point 4)"),
                Map.entry("\uDC00", "contains U+DC00, a lone surrogate (at code point 0)"),
                Map.entry("pua\uE000", "contains U+E000, a private-use character (at code point 3)"),
                Map.entry("nbsp\u00A0here", "contains U+00A0, a space other than U+0020 (at code point 4)"),
                Map.entry("line\u2028break", "contains U+2028, a line break (at code point 4)"),
                Map.entry("non\uFFFF", "contains U+FFFF, an unassigned code point (at code point 3)"),
                Map.entry("\u0301accent", "starts with a combining mark U+0301"),
                Map.entry("a\u0301\u0301\u0301\u0301", "has more than 3 combining marks in a row"),
                Map.entry(" alice", "starts or ends with a space"),
                Map.entry("alice ", "starts or ends with a space"));
        refused.forEach((name, why) -> {
            Optional<String> problem = DisplayNames.problem(name);
            assertTrue(problem.isPresent(), name);
            assertTrue(problem.get().startsWith(why), name + ": " + problem.get());
            if (name.length() > 1) {
                assertTrue(!problem.get().contains(name), "the refusal echoes the name: " + problem.get());
            }
        });
    }

    @Test
    void aNamelessPlayerIsShownByTheStartOfTheIdWithUnshowableCodePointsReplaced() {
        assertEquals("guest-a1B2c3D4", DisplayNames.fallbackFor("guest-a1B2c3D4e5F6g7H8i9J0"));
        assertEquals("p-AbCdEfGhIjKl", DisplayNames.fallbackFor("p-AbCdEfGhIjKlMnOpQrSt"));
        assertEquals("p0", DisplayNames.fallbackFor("p0"));
        assertEquals("?", DisplayNames.fallbackFor(""));
        assertEquals("a?b?c?d?", DisplayNames.fallbackFor("a\u202Eb\u0007c d\uD800"));
        assertEquals("\uD83D\uDE00".repeat(14), DisplayNames.fallbackFor("\uD83D\uDE00".repeat(30)));
        for (String id : new String[] {"p-AbCdEfGhIjKlMnOpQrSt", "\u0301\u202E  ", "x".repeat(1000)}) {
            assertEquals(Optional.empty(), DisplayNames.problem(DisplayNames.fallbackFor(id)), id);
        }
    }
}
