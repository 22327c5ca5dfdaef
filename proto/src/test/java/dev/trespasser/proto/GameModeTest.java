package dev.trespasser.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GameModeTest {

    private static final dev.trespasser.proto.frontend.v1.GameMode UNSPECIFIED =
            dev.trespasser.proto.frontend.v1.GameMode.GAME_MODE_UNSPECIFIED;

    @Test
    void everyModeOfThePlayerApiIsQueueableWithItsLabelAndTeamSize() {
        Set<String> labels = new HashSet<>();
        for (dev.trespasser.proto.frontend.v1.GameMode wire : dev.trespasser.proto.frontend.v1.GameMode.values()) {
            if (wire == UNSPECIFIED || wire == dev.trespasser.proto.frontend.v1.GameMode.UNRECOGNIZED) {
                continue;
            }
            GameMode mode = GameMode.fromWire(wire).orElseThrow(() -> new AssertionError(wire + " has no GameMode"));
            assertEquals(wire, mode.wire());
            assertTrue(labels.add(mode.label()), "label " + mode.label() + " used twice");
            assertEquals(Optional.of(mode), GameMode.fromLabel(mode.label()));
        }
        assertEquals(GameMode.values().length, labels.size());
    }

    @Test
    void labelsAndTeamSizesComeFromTheProtoOptions() {
        assertEquals("4v4", GameMode.FOUR_V_FOUR.label());
        assertEquals(4, GameMode.FOUR_V_FOUR.teamSize());
        assertEquals(8, GameMode.FOUR_V_FOUR.matchSize());
        assertEquals("2v2", GameMode.TWO_V_TWO.label());
        assertEquals(2, GameMode.TWO_V_TWO.teamSize());
        assertEquals("1v1", GameMode.ONE_V_ONE.label());
        assertEquals(1, GameMode.ONE_V_ONE.teamSize());
    }

    @Test
    void anUnspecifiedModeIsTheDefaultAndAnUnknownOneIsNone() {
        assertEquals(Optional.of(GameMode.DEFAULT), GameMode.fromWire(UNSPECIFIED));
        assertEquals(Optional.empty(), GameMode.fromWire(dev.trespasser.proto.frontend.v1.GameMode.UNRECOGNIZED));
        assertEquals(Optional.empty(), GameMode.fromLabel("5v5"));
    }
}
