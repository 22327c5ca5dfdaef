package dev.trespasser.match.sim;

import dev.trespasser.game.movement.Speed;

/**
 * One roster slot's live state. The match mutates it; everyone else reads it through the
 * getters (the network layer builds snapshots from these).
 */
public final class Player {

    /** Inputs queued between two ticks; more than this is a flooding client and is refused. */
    static final int MAX_PENDING_INPUTS = 32;

    final int slot;
    final String playerId;
    final Team team;

    boolean connected;
    boolean everConnected;
    boolean dropped;
    int disconnectedTicks;

    boolean alive;
    boolean awaitingSpawn;
    int respawnTicks;
    int protectionTicks;
    double x;
    double y;
    int health;
    int cooldownTicks;
    int charges;
    boolean moving;
    double strideTravelled;

    int kills;
    int deaths;
    boolean voted;

    /** Unsigned sequence of the last applied input, -1 before the first. */
    long lastSequence = -1;

    int buttons;
    Speed speed = Speed.WALK;
    int aim;
    double aimX = 1;
    double aimY;
    int throwDistance;

    final PlayerInput[] pending = new PlayerInput[MAX_PENDING_INPUTS];
    int pendingCount;

    Player(int slot, String playerId, Team team) {
        this.slot = slot;
        this.playerId = playerId;
        this.team = team;
    }

    public int slot() {
        return slot;
    }

    public String playerId() {
        return playerId;
    }

    public Team team() {
        return team;
    }

    public boolean connected() {
        return connected;
    }

    /** The slot was kept too long without a reconnect, or left before a restart: it cannot come back. */
    public boolean dropped() {
        return dropped;
    }

    public boolean alive() {
        return alive;
    }

    public double x() {
        return x;
    }

    public double y() {
        return y;
    }

    /** Quantised aim of the last applied input (see {@link Aim}). */
    public int aim() {
        return aim;
    }

    public int health() {
        return health;
    }

    public Speed speed() {
        return speed;
    }

    /** True when the player actually moved this tick (footsteps and spread depend on it). */
    public boolean moving() {
        return moving;
    }

    public boolean spawnProtected() {
        return alive && protectionTicks > 0;
    }

    public int protectionTicksLeft() {
        return alive ? protectionTicks : 0;
    }

    /** Ticks until this dead player respawns, 0 when alive or not waiting to spawn. */
    public int respawnTicksLeft() {
        return awaitingSpawn ? respawnTicks : 0;
    }

    public int chargesLeft() {
        return charges;
    }

    public boolean hasCharge() {
        return charges > 0;
    }

    public int cooldownTicksLeft() {
        return cooldownTicks;
    }

    public int kills() {
        return kills;
    }

    public int deaths() {
        return deaths;
    }

    public boolean voted() {
        return voted;
    }

    /** Sequence of the last input applied, as the unsigned value the client sent; -1 before any. */
    public long lastAppliedSequence() {
        return lastSequence;
    }

    /** Ticks this player has been disconnected (reconnect slot timer). */
    public int disconnectedTicks() {
        return connected ? 0 : disconnectedTicks;
    }
}
