package dev.trespasser.match.sim;

import dev.trespasser.game.movement.Speed;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays as bytes, for the results publisher to store and reference. Big-endian, versioned:
 *
 * <pre>
 * magic "TRPL", u16 version (2), header (map name, map fingerprint, every setting, seed, roster),
 * u8 1 if the round began with a restart, then its start: i32 tick, i64 random state,
 *   i32 next charge id, per slot: u8 flags (1 connected, 2 ever connected, 4 dropped),
 *   i32 disconnected ticks, i64 last sequence, u8 speed, u16 aim, i32 throw distance;
 * i32 ticks, i32 red kills, i32 blue kills, i64 final hash,
 * i32 command count, i32 command bytes, the commands as recorded ({@link RecordedCommands})
 * </pre>
 *
 * A 10-minute round of 8 players sending an input per tick is well under 1 MiB (about two
 * bytes per input). Version 1 (one fixed record per command, whole match) is no longer read.
 */
public final class ReplayCodec {

    private static final int MAGIC = 0x5452504C; // "TRPL"
    static final int VERSION = 2;

    private ReplayCodec() {}

    public static byte[] encode(Replay replay) {
        ByteArrayOutputStream bytes =
                new ByteArrayOutputStream(1024 + (int) replay.commands().byteSize());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeShort(VERSION);
            ReplayHeader h = replay.header();
            out.writeUTF(h.mapName());
            out.writeLong(h.mapFingerprint());
            writeSettings(out, h.settings());
            out.writeLong(h.seed());
            out.writeByte(h.roster().size());
            for (Roster.Entry e : h.roster().entries()) {
                out.writeUTF(e.playerId());
                out.writeByte(e.team().ordinal());
            }
            RoundStart start = replay.start();
            out.writeBoolean(start != null);
            if (start != null) {
                out.writeInt(start.tick());
                out.writeLong(start.randomState());
                out.writeInt(start.nextChargeId());
                for (RoundStart.Seat seat : start.seats()) {
                    out.writeByte(
                            (seat.connected() ? 1 : 0) | (seat.everConnected() ? 2 : 0) | (seat.dropped() ? 4 : 0));
                    out.writeInt(seat.disconnectedTicks());
                    out.writeLong(seat.lastSequence());
                    out.writeByte(seat.speed().ordinal());
                    out.writeShort(seat.aim());
                    out.writeInt(seat.throwDistance());
                }
            }
            out.writeInt(replay.ticks());
            out.writeInt(replay.redKills());
            out.writeInt(replay.blueKills());
            out.writeLong(replay.finalHash());
            out.writeInt(replay.commands().count());
            out.writeInt(Math.toIntExact(replay.commands().byteSize()));
            replay.commands().writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** Decodes a replay; anything malformed is an {@link IllegalArgumentException} saying what. */
    public static Replay decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a Trespasser replay");
            }
            int version = in.readUnsignedShort();
            if (version != VERSION) {
                throw new IllegalArgumentException(
                        "unsupported replay version " + version + " (this build reads version " + VERSION + ")");
            }
            String mapName = in.readUTF();
            long fingerprint = in.readLong();
            MatchSettings settings = readSettings(in);
            long seed = in.readLong();
            int players = in.readUnsignedByte();
            if (players > CommandStream.MAX_SLOTS) {
                throw new IllegalArgumentException(
                        "roster of " + players + " players; a match holds at most " + CommandStream.MAX_SLOTS);
            }
            List<Roster.Entry> entries = new ArrayList<>(players);
            for (int i = 0; i < players; i++) {
                String id = in.readUTF();
                entries.add(new Roster.Entry(id, team(in.readUnsignedByte())));
            }
            ReplayHeader header = new ReplayHeader(mapName, fingerprint, settings, seed, new Roster(entries));
            RoundStart start = null;
            int hasStart = in.readUnsignedByte();
            if (hasStart > 1) {
                throw new IllegalArgumentException("bad round-start flag " + hasStart);
            }
            if (hasStart == 1) {
                int tick = in.readInt();
                long randomState = in.readLong();
                int nextChargeId = in.readInt();
                List<RoundStart.Seat> seats = new ArrayList<>(players);
                Speed[] speeds = Speed.values();
                for (int i = 0; i < players; i++) {
                    int flags = in.readUnsignedByte();
                    if (flags > 7) {
                        throw new IllegalArgumentException("bad seat flags " + flags);
                    }
                    int disconnectedTicks = in.readInt();
                    long lastSequence = in.readLong();
                    int speed = in.readUnsignedByte();
                    if (speed >= speeds.length) {
                        throw new IllegalArgumentException("unknown speed " + speed);
                    }
                    seats.add(new RoundStart.Seat(
                            (flags & 1) != 0,
                            (flags & 2) != 0,
                            (flags & 4) != 0,
                            disconnectedTicks,
                            lastSequence,
                            speeds[speed],
                            in.readUnsignedShort(),
                            in.readInt()));
                }
                start = new RoundStart(tick, randomState, nextChargeId, seats);
            }
            int ticks = in.readInt();
            int red = in.readInt();
            int blue = in.readInt();
            long hash = in.readLong();
            int count = in.readInt();
            int length = in.readInt();
            if (length < 0 || length != in.available()) {
                throw new IllegalArgumentException(
                        "replay says " + length + " command bytes but " + in.available() + " follow");
            }
            byte[] stream = in.readNBytes(length);
            int firstTick = start == null ? 0 : start.tick();
            if (ticks < firstTick) {
                throw new IllegalArgumentException(
                        "replay ends at tick " + ticks + " before it starts at " + firstTick);
            }
            RecordedCommands commands = RecordedCommands.parse(stream, count, players, firstTick, ticks);
            return new Replay(header, start, commands, ticks, red, blue, hash);
        } catch (EOFException e) {
            throw new IllegalArgumentException("replay is truncated", e);
        } catch (UTFDataFormatException e) {
            throw new IllegalArgumentException("replay holds a malformed name", e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory cannot fail", e);
        }
    }

    private static Team team(int ordinal) {
        if (ordinal >= Team.values().length) {
            throw new IllegalArgumentException("unknown team " + ordinal);
        }
        return Team.values()[ordinal];
    }

    private static void writeSettings(DataOutputStream out, MatchSettings s) throws IOException {
        out.writeInt(s.timing().tickRateHz());
        out.writeInt(s.timing().snapshotRateHz());
        MatchSettings.Movement m = s.movement();
        out.writeDouble(m.playerRadius());
        out.writeDouble(m.sneakSpeed());
        out.writeDouble(m.walkSpeed());
        out.writeDouble(m.runSpeed());
        MatchSettings.Vision v = s.vision();
        out.writeDouble(v.coneDegrees());
        out.writeDouble(v.range());
        out.writeDouble(v.awarenessRadius());
        MatchSettings.Sound so = s.sound();
        out.writeDouble(so.walkFootstepRadius());
        out.writeDouble(so.runFootstepRadius());
        out.writeDouble(so.gunshotRadius());
        out.writeDouble(so.explosionRadius());
        out.writeDouble(so.sliceDestroyedRadius());
        out.writeDouble(so.muffledFactor());
        out.writeDouble(so.footstepStride());
        MatchSettings.Rifle r = s.rifle();
        out.writeInt(r.damage());
        out.writeInt(r.cooldownMillis());
        out.writeDouble(r.range());
        out.writeDouble(r.sneakSpreadDegrees());
        out.writeDouble(r.walkSpreadDegrees());
        out.writeDouble(r.runSpreadDegrees());
        out.writeInt(r.sliceDamage());
        MatchSettings.Charge c = s.charge();
        out.writeInt(c.perLife());
        out.writeDouble(c.throwRange());
        out.writeInt(c.fuseMillis());
        out.writeDouble(c.blastRadius());
        out.writeInt(c.maxDamage());
        MatchSettings.Life l = s.life();
        out.writeInt(l.maxHealth());
        out.writeInt(l.sliceHp());
        out.writeInt(l.respawnMillis());
        out.writeInt(l.spawnProtectionMillis());
        MatchSettings.Flow f = s.flow();
        out.writeInt(f.maxPerTeam());
        out.writeInt(f.killLimit());
        out.writeInt(f.timeLimitSeconds());
        out.writeBoolean(f.friendlyFire());
        out.writeInt(f.waitingSeconds());
        out.writeInt(f.warmupSeconds());
        out.writeInt(f.endingMillis());
        out.writeInt(f.scoreboardSeconds());
        out.writeInt(f.reconnectSeconds());
        out.writeInt(f.restartVotes());
        out.writeInt(f.minPlayers());
    }

    private static MatchSettings readSettings(DataInputStream in) throws IOException {
        MatchSettings.Timing timing = new MatchSettings.Timing(in.readInt(), in.readInt());
        MatchSettings.Movement movement =
                new MatchSettings.Movement(in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble());
        MatchSettings.Vision vision = new MatchSettings.Vision(in.readDouble(), in.readDouble(), in.readDouble());
        MatchSettings.Sound sound = new MatchSettings.Sound(
                in.readDouble(),
                in.readDouble(),
                in.readDouble(),
                in.readDouble(),
                in.readDouble(),
                in.readDouble(),
                in.readDouble());
        MatchSettings.Rifle rifle = new MatchSettings.Rifle(
                in.readInt(),
                in.readInt(),
                in.readDouble(),
                in.readDouble(),
                in.readDouble(),
                in.readDouble(),
                in.readInt());
        MatchSettings.Charge charge =
                new MatchSettings.Charge(in.readInt(), in.readDouble(), in.readInt(), in.readDouble(), in.readInt());
        MatchSettings.Life life = new MatchSettings.Life(in.readInt(), in.readInt(), in.readInt(), in.readInt());
        MatchSettings.Flow flow = new MatchSettings.Flow(
                in.readInt(),
                in.readInt(),
                in.readInt(),
                in.readBoolean(),
                in.readInt(),
                in.readInt(),
                in.readInt(),
                in.readInt(),
                in.readInt(),
                in.readInt(),
                in.readInt());
        return new MatchSettings(timing, movement, vision, sound, rifle, charge, life, flow);
    }
}
