package dev.trespasser.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker's logic on buf's real output format, without running buf. */
class BufBreakingCheckTest {

    private static final String GAME = "proto/src/main/proto/trespasser/game/v1/game.proto";

    /** Four lines buf 1.47.2 printed for an old change of game.proto (a rename and a deletion). */
    private static final String BUF_OUTPUT = """
            {"path":"proto/src/main/proto/trespasser/game/v1/game.proto","start_line":1,"start_column":1,"end_line":1,"end_column":1,"type":"MESSAGE_NO_DELETE","message":"Previously present message \\"SoundEvent\\" was deleted from file."}
            {"path":"proto/src/main/proto/trespasser/game/v1/game.proto","start_line":66,"start_column":3,"end_line":66,"end_column":28,"type":"FIELD_SAME_JSON_NAME","message":"Field \\"1\\" with name \\"snapshot_tick\\" on message \\"SnapshotAck\\" changed option \\"json_name\\" from \\"snapshotId\\" to \\"snapshotTick\\"."}
            {"path":"proto/src/main/proto/trespasser/game/v1/game.proto","start_line":66,"start_column":10,"end_line":66,"end_column":23,"type":"FIELD_SAME_NAME","message":"Field \\"1\\" on message \\"SnapshotAck\\" changed name from \\"snapshot_id\\" to \\"snapshot_tick\\"."}
            {"path":"proto/src/main/proto/trespasser/game/v1/game.proto","start_line":158,"start_column":10,"end_line":158,"end_column":14,"type":"FIELD_SAME_NAME","message":"Field \\"1\\" on message \\"Snapshot\\" changed name from \\"id\\" to \\"tick\\"."}
            """;

    @Test
    void parsesEveryViolationOfBufsJsonLines() {
        List<BufBreaking.Violation> violations = BufBreaking.parseViolations(BUF_OUTPUT);

        assertEquals(4, violations.size());
        BufBreaking.Violation first = violations.get(0);
        assertEquals(GAME, first.path());
        assertEquals(1, first.line());
        assertEquals("MESSAGE_NO_DELETE", first.rule());
        assertEquals("Previously present message \"SoundEvent\" was deleted from file.", first.message());
        assertEquals(158, violations.get(3).line());
    }

    @Test
    void refusesOutputThatIsNotBufsJson() {
        assertThrows(IllegalArgumentException.class, () -> BufBreaking.parseViolations("Failure: could not clone"));
        assertThrows(IllegalArgumentException.class, () -> BufBreaking.parseViolations("{\"path\":\"a.proto\"}"));
        assertThrows(IllegalArgumentException.class, () -> BufBreaking.parseViolations("[1, 2]"));
        assertEquals(List.of(), BufBreaking.parseViolations("\n\n"));
    }

    @Test
    void aDeclarationCoversTheViolationsOfItsFileRuleAndElement() {
        List<BufBreaking.Declaration> declarations = BufBreaking.parseDeclarations(declarations(
                "- `" + GAME + " FIELD_SAME_NAME SnapshotAck.1` renamed with every client in one release",
                "- `" + GAME + " MESSAGE_NO_DELETE SoundEvent` sounds moved into EventBatch.sounds"));

        BufBreaking.Report report = BufBreaking.check(BufBreaking.parseViolations(BUF_OUTPUT), declarations);

        // The JSON-name change and the Snapshot rename are not declared; the rule and the message name must match.
        assertEquals(
                List.of("FIELD_SAME_JSON_NAME", "FIELD_SAME_NAME"),
                report.undeclared().stream().map(BufBreaking.Violation::rule).toList());
        assertTrue(report.undeclared().get(1).message().contains("\"Snapshot\""));
        assertEquals(List.of(), report.unused());
    }

    @Test
    void anElementMatchesWholeQuotedNamesOnly() {
        BufBreaking.Violation snapshotAck =
                BufBreaking.parseViolations(BUF_OUTPUT).get(2);
        BufBreaking.Declaration snapshot = BufBreaking.parseDeclarations(
                        declarations("- `" + GAME + " FIELD_SAME_NAME Snapshot.1` why"))
                .get(0);
        BufBreaking.Declaration otherFile = BufBreaking.parseDeclarations(
                        declarations("- `proto/other.proto FIELD_SAME_NAME SnapshotAck.1` why"))
                .get(0);
        BufBreaking.Declaration otherField = BufBreaking.parseDeclarations(
                        declarations("- `" + GAME + " FIELD_SAME_NAME SnapshotAck.2` why"))
                .get(0);

        assertFalse(snapshot.matches(snapshotAck), "Snapshot is not SnapshotAck");
        assertFalse(otherFile.matches(snapshotAck));
        assertFalse(otherField.matches(snapshotAck));
    }

    @Test
    void declarationsThatMatchNothingAreReportedNotFailed() {
        List<BufBreaking.Declaration> declarations =
                BufBreaking.parseDeclarations(declarations("- `" + GAME + " FIELD_NO_DELETE Welcome.14` old news"));

        BufBreaking.Report report = BufBreaking.check(List.of(), declarations);

        assertEquals(List.of(), report.undeclared());
        assertEquals(declarations, report.unused());
    }

    @Test
    void onlyTheDeclarationsSectionCounts() {
        String markdown = """
                # Intentional breaking changes

                    - `<file> <RULE_ID> <element>` the format, explained

                - `a.proto FIELD_NO_DELETE A.1` an example in the introduction is not a declaration

                ## Declarations

                - `b.proto FIELD_NO_DELETE B.2` the one declaration
                """;
        List<BufBreaking.Declaration> declarations = BufBreaking.parseDeclarations(markdown);

        assertEquals(1, declarations.size());
        assertEquals("b.proto", declarations.get(0).file());
        assertEquals("B.2", declarations.get(0).element());
        assertEquals("the one declaration", declarations.get(0).reason());
        assertEquals(9, declarations.get(0).lineNumber());
    }

    @Test
    void malformedDeclarationsAreRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> BufBreaking.parseDeclarations(declarations("- `a.proto FIELD_NO_DELETE` two words")));
        assertThrows(
                IllegalArgumentException.class,
                () -> BufBreaking.parseDeclarations(declarations("- `a.proto FIELD_NO_DELETE A.1`")));
        assertThrows(
                IllegalArgumentException.class,
                () -> BufBreaking.parseDeclarations(declarations("- a.proto FIELD_NO_DELETE A.1 no code span")));
    }

    @Test
    void theRepositorysDeclarationFileParses() throws Exception {
        Path file = PeerBinaries.locate().toolsDir().getParent().resolve("proto/BREAKING.md");
        String text = Files.readString(file);
        assertTrue(text.contains(BufBreaking.DECLARATIONS_HEADING), "proto/BREAKING.md needs its declarations section");
        BufBreaking.parseDeclarations(text);
    }

    private static String declarations(String... items) {
        return "# breaks\n\n## Declarations\n\n" + String.join("\n", items) + "\n";
    }
}
