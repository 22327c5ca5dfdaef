package dev.trespasser.game.movement.vectors;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trespasser.game.movement.Speed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** The movement vectors read back from their JSON, as a replaying client reads them. */
public record MovementVectorFile(
        String format, int version, String map, String mapFingerprint, Rules rules, Buttons buttons, List<Case> cases) {

    public record Rules(
            double playerRadius,
            double sneakSpeed,
            double walkSpeed,
            double runSpeed,
            int tickRateHz,
            int positionScale) {}

    public record Buttons(int UP, int DOWN, int LEFT, int RIGHT) {}

    public record Start(double x, double y) {}

    public record Case(String name, String description, Start start, List<Integer> destroyedSlices, List<Tick> ticks) {}

    /** The input held during the tick and the position after it, exact and as the wire carries it. */
    public record Tick(int buttons, Speed speed, double x, double y, int wireX, int wireY) {}

    public static MovementVectorFile parse(String json) {
        try {
            return new ObjectMapper()
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(json, MovementVectorFile.class);
        } catch (IOException e) {
            throw new UncheckedIOException("movement vectors do not parse", e);
        }
    }
}
