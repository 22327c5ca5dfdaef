package dev.trespasser.proto;

import dev.trespasser.proto.frontend.v1.Frontend;
import java.util.Optional;

/**
 * The queueable modes; a match holds two teams of {@link #teamSize()} players. Each is a value of
 * the player API's {@code trespasser.frontend.v1.GameMode}, whose options carry the label and the
 * team size (frontend.proto), so the proto is the one place a mode is defined.
 */
public enum GameMode {
    FOUR_V_FOUR(dev.trespasser.proto.frontend.v1.GameMode.GAME_MODE_4V4),
    TWO_V_TWO(dev.trespasser.proto.frontend.v1.GameMode.GAME_MODE_2V2),
    ONE_V_ONE(dev.trespasser.proto.frontend.v1.GameMode.GAME_MODE_1V1);

    /** The mode a ticket gets when it names none. */
    public static final GameMode DEFAULT = FOUR_V_FOUR;

    private final dev.trespasser.proto.frontend.v1.GameMode wire;
    private final String label;
    private final int teamSize;

    GameMode(dev.trespasser.proto.frontend.v1.GameMode wire) {
        this.wire = wire;
        var options = wire.getValueDescriptor().getOptions();
        this.label = options.getExtension(Frontend.modeLabel);
        this.teamSize = options.getExtension(Frontend.teamSize);
        if (label.isEmpty() || teamSize < 1) {
            throw new IllegalStateException(wire + " lacks its mode_label or team_size option in frontend.proto");
        }
    }

    /** The short name players and tickets use, e.g. {@code "4v4"}. */
    public String label() {
        return label;
    }

    public int teamSize() {
        return teamSize;
    }

    public int matchSize() {
        return 2 * teamSize;
    }

    /** This mode as the player API carries it. */
    public dev.trespasser.proto.frontend.v1.GameMode wire() {
        return wire;
    }

    public static Optional<GameMode> fromLabel(String label) {
        for (GameMode mode : values()) {
            if (mode.label.equals(label)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }

    /**
     * The mode a player asked for: unspecified means {@link #DEFAULT}; empty for a value this build
     * does not know (a newer client).
     */
    public static Optional<GameMode> fromWire(dev.trespasser.proto.frontend.v1.GameMode wire) {
        if (wire == dev.trespasser.proto.frontend.v1.GameMode.GAME_MODE_UNSPECIFIED) {
            return Optional.of(DEFAULT);
        }
        for (GameMode mode : values()) {
            if (mode.wire == wire) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
