package dev.trespasser.match.protocol;

import dev.trespasser.game.wire.Wire;
import dev.trespasser.match.sim.MatchEvent;
import dev.trespasser.match.sim.Phase;
import dev.trespasser.match.sim.TickResult;
import dev.trespasser.proto.game.v1.EventBatch;
import dev.trespasser.proto.game.v1.GameEvent;
import dev.trespasser.proto.game.v1.KillEvent;
import dev.trespasser.proto.game.v1.PhaseChangeEvent;
import dev.trespasser.proto.game.v1.PlayerConnectionEvent;
import dev.trespasser.proto.game.v1.ShotEvent;
import dev.trespasser.proto.game.v1.SlicesDestroyedEvent;
import java.util.List;

/**
 * One client's events between two snapshots: kills, connection changes (with the joining
 * player's name) and phase changes and destroyed slices (everyone's business), its own shots as
 * resolved, and only the sounds this player heard, as directions.
 */
public final class EventCollector {

    private final int listener;
    private final int tickRateHz;
    private final RosterNames names;
    private final EventBatch.Builder batch = EventBatch.newBuilder();
    private boolean empty = true;

    /** @param names the room's names, read when a player connects */
    public EventCollector(int listener, int tickRateHz, RosterNames names) {
        this.listener = listener;
        this.tickRateHz = tickRateHz;
        this.names = names;
    }

    /** Adds what this player should learn from one tick; call after every tick. */
    public void collect(TickResult result) {
        List<MatchEvent.ConnectionChange> connections = result.connectionChanges();
        for (int i = 0; i < connections.size(); i++) {
            MatchEvent.ConnectionChange c = connections.get(i);
            boolean connected = c.state() == MatchEvent.Connection.CONNECTED;
            // A join tells everyone welcomed earlier what the newcomer is called.
            add(GameEvent.newBuilder()
                    .setConnection(PlayerConnectionEvent.newBuilder()
                            .setSlot(c.slot())
                            .setConnected(connected)
                            .setDropped(c.state() == MatchEvent.Connection.DROPPED)
                            .setDisplayName(connected ? names.of(c.slot()) : "")));
        }
        List<MatchEvent.PhaseChange> phases = result.phaseChanges();
        for (int i = 0; i < phases.size(); i++) {
            MatchEvent.PhaseChange p = phases.get(i);
            if (p.phase() != Phase.CLOSED) {
                add(GameEvent.newBuilder()
                        .setPhaseChange(PhaseChangeEvent.newBuilder()
                                .setPhase(WireEnums.phase(p.phase()))
                                .setSeconds(Wire.seconds(p.durationTicks(), tickRateHz))));
            }
        }
        List<MatchEvent.Kill> kills = result.kills();
        for (int i = 0; i < kills.size(); i++) {
            MatchEvent.Kill k = kills.get(i);
            add(GameEvent.newBuilder()
                    .setKill(KillEvent.newBuilder().setKillerSlot(k.killer()).setVictimSlot(k.victim())));
        }
        List<MatchEvent.Shot> shots = result.shots();
        for (int i = 0; i < shots.size(); i++) {
            MatchEvent.Shot shot = shots.get(i);
            if (shot.shooter() != listener) {
                continue;
            }
            ShotEvent.Builder event = ShotEvent.newBuilder()
                    .setShooterSlot(shot.shooter())
                    .setFromX(Wire.position(shot.fromX()))
                    .setFromY(Wire.position(shot.fromY()))
                    .setToX(Wire.position(shot.toX()))
                    .setToY(Wire.position(shot.toY()));
            if (shot.hitPlayer() >= 0) {
                event.setHitSlot(shot.hitPlayer());
            }
            add(GameEvent.newBuilder().setShot(event));
        }
        List<MatchEvent.SliceChange> slices = result.sliceChanges();
        SlicesDestroyedEvent.Builder destroyed = null;
        for (int i = 0; i < slices.size(); i++) {
            if (slices.get(i).hp() == 0) {
                if (destroyed == null) {
                    destroyed = SlicesDestroyedEvent.newBuilder();
                }
                destroyed.addIndices(slices.get(i).slice());
            }
        }
        if (destroyed != null) {
            add(GameEvent.newBuilder().setSlicesDestroyed(destroyed));
        }
        List<MatchEvent.Sound> sounds = result.sounds();
        for (int i = 0; i < sounds.size(); i++) {
            MatchEvent.Sound s = sounds.get(i);
            if (s.listener() == listener) {
                batch.addSounds(WireEnums.packSound(s.kind(), s.direction(), s.muffled()));
                empty = false;
            }
        }
    }

    public boolean isEmpty() {
        return empty;
    }

    /** The batch so far, stamped with the last tick it covers; starts a new one. */
    public EventBatch drain(int tick) {
        EventBatch out = batch.setTick(tick).build();
        batch.clear();
        empty = true;
        return out;
    }

    private void add(GameEvent.Builder event) {
        batch.addEvents(event);
        empty = false;
    }
}
