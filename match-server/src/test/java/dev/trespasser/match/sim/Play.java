package dev.trespasser.match.sim;

import dev.trespasser.game.input.Aim;
import dev.trespasser.game.movement.Speed;
import dev.trespasser.game.world.GameMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives a match for a test: who presses what, then run some ticks and read what happened.
 * Events of every tick are copied out, because the match reuses its tick result.
 */
final class Play {

    final Match match;
    private final int[] sequence;
    final List<MatchEvent.Kill> kills = new ArrayList<>();
    final List<MatchEvent.Damage> damage = new ArrayList<>();
    final List<MatchEvent.Sound> sounds = new ArrayList<>();
    final List<MatchEvent.Shot> shots = new ArrayList<>();
    final List<MatchEvent.SliceChange> sliceChanges = new ArrayList<>();
    final List<MatchEvent.PhaseChange> phases = new ArrayList<>();
    final List<MatchEvent.ConnectionChange> connections = new ArrayList<>();
    final List<MatchEvent.Explosion> explosions = new ArrayList<>();
    final List<MatchEvent.Spawn> spawns = new ArrayList<>();

    Play(Match match) {
        this.match = match;
        this.sequence = new int[match.playerCount()];
    }

    /**
     * Defaults with no warmup and no spawn protection, so a rule test starts shooting at once;
     * tests of those rules use {@link MatchSettings#defaults()}.
     */
    static MatchSettings quietSettings() {
        MatchSettings d = MatchSettings.defaults();
        MatchSettings.Flow f = d.flow();
        MatchSettings.Life l = d.life();
        return d.withFlow(new MatchSettings.Flow(
                        f.maxPerTeam(),
                        f.killLimit(),
                        f.timeLimitSeconds(),
                        f.friendlyFire(),
                        f.waitingSeconds(),
                        0,
                        f.endingMillis(),
                        f.scoreboardSeconds(),
                        f.reconnectSeconds(),
                        f.restartVotes(),
                        f.minPlayers()))
                .withLife(new MatchSettings.Life(l.maxHealth(), l.sliceHp(), l.respawnMillis(), 0));
    }

    static Roster roster(Team... teams) {
        List<Roster.Entry> entries = new ArrayList<>();
        for (int i = 0; i < teams.length; i++) {
            entries.add(new Roster.Entry("player-" + i, teams[i]));
        }
        return new Roster(entries);
    }

    /** Everyone connects; ticks until the round is active. */
    static Play start(GameMap map, MatchSettings settings, Team... teams) {
        Play play = new Play(new Match(map, settings, roster(teams), 42));
        for (int i = 0; i < teams.length; i++) {
            play.match.connect(i);
        }
        play.untilPhase(Phase.ACTIVE, 100_000);
        return play;
    }

    Play place(int slot, double x, double y) {
        match.place(slot, x, y);
        return this;
    }

    /** Holds these buttons at this speed and aim (degrees, 0 = +x, 90 = down) from the next tick. */
    Play hold(int slot, int buttons, Speed speed, double aimDegrees) {
        match.submitInput(slot, input(slot, buttons, speed, aimDegrees, 0));
        return this;
    }

    Play aim(int slot, double aimDegrees) {
        return hold(slot, 0, Speed.SNEAK, aimDegrees);
    }

    PlayerInput input(int slot, int buttons, Speed speed, double aimDegrees, int throwDistance) {
        return new PlayerInput(
                ++sequence[slot], buttons, speed, Aim.fromRadians(Math.toRadians(aimDegrees)), throwDistance);
    }

    /** Fires one shot (held for one tick, then released). */
    Play shoot(int slot, double aimDegrees) {
        hold(slot, PlayerInput.FIRE, Speed.SNEAK, aimDegrees);
        run(1);
        hold(slot, 0, Speed.SNEAK, aimDegrees);
        return this;
    }

    Play run(int ticks) {
        for (int i = 0; i < ticks; i++) {
            collect(match.tick());
        }
        return this;
    }

    Play seconds(double seconds) {
        return run((int) Math.round(seconds * match.settings().timing().tickRateHz()));
    }

    Play untilPhase(Phase phase, int maxTicks) {
        for (int i = 0; i < maxTicks && match.phase() != phase; i++) {
            collect(match.tick());
        }
        if (match.phase() != phase) {
            throw new AssertionError("phase " + phase + " not reached, still " + match.phase());
        }
        return this;
    }

    private void collect(TickResult r) {
        kills.addAll(r.kills());
        damage.addAll(r.damage());
        sounds.addAll(r.sounds());
        shots.addAll(r.shots());
        sliceChanges.addAll(r.sliceChanges());
        phases.addAll(r.phaseChanges());
        connections.addAll(r.connectionChanges());
        explosions.addAll(r.explosions());
        spawns.addAll(r.spawns());
    }

    Player player(int slot) {
        return match.player(slot);
    }

    List<MatchEvent.Sound> heardBy(int listener) {
        List<MatchEvent.Sound> out = new ArrayList<>();
        for (MatchEvent.Sound s : sounds) {
            if (s.listener() == listener) {
                out.add(s);
            }
        }
        return out;
    }

    /** Slice index of the slice covering (x, y), or -1. */
    int sliceAt(double x, double y) {
        var f = match.slices();
        for (int s = 0; s < f.count(); s++) {
            if (x >= f.minX(s) && x < f.maxX(s) && y >= f.minY(s) && y < f.maxY(s)) {
                return s;
            }
        }
        return -1;
    }

    /** Destroys the slice covering (x, y), as if shot away. */
    Play breakSliceAt(double x, double y) {
        int s = sliceAt(x, y);
        if (s < 0) {
            throw new AssertionError("no slice at " + x + "," + y);
        }
        match.sliceField().damage(s, Integer.MAX_VALUE);
        return this;
    }
}
