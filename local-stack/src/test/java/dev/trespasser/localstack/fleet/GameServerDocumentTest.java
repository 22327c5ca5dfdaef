package dev.trespasser.localstack.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.localstack.fleet.GameServerDocument.MalformedGameServerException;
import dev.trespasser.proto.agones.sdk.GameServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GameServerDocumentTest {
    @TempDir
    Path dir;

    @Test
    void aFreshFileReadsBackAsAScheduledGameServer() throws Exception {
        GameServer gs = GameServerDocument.parse(
                GameServerDocument.fresh("local-1", "uid-1", "127.0.0.1", 7777, Instant.parse("2026-01-02T03:04:05Z")));
        assertEquals("local-1", gs.getObjectMeta().getName());
        assertEquals("uid-1", gs.getObjectMeta().getUid());
        assertEquals(
                Instant.parse("2026-01-02T03:04:05Z").getEpochSecond(),
                gs.getObjectMeta().getCreationTimestamp());
        assertEquals("Scheduled", gs.getStatus().getState());
        assertEquals(7777, gs.getStatus().getPorts(0).getPort());
        assertEquals("local", gs.getObjectMeta().getLabelsOrThrow("agones.dev/fleet"));
    }

    @Test
    void jsonIsReadToo() throws Exception {
        GameServer gs = GameServerDocument.parse("""
                {"metadata": {"name": "gs", "annotations": {"a": "b"}}, "status": {"state": "Allocated",
                 "players": {"capacity": 8, "ids": ["p1"]}}}""");
        assertEquals("Allocated", gs.getStatus().getState());
        assertEquals("b", gs.getObjectMeta().getAnnotationsOrThrow("a"));
        assertEquals(8, gs.getStatus().getPlayers().getCapacity());
        assertEquals("p1", gs.getStatus().getPlayers().getIds(0));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "", // a truncation seen mid-write
                "\n\n\n",
                "just text",
                "- a\n- list",
                "metadata: [1, 2]",
                "metadata: {annotations: {a: {nested: map}}}",
                "status: {ports: [1, 2]}",
                "status: {ports: [{port: seven}]}",
                "metadata: {creationTimestamp: yesterday}",
                "kind: Pod",
                "status: {state: Ready}\nstatus: {state: Allocated}", // duplicate keys
                "status: {players: {ids: nope}}",
                "metadata: &x {annotations: *x}", // recursive alias
                "metadata: {name: !!java.lang.Runtime {}}", // no arbitrary types
                "{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{",
            })
    void malformedOrHostileDocumentsAreRefusedWithAReason(String text) {
        MalformedGameServerException e =
                assertThrows(MalformedGameServerException.class, () -> GameServerDocument.parse(text));
        assertTrue(!e.getMessage().isBlank());
    }

    @Test
    void aBillionLaughsIsRefused() {
        StringBuilder yaml = new StringBuilder("a: &a [x,x,x,x,x,x,x,x,x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            char p = (char) (c - 1);
            yaml.append(c)
                    .append(": &")
                    .append(c)
                    .append(" [*")
                    .append(p)
                    .append(",*")
                    .append(p)
                    .append(",*")
                    .append(p)
                    .append(",*")
                    .append(p)
                    .append(",*")
                    .append(p)
                    .append(",*")
                    .append(p)
                    .append("]\n");
        }
        assertThrows(MalformedGameServerException.class, () -> GameServerDocument.parse(yaml.toString()));
    }

    @Test
    void anOversizedFileIsRefusedBeforeParsing() throws Exception {
        Path file = dir.resolve("big.yaml");
        Files.writeString(file, "metadata:\n  name: " + "x".repeat(GameServerDocument.MAX_BYTES + 1));
        assertThrows(MalformedGameServerException.class, () -> GameServerDocument.read(file));
    }

    @Test
    void writingInPlaceOverALongerDocumentLeavesNoTail() throws Exception {
        Path file = dir.resolve("gs.yaml");
        GameServerDocument.writeInPlace(
                file, "metadata:\n  name: a-very-long-name-indeed\nstatus:\n  state: Allocated\n");
        GameServerDocument.writeInPlace(file, "status:\n  state: Ready\n");
        GameServer gs = GameServerDocument.read(file);
        assertEquals("Ready", gs.getStatus().getState());
        assertEquals("", gs.getObjectMeta().getName());
    }
}
