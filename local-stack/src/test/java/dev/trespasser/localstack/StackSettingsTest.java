package dev.trespasser.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `./scripts/run`'s options: --humans leaves seats for people and runs until Ctrl-C unless told. */
class StackSettingsTest {

    @Test
    void withoutHumansTheRunHasItsDefaultLength() {
        StackSettings s = StackSettings.parse(new String[0], Map.of());
        assertEquals(0, s.humans());
        assertEquals(Duration.ofSeconds(150), s.duration());
        assertEquals(0, s.seatsLeftOpen(), "16 bots fill two 4v4 matches");
    }

    @Test
    void humansRunUntilCtrlCUnlessADurationIsGiven() {
        StackSettings s = StackSettings.parse(new String[] {"--humans", "1", "--bots", "7"}, Map.of());
        assertEquals(1, s.humans());
        assertEquals(7, s.bots());
        assertEquals(StackSettings.UNTIL_CTRL_C, s.duration());
        assertEquals(0, s.seatsLeftOpen(), "one person and seven bots fill one 4v4");

        StackSettings timed = StackSettings.parse(new String[] {"--humans=2", "--duration", "600"}, Map.of());
        assertEquals(Duration.ofSeconds(600), timed.duration());
        assertEquals(6, timed.seatsLeftOpen(), "16 bots + 2 people leave six seats of a third match");

        assertEquals(
                3,
                StackSettings.parse(new String[0], Map.of("LOCAL_HUMANS", "3")).humans());
    }

    @Test
    void badHumanCountsAreRefusedByName() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> StackSettings.parse(new String[] {"--humans", "-1"}, Map.of()));
        assertTrue(e.getMessage().startsWith("humans"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> StackSettings.parse(new String[] {"--humans", "one"}, Map.of()));
        assertTrue(e.getMessage().startsWith("--humans"), e.getMessage());
    }
}
