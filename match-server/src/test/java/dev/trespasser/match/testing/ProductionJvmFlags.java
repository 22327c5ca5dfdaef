package dev.trespasser.match.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The JVM flags of match-server/Dockerfile's ENTRYPOINT. */
public final class ProductionJvmFlags {

    private ProductionJvmFlags() {}

    /** match-server/Dockerfile from the repository root or the module directory. */
    public static Path dockerfile() {
        for (Path p : List.of(Path.of("match-server", "Dockerfile"), Path.of("Dockerfile"))) {
            if (Files.isRegularFile(p) && read(p).contains("dev.trespasser.match.MatchServer")) {
                return p;
            }
        }
        throw new IllegalStateException("run from the repository root or match-server/: no match-server/Dockerfile");
    }

    /**
     * Everything between {@code java} and {@code -cp} in the exec-form ENTRYPOINT, but the CDS
     * archive file (the image builds it; -Xshare:auto then uses the JDK's default archive).
     */
    public static List<String> fromDockerfile(Path dockerfile) {
        String text = read(dockerfile).replace("\\\n", " ");
        Matcher m = Pattern.compile("(?m)^ENTRYPOINT\\s*\\[(.*)]\\s*$").matcher(text);
        if (!m.find()) {
            throw new IllegalStateException(dockerfile + " has no exec-form ENTRYPOINT");
        }
        List<String> words = new ArrayList<>();
        Matcher word = Pattern.compile("\"([^\"]*)\"").matcher(m.group(1));
        while (word.find()) {
            words.add(word.group(1));
        }
        int cp = words.indexOf("-cp");
        if (words.isEmpty() || !words.get(0).equals("java") || cp < 0) {
            throw new IllegalStateException("ENTRYPOINT is not `java <flags> -cp ...`: " + words);
        }
        List<String> flags = new ArrayList<>(words.subList(1, cp));
        flags.removeIf(f -> f.startsWith("-XX:SharedArchiveFile="));
        if (!flags.contains("-XX:+ExitOnOutOfMemoryError") || flags.stream().noneMatch(f -> f.startsWith("-Xmx"))) {
            throw new IllegalStateException("ENTRYPOINT flags lost -Xmx or ExitOnOutOfMemoryError: " + flags);
        }
        return flags;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + p, e);
        }
    }
}
