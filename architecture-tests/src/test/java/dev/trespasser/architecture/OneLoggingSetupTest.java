package dev.trespasser.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One logging setup for production (service-runtime) and one for tests (test-logging): a module
 * that adds its own logback*.xml would win or lose against them by classpath order.
 */
class OneLoggingSetupTest {

    static final Set<String> SKIPPED = Set.of("target", ".git", ".tools", "node_modules");

    @Test
    void theOnlyLogbackFilesAreTheSharedOnes() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        try (Stream<Path> files = Files.walk(root)) {
            List<String> found = files.filter(f ->
                            Stream.of(root.relativize(f).toString().split("/")).noneMatch(SKIPPED::contains))
                    .filter(f -> f.getFileName().toString().matches("logback.*\\.xml"))
                    .map(f -> root.relativize(f).toString())
                    .sorted()
                    .toList();
            assertEquals(
                    List.of(
                            "service-runtime/src/main/resources/logback.xml",
                            "test-logging/src/main/resources/logback-test.xml"),
                    found);
        }
    }
}
