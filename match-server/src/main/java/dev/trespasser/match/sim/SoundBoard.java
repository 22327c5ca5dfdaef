package dev.trespasser.match.sim;

import dev.trespasser.game.input.Aim;
import dev.trespasser.game.world.SliceField;
import java.util.Arrays;

/**
 * Collects the sounds made during a tick and, at its end, tells every listener which ones they
 * heard: within the sound's radius with line of sight, or within the muffled radius without.
 * Kept as parallel arrays so a busy tick allocates nothing but the events themselves.
 */
final class SoundBoard {

    private final SliceField slices;
    private final MatchSettings.Sound settings;
    private SoundKind[] kinds = new SoundKind[32];
    private double[] xs = new double[32];
    private double[] ys = new double[32];
    private int[] sources = new int[32];
    private int count;

    SoundBoard(SliceField slices, MatchSettings.Sound settings) {
        this.slices = slices;
        this.settings = settings;
    }

    void clear() {
        count = 0;
    }

    /** A sound at (x, y); {@code source} is the slot that made it (not told its own sound) or -1. */
    void emit(SoundKind kind, double x, double y, int source) {
        if (count == kinds.length) {
            kinds = Arrays.copyOf(kinds, count * 2);
            xs = Arrays.copyOf(xs, count * 2);
            ys = Arrays.copyOf(ys, count * 2);
            sources = Arrays.copyOf(sources, count * 2);
        }
        kinds[count] = kind;
        xs[count] = x;
        ys[count] = y;
        sources[count] = source;
        count++;
    }

    double radius(SoundKind kind) {
        return switch (kind) {
            case FOOTSTEP_WALK -> settings.walkFootstepRadius();
            case FOOTSTEP_RUN -> settings.runFootstepRadius();
            case GUNSHOT -> settings.gunshotRadius();
            case EXPLOSION -> settings.explosionRadius();
            case SLICE_DESTROYED -> settings.sliceDestroyedRadius();
        };
    }

    /** Living, connected players hear; the dead wait for their respawn in silence. */
    void deliver(Player[] players, TickResult result) {
        for (int i = 0; i < count; i++) {
            double radius = radius(kinds[i]);
            double muffledRadius = radius * settings.muffledFactor();
            for (Player listener : players) {
                if (!listener.alive || !listener.connected || listener.slot == sources[i]) {
                    continue;
                }
                double dx = xs[i] - listener.x;
                double dy = ys[i] - listener.y;
                double d2 = dx * dx + dy * dy;
                if (d2 > radius * radius) {
                    continue;
                }
                boolean muffled = !slices.clearLine(xs[i], ys[i], listener.x, listener.y);
                if (muffled && d2 > muffledRadius * muffledRadius) {
                    continue;
                }
                result.add(new MatchEvent.Sound(
                        listener.slot, kinds[i], Aim.towards(listener.x, listener.y, xs[i], ys[i]), muffled));
            }
        }
        count = 0;
    }
}
