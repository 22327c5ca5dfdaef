package dev.trespasser.match.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.match.MatchServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The real {@link MatchServer} main class in a child JVM, with the memory and JIT flags of
 * match-server/Dockerfile's ENTRYPOINT (but the CDS archive, not built here), the test's
 * environment, and its stdout and stderr in {@code match-server.log} under the test's directory.
 */
public final class MatchServerChild implements AutoCloseable {

    private static final int TAIL_CHARS = 20_000;

    private final Process process;
    private final Path log;

    private MatchServerChild(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts the server with this environment (added to this JVM's, with MALLOC_ARENA_MAX=2 as in
     * the image) and these JVM flags after the image's ones.
     */
    public static MatchServerChild start(Path dir, Map<String, String> env, String... extraFlags) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ProductionJvmFlags.fromDockerfile(ProductionJvmFlags.dockerfile()));
        command.addAll(List.of(extraFlags));
        command.addAll(List.of("-cp", classpath, MatchServer.class.getName()));
        Path log = dir.resolve("match-server.log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        builder.environment().putAll(env);
        return new MatchServerChild(builder.start(), log);
    }

    public Process process() {
        return process;
    }

    /** Everything the server has logged so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** The last 20,000 characters of {@link #log}, for failure messages of long runs. */
    public String logTail() {
        String text = log();
        return text.length() > TAIL_CHARS ? text.substring(text.length() - TAIL_CHARS) : text;
    }

    /** Polls the condition every 16 ms; fails if the server dies first or the timeout passes. */
    public void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(process.isAlive(), "the server died waiting for " + what + "\n" + logTail());
            assertTrue(System.nanoTime() < deadline, "no " + what + " within " + timeout + "\n" + logTail());
            Thread.sleep(16);
        }
    }

    /** Kills the server if it still runs. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
