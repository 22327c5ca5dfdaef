package dev.trespasser.peers;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the peer binaries that {@code scripts/install-peers.sh} installs into the git-ignored
 * {@code .tools/bin} folder of the repository.
 */
public final class PeerBinaries {
    /** Set by the Maven build (the root pom's Surefire settings); otherwise found by walking up from the working directory. */
    public static final String TOOLS_ENV = "TRESPASSER_TOOLS";

    private final Path toolsDir;

    private PeerBinaries(Path toolsDir) {
        this.toolsDir = toolsDir;
    }

    public static PeerBinaries locate() {
        String fromEnv = System.getenv(TOOLS_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new PeerBinaries(Path.of(fromEnv).toAbsolutePath());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(".tools/bin"))) {
                return new PeerBinaries(dir.resolve(".tools"));
            }
        }
        throw new IllegalStateException("No .tools/bin found above "
                + Path.of("").toAbsolutePath() + ": run scripts/install-peers.sh first, or set " + TOOLS_ENV);
    }

    public Path toolsDir() {
        return toolsDir;
    }

    public Path omCore() {
        return required("open-match2");
    }

    public Path buf() {
        return required("buf");
    }

    /** The Agones SDK server; {@code AGONES_SDK_SERVER_BIN} names another build of it. */
    public Path agonesSdkServer() {
        String override = System.getenv("AGONES_SDK_SERVER_BIN");
        if (override != null && !override.isBlank()) {
            Path bin = Path.of(override);
            if (!Files.isExecutable(bin)) {
                throw new IllegalStateException("AGONES_SDK_SERVER_BIN=" + override + " is not an executable file");
            }
            return bin;
        }
        return required("sdk-server");
    }

    /** Debian's redis-server, installed by the script when missing. */
    public Path redisServer() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("redis-server is not on PATH: run scripts/install-peers.sh");
    }

    private Path required(String name) {
        Path bin = toolsDir.resolve("bin").resolve(name);
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException(bin + " is missing: run scripts/install-peers.sh");
        }
        return bin;
    }
}
