package dev.trespasser.match.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.match.metrics.MatchServerMetrics;
import dev.trespasser.match.room.MatchRoom;
import dev.trespasser.match.room.RoomConfig;
import dev.trespasser.match.testing.RawWebSocket;
import dev.trespasser.match.testing.TestKeys;
import dev.trespasser.match.testing.TestRooms;
import dev.trespasser.proto.game.v1.ClientMessage;
import dev.trespasser.proto.game.v1.InputCommand;
import dev.trespasser.proto.game.v1.ServerMessage;
import dev.trespasser.proto.game.v1.Snapshot;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * An ack riding on an input ({@code InputCommand.ack_snapshot_tick}) moves the player's delta
 * baseline like a {@code SnapshotAck} frame: a client that never sends a SnapshotAck gets delta
 * snapshots against the snapshot its input named, and full ones until then.
 */
class AckOnInputTest {

    private static final String MATCH = "m-ack-on-input";

    @Test
    void anAckOnAnInputMakesTheNextSnapshotsDeltasAgainstIt() throws Exception {
        TestKeys keys = new TestKeys();
        MatchServerMetrics metrics = new MatchServerMetrics();
        GameSocketServer server = new GameSocketServer(0, keys.verifier(), metrics, EdgeLimits.defaults());
        server.start();
        MatchRoom room = MatchRoom.open(
                TestRooms.allocation(MATCH, "1v1", "alice", "bob"),
                RoomConfig.defaults(),
                TestRooms.ignoringListener(),
                metrics);
        server.host(room, TestKeys.SERVER);
        try (RawWebSocket alice = RawWebSocket.connect(server.port())) {
            alice.join(keys.token("alice", MATCH));
            Snapshot first = nextSnapshot(alice);
            for (int i = 0; i < 5; i++) {
                assertEquals(0, nextSnapshot(alice).getBaselineAge(), "nothing acknowledged yet: full snapshots");
            }
            alice.sendBinary(ClientMessage.newBuilder()
                    .setInput(InputCommand.newBuilder().setSequence(1).setAckSnapshotTick(first.getTick()))
                    .build()
                    .toByteArray());
            long deadline = System.nanoTime() + 3_000_000_000L;
            Snapshot delta = null;
            while (delta == null && System.nanoTime() < deadline) {
                Snapshot s = nextSnapshot(alice);
                if (s.getBaselineAge() > 0) {
                    delta = s;
                }
            }
            assertTrue(delta != null, "no delta snapshot after the ack on the input");
            assertEquals(
                    first.getTick(), delta.getTick() - delta.getBaselineAge(), "the baseline is the acked snapshot");
        } finally {
            room.close();
            server.close();
        }
    }

    private static Snapshot nextSnapshot(RawWebSocket socket) throws IOException {
        while (true) {
            ServerMessage m = socket.readMessage();
            if (m.hasSnapshot()) {
                return m.getSnapshot();
            }
        }
    }
}
