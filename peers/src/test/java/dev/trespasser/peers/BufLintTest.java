package dev.trespasser.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `buf lint` holds our own protocols (trespasser.*) to the STANDARD rules. */
class BufLintTest {
    private final Path repo = PeerBinaries.locate().toolsDir().getParent();

    @Test
    void ourProtosPassBufLint() throws Exception {
        Result result = buf(repo, "lint");
        assertEquals(0, result.exitCode(), "buf lint failed:\n" + result.output());
    }

    @Test
    void bufLintRejectsAProtoThatBreaksTheRules(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("buf.yaml"), "version: v2\nlint:\n  use:\n    - STANDARD\n");
        Path proto = dir.resolve("trespasser/game/v1/bad.proto");
        Files.createDirectories(proto.getParent());
        Files.writeString(proto, """
                syntax = "proto3";
                package trespasser.game.v1;
                enum color { RED = 0; }
                message bad_message { string BadField = 1; }
                """);
        Result result = buf(dir, "lint");
        assertNotEquals(0, result.exitCode(), "the check must be able to fail");
        assertTrue(
                result.output().contains("ENUM_ZERO_VALUE_SUFFIX")
                        || result.output().contains("UNSPECIFIED"),
                result.output());
    }

    private record Result(int exitCode, String output) {}

    private Result buf(Path workDir, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = PeerBinaries.locate().buf().toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), output);
    }
}
