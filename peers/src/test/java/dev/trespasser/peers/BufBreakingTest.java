package dev.trespasser.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `buf breaking` of this repository's protocols against the parent commit: every break must be
 * declared in {@code proto/BREAKING.md}. The other tests run the same check on throwaway
 * repositories, so it is shown to fail on an undeclared break and to refuse a shallow history.
 */
class BufBreakingTest {

    private final Path repo = PeerBinaries.locate().toolsDir().getParent();
    private final Path buf = PeerBinaries.locate().buf();

    @Test
    void everyBreakingChangeAgainstTheParentCommitIsDeclared() throws Exception {
        BufBreaking.Report report = BufBreaking.run(buf, repo, repo.resolve("proto/BREAKING.md"));

        System.out.printf(
                "buf breaking against HEAD~1: %d violation(s), %d undeclared%n",
                report.violations().size(), report.undeclared().size());
        for (BufBreaking.Declaration unused : report.unused()) {
            System.out.println("proto/BREAKING.md declares a break buf did not report (prune it later): " + unused);
        }
        assertTrue(
                report.undeclared().isEmpty(),
                () -> "breaking changes against the parent commit that proto/BREAKING.md does not declare:\n"
                        + report.undeclared().stream().map(v -> "  " + v).collect(Collectors.joining("\n"))
                        + "\nDeclare each intentional one there (format at the top of the file) for review.");
    }

    @Test
    void anUndeclaredBreakFailsAndItsDeclarationLetsItPass(@TempDir Path dir) throws Exception {
        Path declarations = dir.resolve("BREAKING.md");
        Path work = twoCommits(dir.resolve("repo"));

        Files.writeString(declarations, "# breaks\n\n## Declarations\n\n");
        BufBreaking.Report undeclared = BufBreaking.run(buf, work, declarations);
        assertEquals(1, undeclared.undeclared().size(), undeclared.toString());
        BufBreaking.Violation deleted = undeclared.undeclared().get(0);
        assertEquals("proto/demo/v1/demo.proto", deleted.path());
        assertEquals("FIELD_NO_DELETE", deleted.rule());

        Files.writeString(declarations, """
                # breaks

                ## Declarations

                - `proto/demo/v1/demo.proto FIELD_NO_DELETE Ping.2` nobody reads the note yet
                - `proto/demo/v1/demo.proto FIELD_NO_DELETE Pong.1` an old break, matches nothing now
                """);
        BufBreaking.Report declared = BufBreaking.run(buf, work, declarations);
        assertTrue(declared.undeclared().isEmpty(), declared.toString());
        assertEquals(1, declared.unused().size());
        assertEquals("Pong.1", declared.unused().get(0).element());
    }

    @Test
    void aShallowCloneIsRefusedWithHowToFetchTheHistory(@TempDir Path dir) throws Exception {
        Path work = twoCommits(dir.resolve("repo"));
        Path shallow = dir.resolve("shallow");
        git(dir, "clone", "-q", "--depth", "1", work.toUri().toString(), shallow.toString());
        Path declarations = Files.writeString(dir.resolve("BREAKING.md"), "## Declarations\n");

        IllegalStateException refused =
                assertThrows(IllegalStateException.class, () -> BufBreaking.run(buf, shallow, declarations));
        assertTrue(refused.getMessage().contains("shallow clone"), refused.getMessage());
        assertTrue(refused.getMessage().contains("git fetch --unshallow"), refused.getMessage());
    }

    @Test
    void aFirstCommitHasNoParentToCheckAgainst(@TempDir Path dir) throws Exception {
        Path work = dir.resolve("repo");
        firstCommit(work);
        Path declarations = Files.writeString(dir.resolve("BREAKING.md"), "## Declarations\n");

        IllegalStateException refused =
                assertThrows(IllegalStateException.class, () -> BufBreaking.run(buf, work, declarations));
        assertTrue(refused.getMessage().contains("no parent commit"), refused.getMessage());
        assertTrue(refused.getMessage().contains("git fetch --unshallow"), refused.getMessage());
    }

    /** A repository laid out like ours (root buf.yaml, module under proto/) whose HEAD deletes a field. */
    private static Path twoCommits(Path work) throws IOException, InterruptedException {
        firstCommit(work);
        Files.writeString(work.resolve("proto/demo/v1/demo.proto"), """
                syntax = "proto3";
                package demo.v1;
                message Ping {
                  uint32 id = 1;
                }
                """);
        git(work, "commit", "-q", "-am", "drop Ping.note");
        return work;
    }

    private static void firstCommit(Path work) throws IOException, InterruptedException {
        Files.createDirectories(work.resolve("proto/demo/v1"));
        Files.writeString(work.resolve("buf.yaml"), """
                version: v2
                modules:
                  - path: proto
                breaking:
                  use:
                    - FILE
                """);
        Files.writeString(work.resolve("proto/demo/v1/demo.proto"), """
                syntax = "proto3";
                package demo.v1;
                message Ping {
                  uint32 id = 1;
                  string note = 2;
                }
                """);
        git(work, "init", "-q");
        git(work, "add", "-A");
        git(work, "commit", "-q", "-m", "first");
    }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 5];
        command[0] = "git";
        command[1] = "-c";
        command[2] = "user.name=buf-breaking-test";
        command[3] = "-c";
        command[4] = "user.email=buf-breaking-test@example.invalid";
        System.arraycopy(args, 0, command, 5, args.length);
        BufBreaking.Output out = BufBreaking.exec(dir, command);
        if (out.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out.all());
        }
    }
}
