package dev.trespasser.match.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The events of one tick. The match reuses one instance: read it before the next tick. Lists are
 * read-only views in the order things happened.
 */
public final class TickResult {

    private int tick;
    private final List<MatchEvent.Kill> kills = new ArrayList<>();
    private final List<MatchEvent.Damage> damage = new ArrayList<>();
    private final List<MatchEvent.Sound> sounds = new ArrayList<>();
    private final List<MatchEvent.SliceChange> sliceChanges = new ArrayList<>();
    private final List<MatchEvent.PhaseChange> phaseChanges = new ArrayList<>();
    private final List<MatchEvent.ConnectionChange> connectionChanges = new ArrayList<>();
    private final List<MatchEvent.Shot> shots = new ArrayList<>();
    private final List<MatchEvent.ChargeThrown> chargesThrown = new ArrayList<>();
    private final List<MatchEvent.Explosion> explosions = new ArrayList<>();
    private final List<MatchEvent.Spawn> spawns = new ArrayList<>();
    private final List<MatchEvent.RestartVote> votes = new ArrayList<>();

    private final List<MatchEvent.Kill> killsView = Collections.unmodifiableList(kills);
    private final List<MatchEvent.Damage> damageView = Collections.unmodifiableList(damage);
    private final List<MatchEvent.Sound> soundsView = Collections.unmodifiableList(sounds);
    private final List<MatchEvent.SliceChange> sliceChangesView = Collections.unmodifiableList(sliceChanges);
    private final List<MatchEvent.PhaseChange> phaseChangesView = Collections.unmodifiableList(phaseChanges);
    private final List<MatchEvent.ConnectionChange> connectionChangesView =
            Collections.unmodifiableList(connectionChanges);
    private final List<MatchEvent.Shot> shotsView = Collections.unmodifiableList(shots);
    private final List<MatchEvent.ChargeThrown> chargesThrownView = Collections.unmodifiableList(chargesThrown);
    private final List<MatchEvent.Explosion> explosionsView = Collections.unmodifiableList(explosions);
    private final List<MatchEvent.Spawn> spawnsView = Collections.unmodifiableList(spawns);
    private final List<MatchEvent.RestartVote> votesView = Collections.unmodifiableList(votes);

    void begin(int tick) {
        this.tick = tick;
        kills.clear();
        damage.clear();
        sounds.clear();
        sliceChanges.clear();
        phaseChanges.clear();
        connectionChanges.clear();
        shots.clear();
        chargesThrown.clear();
        explosions.clear();
        spawns.clear();
        votes.clear();
    }

    /** The tick these events belong to (1 for the first tick). */
    public int tick() {
        return tick;
    }

    public List<MatchEvent.Kill> kills() {
        return killsView;
    }

    public List<MatchEvent.Damage> damage() {
        return damageView;
    }

    /** Per listener: filter by {@link MatchEvent.Sound#listener()} when building a player's batch. */
    public List<MatchEvent.Sound> sounds() {
        return soundsView;
    }

    public List<MatchEvent.SliceChange> sliceChanges() {
        return sliceChangesView;
    }

    public List<MatchEvent.PhaseChange> phaseChanges() {
        return phaseChangesView;
    }

    /** Connects and disconnects made since the previous tick, then slots dropped in this one. */
    public List<MatchEvent.ConnectionChange> connectionChanges() {
        return connectionChangesView;
    }

    public List<MatchEvent.Shot> shots() {
        return shotsView;
    }

    public List<MatchEvent.ChargeThrown> chargesThrown() {
        return chargesThrownView;
    }

    public List<MatchEvent.Explosion> explosions() {
        return explosionsView;
    }

    public List<MatchEvent.Spawn> spawns() {
        return spawnsView;
    }

    /** Restart votes given since the previous tick. */
    public List<MatchEvent.RestartVote> votes() {
        return votesView;
    }

    void add(MatchEvent.Kill e) {
        kills.add(e);
    }

    void add(MatchEvent.Damage e) {
        damage.add(e);
    }

    void add(MatchEvent.Sound e) {
        sounds.add(e);
    }

    void add(MatchEvent.SliceChange e) {
        sliceChanges.add(e);
    }

    void add(MatchEvent.PhaseChange e) {
        phaseChanges.add(e);
    }

    void add(MatchEvent.ConnectionChange e) {
        connectionChanges.add(e);
    }

    void add(MatchEvent.Shot e) {
        shots.add(e);
    }

    void add(MatchEvent.ChargeThrown e) {
        chargesThrown.add(e);
    }

    void add(MatchEvent.Explosion e) {
        explosions.add(e);
    }

    void add(MatchEvent.Spawn e) {
        spawns.add(e);
    }

    void add(MatchEvent.RestartVote e) {
        votes.add(e);
    }
}
