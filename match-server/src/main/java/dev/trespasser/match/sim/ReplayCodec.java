package dev.trespasser.match.sim;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays as bytes, for the results publisher to store and reference. Big-endian, versioned:
 *
 * <pre>
 * magic "TRPL", u16 version, header (map name, map fingerprint, every setting, seed, roster),
 * i32 ticks, i32 red kills, i32 blue kills, i64 final hash, i32 command count, commands
 * </pre>
 *
 * A command is a tick delta (varint, commands are in tick order), a byte of kind and slot, and
 * for inputs the sequence, buttons, speed, aim and throw distance. A match of 10 minutes with 8
 * players sending an input per tick is about 3 MB.
 */
public final class ReplayCodec {

    private static final int MAGIC = 0x5452504C; // "TRPL"
    private static final int VERSION = 1;
    /** Far above any real match; stops a corrupt count from allocating the heap away. */
    private static final int MAX_COMMANDS = 50_000_000;

    private ReplayCodec() {
    }

    public static byte[] encode(Replay replay) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + replay.commands().size() * 12);
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
            out.writeInt(replay.ticks());
            out.writeInt(replay.redKills());
            out.writeInt(replay.blueKills());
            out.writeLong(replay.finalHash());
            out.writeInt(replay.commands().size());
            int tick = 0;
            for (ReplayCommand c : replay.commands()) {
                writeVarint(out, c.tick() - tick);
                tick = c.tick();
                out.writeByte(c.kind().ordinal() << 4 | c.slot());
                if (c.kind() == ReplayCommand.Kind.INPUT) {
                    PlayerInput in = c.input();
                    out.writeInt(in.sequence());
                    out.writeByte(in.buttons());
                    out.writeByte(in.speed().ordinal());
                    out.writeShort(in.aim());
                    writeVarint(out, in.throwDistance());
                }
            }
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
                throw new IllegalArgumentException("unsupported replay version " + version);
            }
            String mapName = in.readUTF();
            long fingerprint = in.readLong();
            MatchSettings settings = readSettings(in);
            long seed = in.readLong();
            int players = in.readUnsignedByte();
            List<Roster.Entry> entries = new ArrayList<>(players);
            for (int i = 0; i < players; i++) {
                String id = in.readUTF();
                entries.add(new Roster.Entry(id, team(in.readUnsignedByte())));
            }
            ReplayHeader header = new ReplayHeader(mapName, fingerprint, settings, seed, new Roster(entries));
            int ticks = in.readInt();
            int red = in.readInt();
            int blue = in.readInt();
            long hash = in.readLong();
            int count = in.readInt();
            if (count < 0 || count > MAX_COMMANDS) {
                throw new IllegalArgumentException("implausible command count " + count);
            }
            List<ReplayCommand> commands = new ArrayList<>(Math.min(count, 1 << 16));
            int tick = 0;
            ReplayCommand.Kind[] kinds = ReplayCommand.Kind.values();
            Speed[] speeds = Speed.values();
            for (int i = 0; i < count; i++) {
                tick = Math.addExact(tick, readVarint(in));
                int kindAndSlot = in.readUnsignedByte();
                int kind = kindAndSlot >>> 4;
                if (kind >= kinds.length) {
                    throw new IllegalArgumentException("unknown command kind " + kind);
                }
                PlayerInput input = null;
                if (kinds[kind] == ReplayCommand.Kind.INPUT) {
                    int sequence = in.readInt();
                    int buttons = in.readUnsignedByte();
                    int speed = in.readUnsignedByte();
                    if (speed >= speeds.length) {
                        throw new IllegalArgumentException("unknown speed " + speed);
                    }
                    input = new PlayerInput(sequence, buttons, speeds[speed], in.readUnsignedShort(), readVarint(in));
                }
                commands.add(new ReplayCommand(tick, kinds[kind], kindAndSlot & 0xF, input));
            }
            if (in.read() != -1) {
                throw new IllegalArgumentException("trailing bytes after the last command");
            }
            return new Replay(header, commands, ticks, red, blue, hash);
        } catch (EOFException e) {
            throw new IllegalArgumentException("replay is truncated", e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory cannot fail", e);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("tick numbers overflow", e);
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
        MatchSettings.Movement movement = new MatchSettings.Movement(
                in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble());
        MatchSettings.Vision vision = new MatchSettings.Vision(in.readDouble(), in.readDouble(), in.readDouble());
        MatchSettings.Sound sound = new MatchSettings.Sound(in.readDouble(), in.readDouble(), in.readDouble(),
                in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble());
        MatchSettings.Rifle rifle = new MatchSettings.Rifle(in.readInt(), in.readInt(), in.readDouble(),
                in.readDouble(), in.readDouble(), in.readDouble(), in.readInt());
        MatchSettings.Charge charge = new MatchSettings.Charge(in.readInt(), in.readDouble(), in.readInt(),
                in.readDouble(), in.readInt());
        MatchSettings.Life life = new MatchSettings.Life(in.readInt(), in.readInt(), in.readInt(), in.readInt());
        MatchSettings.Flow flow = new MatchSettings.Flow(in.readInt(), in.readInt(), in.readInt(), in.readBoolean(),
                in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt());
        return new MatchSettings(timing, movement, vision, sound, rifle, charge, life, flow);
    }

    private static void writeVarint(DataOutputStream out, int value) throws IOException {
        while ((value & ~0x7F) != 0) {
            out.writeByte((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    private static int readVarint(DataInputStream in) throws IOException {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (value < 0) {
                    throw new IllegalArgumentException("negative varint");
                }
                return value;
            }
        }
        throw new IllegalArgumentException("varint longer than 5 bytes");
    }
}
