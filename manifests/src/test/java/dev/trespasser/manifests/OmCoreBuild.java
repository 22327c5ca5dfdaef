package dev.trespasser.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The om-core commit {@code open-match/om-core.Dockerfile} builds, and the upstream build of it beside the clone. */
final class OmCoreBuild {

    static final Path DOCKERFILE = Repository.OPEN_MATCH.resolve("om-core.Dockerfile");

    private OmCoreBuild() {}

    /** The full commit hash of {@code ARG OM_CORE_COMMIT=}. */
    static String commit(String dockerfile) {
        Matcher matcher =
                Pattern.compile("(?m)^ARG OM_CORE_COMMIT=([0-9a-f]{40})\\s*$").matcher(dockerfile);
        if (!matcher.find()) {
            throw new IllegalStateException(DOCKERFILE + " pins no full commit in ARG OM_CORE_COMMIT");
        }
        return matcher.group(1);
    }

    static String commit() {
        return commit(Repository.read(DOCKERFILE));
    }

    /** shared/peers/om-core-&lt;commit7&gt;-linux-amd64.xz: the same commit, built from upstream source. */
    static Path sharedBuild() {
        Path build = Repository.ROOT
                .resolve("../shared/peers/om-core-" + commit().substring(0, 7) + "-linux-amd64.xz")
                .normalize();
        if (!Files.isRegularFile(build)) {
            throw new IllegalStateException("om-core's build of the Dockerfile's commit is missing: expected " + build
                    + " (shared/peers/ lies beside the repository's clone; its README says what it holds)");
        }
        return build;
    }

    /** The unpacked binary as ISO-8859-1 text, to look for the names of the settings it reads. */
    static String binaryText() {
        try {
            Process xz = new ProcessBuilder("xz", "-dc", sharedBuild().toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            byte[] binary = xz.getInputStream().readAllBytes();
            if (!xz.waitFor(60, TimeUnit.SECONDS) || xz.exitValue() != 0 || binary.length == 0) {
                throw new IllegalStateException("xz -dc " + sharedBuild() + " failed");
            }
            return new String(binary, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run xz (Debian package xz-utils) to unpack " + sharedBuild(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
