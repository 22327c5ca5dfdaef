package dev.trespasser.frontend.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** Values a (possibly hostile) match server wrote reach the log as one line of bounded length. */
class PrintableTest {

    @Test
    void controlCharactersAreEscapedSoAForgedResultCannotForgeLogLines() {
        String forged = ResultsConsumer.printable("gs-1\n07:00:00.000 INFO applied match m-x\r\u001b[2J");
        assertFalse(forged.contains("\n") || forged.contains("\r") || forged.contains("\u001b"), forged);
        assertEquals("gs-1\\u000a07:00:00.000 INFO applied match m-x\\u000d\\u001b[2J", forged);
    }

    @Test
    void longValuesAreCapped() {
        assertEquals("a".repeat(64) + "...", ResultsConsumer.printable("a".repeat(10_000)));
        assertEquals("gs-7", ResultsConsumer.printable("gs-7"));
    }
}
