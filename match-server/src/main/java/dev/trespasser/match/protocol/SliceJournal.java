package dev.trespasser.match.protocol;

import dev.trespasser.match.sim.MatchEvent;
import dev.trespasser.match.sim.Phase;
import dev.trespasser.match.sim.TickResult;
import java.util.Arrays;
import java.util.List;

/**
 * Which slices changed at which tick in the current round, shared by every client's encoder: a
 * delta lists the slices changed after its baseline's tick without keeping slice tables per
 * snapshot. A round start restores every slice, which starts a new epoch: baselines from before
 * it are useless and those clients get a full snapshot.
 */
public final class SliceJournal {

    private int[] ticks = new int[256];
    private int[] slices = new int[256];
    private int size;
    private int epochTick;
    /** Per slice: the query generation that last reported it, to list each slice once. */
    private final int[] seen;

    private int generation;

    public SliceJournal(int sliceCount) {
        this.seen = new int[sliceCount];
    }

    /**
     * Records a tick's slice changes; call once per tick, after {@code Match.tick()}. A round
     * start (entering warmup) restored every slice before anything could be hit again.
     */
    public void record(TickResult result) {
        List<MatchEvent.PhaseChange> phases = result.phaseChanges();
        for (int i = 0; i < phases.size(); i++) {
            if (phases.get(i).phase() == Phase.WARMUP) {
                newEpoch(result.tick());
            }
        }
        List<MatchEvent.SliceChange> changes = result.sliceChanges();
        for (int i = 0; i < changes.size(); i++) {
            if (size == ticks.length) {
                ticks = Arrays.copyOf(ticks, size * 2);
                slices = Arrays.copyOf(slices, size * 2);
            }
            ticks[size] = result.tick();
            slices[size] = changes.get(i).slice();
            size++;
        }
    }

    /** Every slice is back to full HP as of {@code tick} (a round started). */
    public void newEpoch(int tick) {
        size = 0;
        epochTick = tick;
    }

    public int epochTick() {
        return epochTick;
    }

    /**
     * Calls {@code sink} once for every slice changed after {@code afterTick} in this epoch
     * ({@link Integer#MIN_VALUE}: every slice changed this epoch).
     */
    public void changedAfter(int afterTick, SliceSink sink) {
        generation++;
        if (generation == 0) {
            Arrays.fill(seen, 0);
            generation = 1;
        }
        int from = firstAfter(afterTick);
        for (int i = from; i < size; i++) {
            int s = slices[i];
            if (seen[s] != generation) {
                seen[s] = generation;
                sink.accept(s);
            }
        }
    }

    /** True when a slice changed after {@code afterTick}. */
    public boolean anyChangedAfter(int afterTick) {
        return size > 0 && ticks[size - 1] > afterTick;
    }

    private int firstAfter(int tick) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ticks[mid] > tick) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    @FunctionalInterface
    public interface SliceSink {
        void accept(int slice);
    }
}
