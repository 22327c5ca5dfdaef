package dev.trespasser.match.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrictJsonTest {

    @Test
    void readsEveryKindOfValue() throws Exception {
        Map<String, Object> doc = StrictJson.parseObject(
                " {\"s\":\"a\\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00\",\"i\":-42,\"z\":0,\"d\":1.5e2,\"t\":true,\"f\":false,"
                        + "\"n\":null,\"a\":[1,[],{}],\"o\":{\"k\":\"v\"},\"raw\":\"\u00e9\ud83d\ude00\"} ",
                1000,
                4);
        assertEquals("a\"b\\c/d\né\ud83d\ude00", doc.get("s"));
        assertEquals(-42L, doc.get("i"));
        assertEquals(0L, doc.get("z"));
        assertEquals(150.0, doc.get("d"));
        assertEquals(Boolean.TRUE, doc.get("t"));
        assertEquals(Boolean.FALSE, doc.get("f"));
        assertEquals(StrictJson.NULL, doc.get("n"));
        assertEquals(List.of(1L, List.of(), Map.of()), doc.get("a"));
        assertEquals(Map.of("k", "v"), doc.get("o"));
        assertEquals("é\ud83d\ude00", doc.get("raw"));
        assertEquals(
                List.of("s", "i", "z", "d", "t", "f", "n", "a", "o", "raw"),
                List.copyOf(doc.keySet()),
                "insertion order");
    }

    @Test
    void refusesMalformedDocuments() {
        String[] malformed = {
            "",
            " ",
            "{",
            "}",
            "{\"a\":1,}",
            "[1,]",
            "[1 2]",
            "{\"a\" 1}",
            "{a:1}",
            "{'a':1}",
            "{\"a\":1}x",
            "{\"a\":1}{}",
            "01",
            "-",
            "1.",
            ".5",
            "1e",
            "+1",
            "NaN",
            "Infinity",
            "tru",
            "nul",
            "\"abc",
            "\"a\\x\"",
            "\"\\u12g4\"",
            "\"\\u12\"",
            "\"tab\there\"",
            "\"nl\nhere\"",
            "\"\\ud800\"",
            "\"\\ud800\\u0041\"",
            "\"\\udc00\"",
            "\"\ud800x\"",
            "\u0000",
            "{\"a\":1}\u0000",
            "99999999999999999999",
            "1e400",
            "1" + "0".repeat(40),
            "/* c */{}",
            "{\"a\":1,\"a\":2}",
            "{\"a\":{\"b\":1,\"b\":1}}"
        };
        for (String text : malformed) {
            assertThrows(MalformedJsonException.class, () -> StrictJson.parse(text, 1000, 8), text);
        }
    }

    @Test
    void refusesOversizedInputBeforeReadingIt() {
        String big = "{\"a\":\"" + "x".repeat(2000) + "\"}";
        MalformedJsonException e = assertThrows(MalformedJsonException.class, () -> StrictJson.parse(big, 1000, 8));
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
    }

    /** Nesting is bounded before it costs stack: a 100,000-deep document fails fast, not with StackOverflowError. */
    @Test
    void refusesDeepNesting() throws Exception {
        assertEquals(List.of(List.of(List.of())), StrictJson.parse("[[[]]]", 100, 3));
        assertThrows(MalformedJsonException.class, () -> StrictJson.parse("[[[[]]]]", 100, 3));
        assertThrows(MalformedJsonException.class, () -> StrictJson.parse("{\"a\":{\"b\":{\"c\":{}}}}", 100, 3));
        String hostile = "[".repeat(100_000) + "]".repeat(100_000);
        assertThrows(MalformedJsonException.class, () -> StrictJson.parse(hostile, 1_000_000, 64));
    }

    @Test
    void parseObjectRefusesOtherTopLevelValues() {
        for (String text : new String[] {"[]", "\"s\"", "1", "null"}) {
            assertThrows(MalformedJsonException.class, () -> StrictJson.parseObject(text, 100, 2), text);
        }
    }
}
