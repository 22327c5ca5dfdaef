package dev.trespasser.match.agones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import dev.trespasser.match.agones.AllocationAnnotation.InvalidAllocationException;
import dev.trespasser.proto.allocation.v1.MatchAllocation;
import dev.trespasser.proto.allocation.v1.MatchRules;
import dev.trespasser.proto.allocation.v1.RosterPlayer;
import dev.trespasser.proto.allocation.v1.RosterTeam;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The annotation reader against protobuf's own JSON printer (test scope only) and hostile input. */
class AllocationAnnotationTest {

    private static final MatchAllocation EVERY_FIELD = MatchAllocation.newBuilder()
            .setMatchId("m-\u00e9\u2603-\"quoted\"\\\n")
            .setMode("4v4")
            .setMapName("depot")
            .addRoster(RosterPlayer.newBuilder().setPlayerId("p1").setTeam(RosterTeam.ROSTER_TEAM_RED))
            .addRoster(RosterPlayer.newBuilder().setPlayerId("p2").setTeam(RosterTeam.ROSTER_TEAM_BLUE))
            .addRoster(RosterPlayer.newBuilder().setPlayerId("p3").setTeam(RosterTeam.ROSTER_TEAM_UNSPECIFIED))
            .addRoster(RosterPlayer.newBuilder())
            .setRules(MatchRules.newBuilder()
                    .setKillLimit(-1)
                    .setTimeLimitSeconds(600)
                    .setFriendlyFire(true)
                    .setMaxRounds(3))
            .setAllocatedAtEpochSeconds(Long.MIN_VALUE)
            .build();

    private static final List<MatchAllocation> SAMPLES = List.of(
            EVERY_FIELD,
            EVERY_FIELD.toBuilder().setAllocatedAtEpochSeconds(Long.MAX_VALUE).build(),
            EVERY_FIELD.toBuilder()
                    .setAllocatedAtEpochSeconds(1_790_000_000L)
                    .setRules(MatchRules.newBuilder().setKillLimit(Integer.MAX_VALUE))
                    .build(),
            // Defaults everywhere, and a present but empty rules message (it must stay present).
            MatchAllocation.getDefaultInstance(),
            MatchAllocation.newBuilder()
                    .setRules(MatchRules.getDefaultInstance())
                    .build());

    @Test
    void readsWhatProtobufsPrinterWritesInEveryStyle() throws Exception {
        List<JsonFormat.Printer> printers = List.of(
                JsonFormat.printer(),
                JsonFormat.printer().omittingInsignificantWhitespace(), // the director's
                JsonFormat.printer().includingDefaultValueFields(),
                JsonFormat.printer().preservingProtoFieldNames(),
                JsonFormat.printer().preservingProtoFieldNames().includingDefaultValueFields());
        for (MatchAllocation sample : SAMPLES) {
            for (JsonFormat.Printer printer : printers) {
                String json = printer.print(sample);
                assertEquals(sample, AllocationAnnotation.parse(json), json);
            }
        }
    }

    @Test
    void ignoresUnknownFieldsAndReadsNullAsTheDefault() throws Exception {
        MatchAllocation read = AllocationAnnotation.parse(
                "{\"matchId\":\"m\",\"mode\":null,\"fromANewerDirector\":{\"x\":[1,2]},"
                        + "\"roster\":[{\"playerId\":\"a\",\"team\":null,\"skill\":3}],\"allocatedAtEpochSeconds\":17}");
        assertEquals(
                MatchAllocation.newBuilder()
                        .setMatchId("m")
                        .setAllocatedAtEpochSeconds(17)
                        .addRoster(RosterPlayer.newBuilder().setPlayerId("a"))
                        .build(),
                read);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                // malformed JSON
                "",
                "   ",
                "{",
                "{\"matchId\":\"m\"",
                "{\"matchId\":\"m\",}",
                "{matchId:\"m\"}",
                "{\"matchId\":'m'}",
                "{\"matchId\":\"m\"} trailing",
                "[{\"matchId\":\"m\"}]",
                "\"m\"",
                "null",
                "{\"matchId\":\"\\x41\"}",
                "{\"matchId\":\"\\ud800\"}",
                "{\"matchId\":\"a\u0001b\"}",
                // duplicate keys, also across the two spellings
                "{\"matchId\":\"a\",\"matchId\":\"b\"}",
                "{\"matchId\":\"a\",\"match_id\":\"b\"}",
                "{\"rules\":{\"killLimit\":1,\"kill_limit\":2}}",
                // wrong types
                "{\"matchId\":7}",
                "{\"matchId\":true}",
                "{\"matchId\":[\"m\"]}",
                "{\"mode\":{}}",
                "{\"roster\":{\"playerId\":\"a\"}}",
                "{\"roster\":[\"a\"]}",
                "{\"roster\":[null]}",
                "{\"roster\":[{\"playerId\":1}]}",
                "{\"rules\":5}",
                "{\"rules\":[]}",
                "{\"rules\":{\"friendlyFire\":\"true\"}}",
                "{\"rules\":{\"friendlyFire\":1}}",
                "{\"rules\":{\"killLimit\":\"five\"}}",
                "{\"rules\":{\"killLimit\":1.5}}",
                "{\"rules\":{\"killLimit\":1e3}}",
                "{\"allocatedAtEpochSeconds\":\"17.0\"}",
                "{\"allocatedAtEpochSeconds\":\" 17\"}",
                "{\"allocatedAtEpochSeconds\":\"+17\"}",
                "{\"allocatedAtEpochSeconds\":\"017\"}",
                "{\"allocatedAtEpochSeconds\":true}",
                // unknown enum names and enum numbers
                "{\"roster\":[{\"team\":\"ROSTER_TEAM_GREEN\"}]}",
                "{\"roster\":[{\"team\":\"UNRECOGNIZED\"}]}",
                "{\"roster\":[{\"team\":\"roster_team_red\"}]}",
                "{\"roster\":[{\"team\":1}]}",
                // huge numbers
                "{\"allocatedAtEpochSeconds\":\"9223372036854775808\"}",
                "{\"allocatedAtEpochSeconds\":9223372036854775808}",
                "{\"allocatedAtEpochSeconds\":\"99999999999999999999999999999999999999\"}",
                "{\"allocatedAtEpochSeconds\":1" + "0000000000000000000000000000000000000000" + "}",
                "{\"rules\":{\"killLimit\":4294967296}}",
                "{\"rules\":{\"maxRounds\":-1}}",
                "{\"rules\":{\"timeLimitSeconds\":\"-1\"}}",
                "{\"rules\":{\"killLimit\":1e400}}",
            })
    void refusesHostileInputWithAClearError(String json) {
        InvalidAllocationException e =
                assertThrows(InvalidAllocationException.class, () -> AllocationAnnotation.parse(json));
        assertTrue(
                e.getMessage() != null
                        && !e.getMessage().isBlank()
                        && e.getMessage().length() < 200,
                e.getMessage());
    }

    @Test
    void errorsNameTheFieldAndTheProblem() {
        assertEquals(
                "roster[1].team: unknown RosterTeam \"ROSTER_TEAM_GREEN\"",
                message("{\"roster\":[{},{\"team\":\"ROSTER_TEAM_GREEN\"}]}"));
        assertEquals(
                "rules.killLimit: 4294967296 is out of range [0, 4294967295]",
                message("{\"rules\":{\"killLimit\":4294967296}}"));
        assertEquals("matchId: expected a string, got 7", message("{\"matchId\":7}"));
        assertEquals(
                "matchId: given twice (as matchId and match_id)", message("{\"matchId\":\"a\",\"match_id\":\"b\"}"));
        assertTrue(message("{\"matchId\":\"a\",\"matchId\":\"b\"}")
                .startsWith("malformed JSON: duplicate key \"matchId\""));
    }

    @Test
    void refusesOversizedDeepAndCrowdedDocuments() {
        String big = "{\"matchId\":\"" + "x".repeat(AllocationAnnotation.MAX_CHARS) + "\"}";
        assertTrue(message(big).startsWith("malformed JSON: document of"), message(big));
        String deep = "{\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertTrue(message(deep).startsWith("malformed JSON: "), message(deep));
        String deepButShort = "{\"x\":[[[[1]]]]}";
        assertTrue(
                message(deepButShort).contains("nesting deeper than " + AllocationAnnotation.MAX_DEPTH),
                message(deepButShort));
        String crowded = "{\"roster\":[" + "{},".repeat(AllocationAnnotation.MAX_ROSTER) + "{}]}";
        assertEquals("roster: 65 players exceed 64", message(crowded));
        String longEnum = "{\"roster\":[{\"team\":\"" + "R".repeat(5_000) + "\"}]}";
        assertTrue(message(longEnum).length() < 200, "hostile text is clipped in the error");
    }

    private static String message(String json) {
        return assertThrows(InvalidAllocationException.class, () -> AllocationAnnotation.parse(json))
                .getMessage();
    }
}
