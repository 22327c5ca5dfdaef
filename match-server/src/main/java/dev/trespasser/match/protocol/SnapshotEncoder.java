package dev.trespasser.match.protocol;

import dev.trespasser.match.sim.Match;
import dev.trespasser.proto.game.v1.ChargeState;
import dev.trespasser.proto.game.v1.MatchPhase;
import dev.trespasser.proto.game.v1.MovementSpeed;
import dev.trespasser.proto.game.v1.PlayerState;
import dev.trespasser.proto.game.v1.SliceState;
import dev.trespasser.proto.game.v1.Snapshot;

/**
 * One client's snapshot stream: captures what that player may know, and encodes it against the
 * newest snapshot the client acknowledged that is still in the ring of the last {@link #RING}
 * sent (about a second at 30 Hz). Without a usable acknowledgement the snapshot is full. When
 * nothing changed since the last snapshot sent, none is sent, except a heartbeat once in a while
 * so the client sees the server is alive.
 *
 * <p>Use from the match's thread: {@link #encode} then, if the frame went out, {@link #commit()}.
 */
public final class SnapshotEncoder {

    public static final int RING = 32;

    private final int viewer;
    private final int heartbeatTicks;
    private final PlayerView[] ring = new PlayerView[RING];
    private int head;
    private int committed;
    private int ackedTick;
    private boolean acked;
    private Snapshot.Builder building;
    private final SliceJournal.SliceSink addSlice = this::addSlice;
    private Match sliceSource;

    /**
     * @param viewer         the player's slot
     * @param heartbeatTicks longest silence allowed when nothing changes (e.g. one second of ticks)
     */
    public SnapshotEncoder(int viewer, int heartbeatTicks) {
        if (viewer < 0 || viewer >= PlayerView.MAX_SLOTS) {
            throw new IllegalArgumentException("slot out of range: " + viewer);
        }
        this.viewer = viewer;
        this.heartbeatTicks = Math.max(1, heartbeatTicks);
        for (int i = 0; i < RING; i++) {
            ring[i] = new PlayerView();
        }
    }

    public int viewer() {
        return viewer;
    }

    /** A new connection for this player: it knows nothing, the next snapshot is full. */
    public void reset() {
        committed = 0;
        acked = false;
    }

    /** The client applied the snapshot of {@code tick}; ignored unless newer and still in the ring. */
    public void acknowledge(int tick) {
        if (acked && tick - ackedTick <= 0) {
            return;
        }
        if (find(tick) != null) {
            ackedTick = tick;
            acked = true;
        }
    }

    /**
     * The snapshot for the match's current tick, or null when the client already has this view
     * and the heartbeat is not due.
     */
    public Snapshot encode(Match match, SliceJournal journal) {
        PlayerView current = ring[head];
        current.capture(match, viewer);
        if (committed > 0) {
            PlayerView last = ring[(head - 1 + RING) % RING];
            if (current.tick - last.tick < heartbeatTicks
                    && last.tick >= journal.epochTick()
                    && !journal.anyChangedAfter(last.tick)
                    && current.sameAs(last)) {
                return null;
            }
        }
        PlayerView base = acked ? find(ackedTick) : null;
        if (base == null || base.tick < journal.epochTick()) {
            base = PlayerView.EMPTY;
        }
        Snapshot.Builder b = Snapshot.newBuilder()
                .setTick(current.tick)
                .setBaselineAge(base == PlayerView.EMPTY ? 0 : current.tick - base.tick);
        if (current.lastSequence != base.lastSequence) {
            b.setLastInputSequence(current.lastSequence);
        }
        if (current.phase != base.phase) {
            b.setPhase(MatchPhase.forNumber(current.phase));
        }
        if (current.secondsLeft != base.secondsLeft) {
            b.setPhaseSecondsLeft(current.secondsLeft);
        }
        if (current.redKills != base.redKills) {
            b.setRedKills(current.redKills);
        }
        if (current.blueKills != base.blueKills) {
            b.setBlueKills(current.blueKills);
        }
        for (int s = 0; s < PlayerView.MAX_SLOTS; s++) {
            if (current.has(s)) {
                addPlayer(b, current, base, s);
            } else if (base.has(s)) {
                b.addHiddenSlots(s);
            }
        }
        building = b;
        sliceSource = match;
        journal.changedAfter(base == PlayerView.EMPTY ? Integer.MIN_VALUE : base.tick, addSlice);
        building = null;
        sliceSource = null;
        for (int i = 0; i < current.chargeCount; i++) {
            if (base.chargeIndex(current.chargeId[i]) < 0) {
                b.addCharges(ChargeState.newBuilder()
                        .setId(current.chargeId[i])
                        .setX(current.chargeX[i])
                        .setY(current.chargeY[i])
                        .setExplodesAtTick(current.chargeExplodesAt[i]));
            }
        }
        for (int i = 0; i < base.chargeCount; i++) {
            if (current.chargeIndex(base.chargeId[i]) < 0) {
                b.addRemovedCharges(base.chargeId[i]);
            }
        }
        return b.build();
    }

    /** The snapshot just encoded reached the client's connection: later ones may use it as a baseline. */
    public void commit() {
        head = (head + 1) % RING;
        committed = Math.min(committed + 1, RING);
    }

    private void addSlice(int slice) {
        building.addSlices(SliceState.newBuilder()
                .setIndex(slice)
                .setHp(sliceSource.slices().hp(slice)));
    }

    private static void addPlayer(Snapshot.Builder b, PlayerView cur, PlayerView base, int s) {
        boolean had = base.has(s);
        int bx = had ? base.x[s] : 0;
        int by = had ? base.y[s] : 0;
        int baim = had ? base.aim[s] : 0;
        int bhealth = had ? base.health[s] : 0;
        int bspeed = had ? base.speed[s] : 0;
        int bflags = had ? base.flags[s] : 0;
        if (had
                && cur.x[s] == bx
                && cur.y[s] == by
                && cur.aim[s] == baim
                && cur.health[s] == bhealth
                && cur.speed[s] == bspeed
                && cur.flags[s] == bflags) {
            return;
        }
        PlayerState.Builder p = PlayerState.newBuilder().setSlot(s);
        if (cur.x[s] != bx) {
            p.setX(cur.x[s]);
        }
        if (cur.y[s] != by) {
            p.setY(cur.y[s]);
        }
        if (cur.aim[s] != baim) {
            p.setAim(cur.aim[s]);
        }
        if (cur.health[s] != bhealth) {
            p.setHealth(cur.health[s]);
        }
        if (cur.speed[s] != bspeed) {
            p.setSpeed(MovementSpeed.forNumber(cur.speed[s]));
        }
        if (cur.flags[s] != bflags) {
            p.setFlags(cur.flags[s]);
        }
        b.addPlayers(p);
    }

    private PlayerView find(int tick) {
        for (int i = 1; i <= committed; i++) {
            PlayerView v = ring[(head - i + RING) % RING];
            if (v.tick == tick) {
                return v;
            }
        }
        return null;
    }
}
