package dev.trespasser.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the repository the tests read: the manifests, the Dockerfiles, the docs, the sources. */
final class Repository {

    /** Maven runs the tests with the module folder as working directory. */
    static final Path ROOT = locateRoot();
    static final Path DEPLOY = ROOT.resolve("deploy");
    static final Path FLEET = DEPLOY.resolve("fleet.yaml");
    static final Path OPEN_MATCH = DEPLOY.resolve("open-match");

    private Repository() {}

    private static Path locateRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("deploy")) && Files.isRegularFile(dir.resolve("pom.xml"))
                    && Files.isDirectory(dir.resolve("match-server"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
    }

    static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
