package dev.trespasser.game.wire;

import dev.trespasser.proto.game.v1.ChargeState;
import dev.trespasser.proto.game.v1.MatchPhase;
import dev.trespasser.proto.game.v1.PlayerState;
import dev.trespasser.proto.game.v1.SliceState;
import dev.trespasser.proto.game.v1.Snapshot;
import java.util.Map;
import java.util.TreeMap;

/**
 * The client side of delta snapshots: applies each snapshot to its baseline (a view this client
 * assembled before, or the empty view) and returns the whole view. Used by the tests and by the
 * bots; a browser client does the same. Not thread-safe.
 */
public final class SnapshotAssembler {

    /** Snapshots kept as possible baselines; the server's ring is 32, so 64 is always enough. */
    public static final int HISTORY = 64;

    private final View[] history = new View[HISTORY];
    private int next;
    private View latest = View.EMPTY;

    /** The assembled view of one snapshot; maps are ordered (by slot, slice index, charge id). */
    public record View(
            int tick,
            int lastInputSequence,
            MatchPhase phase,
            int phaseSecondsLeft,
            int redKills,
            int blueKills,
            Map<Integer, PlayerState> players,
            Map<Integer, Integer> damagedSlices,
            Map<Integer, ChargeState> charges) {

        public static final View EMPTY =
                new View(0, 0, MatchPhase.MATCH_PHASE_UNSPECIFIED, 0, 0, 0, Map.of(), Map.of(), Map.of());

        public View {
            players = Map.copyOf(players);
            damagedSlices = Map.copyOf(damagedSlices);
            charges = Map.copyOf(charges);
        }
    }

    public View latest() {
        return latest;
    }

    /**
     * Applies a snapshot; the tick to acknowledge is {@code snapshot.getTick()}.
     *
     * @throws IllegalArgumentException when the baseline is not one this client assembled
     */
    public View apply(Snapshot s) {
        View base;
        if (s.getBaselineAge() == 0) {
            base = View.EMPTY;
        } else {
            int baseTick = s.getTick() - s.getBaselineAge();
            base = find(baseTick);
            if (base == null) {
                throw new IllegalArgumentException(
                        "snapshot " + s.getTick() + " refers to unknown baseline " + baseTick);
            }
        }
        Map<Integer, PlayerState> players = new TreeMap<>(base.players());
        for (int slot : s.getHiddenSlotsList()) {
            players.remove(slot);
        }
        for (PlayerState delta : s.getPlayersList()) {
            PlayerState before = players.getOrDefault(delta.getSlot(), PlayerState.getDefaultInstance());
            // Set optional fields overwrite, absent ones keep the baseline's: exactly proto merging.
            PlayerState.Builder merged = before.toBuilder().mergeFrom(delta);
            // Every field explicit, so views compare equal however they were reached.
            players.put(
                    delta.getSlot(),
                    merged.setX(merged.getX())
                            .setY(merged.getY())
                            .setAim(merged.getAim())
                            .setHealth(merged.getHealth())
                            .setSpeedValue(merged.getSpeedValue())
                            .setFlags(merged.getFlags())
                            .build());
        }
        Map<Integer, Integer> slices = new TreeMap<>(base.damagedSlices());
        for (SliceState slice : s.getSlicesList()) {
            slices.put(slice.getIndex(), slice.getHp());
        }
        Map<Integer, ChargeState> charges = new TreeMap<>(base.charges());
        for (int id : s.getRemovedChargesList()) {
            charges.remove(id);
        }
        for (ChargeState c : s.getChargesList()) {
            charges.put(c.getId(), c);
        }
        View view = new View(
                s.getTick(),
                s.hasLastInputSequence() ? s.getLastInputSequence() : base.lastInputSequence(),
                s.hasPhase() ? s.getPhase() : base.phase(),
                s.hasPhaseSecondsLeft() ? s.getPhaseSecondsLeft() : base.phaseSecondsLeft(),
                s.hasRedKills() ? s.getRedKills() : base.redKills(),
                s.hasBlueKills() ? s.getBlueKills() : base.blueKills(),
                players,
                slices,
                charges);
        history[next] = view;
        next = (next + 1) % HISTORY;
        latest = view;
        return view;
    }

    private View find(int tick) {
        for (View v : history) {
            if (v != null && v.tick() == tick) {
                return v;
            }
        }
        return null;
    }
}
