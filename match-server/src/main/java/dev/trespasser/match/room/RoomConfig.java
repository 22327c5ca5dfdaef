package dev.trespasser.match.room;

import dev.trespasser.match.sim.MatchSettings;

/**
 * How a room runs a match.
 *
 * @param snapshotRateHz snapshots per second per player, 20-60 ({@code MATCH_SNAPSHOT_RATE_HZ}, default 30)
 * @param seed           the match's random seed; 0 draws a fresh one per room ({@code MATCH_SEED}, default 0)
 * @param baseSettings   the game's numbers before the allocation's rules are applied (defaults: GAME.md)
 * @param timeScale      wall-clock speed-up of the tick loop: 1 in production; tests and benchmarks
 *                       run whole matches faster with more
 */
public record RoomConfig(int snapshotRateHz, long seed, MatchSettings baseSettings, double timeScale) {

    public static final int DEFAULT_SNAPSHOT_RATE_HZ = 30;

    public RoomConfig {
        if (snapshotRateHz < 20 || snapshotRateHz > 60) {
            throw new IllegalArgumentException("snapshot rate must be 20-60 Hz: " + snapshotRateHz);
        }
        if (baseSettings == null) {
            throw new IllegalArgumentException("base settings are required");
        }
        if (!(timeScale >= 1 && timeScale <= 1000)) {
            throw new IllegalArgumentException("time scale must be 1-1000: " + timeScale);
        }
    }

    public static RoomConfig defaults() {
        return new RoomConfig(DEFAULT_SNAPSHOT_RATE_HZ, 0, MatchSettings.defaults(), 1);
    }

    public RoomConfig withBaseSettings(MatchSettings settings) {
        return new RoomConfig(snapshotRateHz, seed, settings, timeScale);
    }

    public RoomConfig withTimeScale(double scale) {
        return new RoomConfig(snapshotRateHz, seed, baseSettings, scale);
    }
}
