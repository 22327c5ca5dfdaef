package dev.trespasser.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the repository the tests read: the manifests, the Dockerfiles, the docs, the sources. */
final class Repository {

    /** Maven runs the tests with the module folder ({@code manifests/}) as working directory. */
    static final Path ROOT = locateRoot();
    /** The design card's layout: {@code kubectl apply -f fleet.yaml}, {@code kubectl apply -k open-match/}. */
    static final Path FLEET = ROOT.resolve("fleet.yaml");

    static final Path OPEN_MATCH = ROOT.resolve("open-match");

    private Repository() {}

    private static Path locateRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("fleet.yaml"))
                    && Files.isRegularFile(dir.resolve("pom.xml"))
                    && Files.isDirectory(dir.resolve("match-server"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException(
                "repository root not found above " + Path.of("").toAbsolutePath());
    }

    static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
