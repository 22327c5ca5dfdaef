package dev.trespasser.game.wire;

import dev.trespasser.proto.game.v1.SoundKind;

/**
 * How values look on the wire, for both ends: position quantisation, sound packing, countdowns.
 * Only proto types here; the server maps its simulation enums with {@code WireEnums}.
 */
public final class Wire {

    /** Positions travel as world units times this, rounded: 1/8 unit is finer than a pixel. */
    public static final int POSITION_SCALE = 8;

    private Wire() {}

    public static int position(double worldUnits) {
        return (int) Math.round(worldUnits * POSITION_SCALE);
    }

    public static double worldUnits(int wire) {
        return wire / (double) POSITION_SCALE;
    }

    /** EventBatch.sounds packing: direction in bits 0-15, muffled in bit 16, kind from bit 17. */
    public static int packSound(SoundKind kind, int direction, boolean muffled) {
        return (direction & 0xFFFF) | (muffled ? 1 << 16 : 0) | (kind.getNumber() << 17);
    }

    public static int soundDirection(int packed) {
        return packed & 0xFFFF;
    }

    public static boolean soundMuffled(int packed) {
        return (packed & (1 << 16)) != 0;
    }

    public static SoundKind soundKind(int packed) {
        SoundKind kind = SoundKind.forNumber(packed >>> 17);
        return kind == null ? SoundKind.SOUND_KIND_UNSPECIFIED : kind;
    }

    /** Whole seconds left, rounded up so a countdown never shows 0 while time remains. */
    public static int seconds(int ticks, int tickRateHz) {
        return (ticks + tickRateHz - 1) / tickRateHz;
    }
}
