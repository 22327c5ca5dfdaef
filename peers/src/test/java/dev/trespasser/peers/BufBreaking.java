package dev.trespasser.peers;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code buf breaking} of a repository's working tree against its parent commit, held to the
 * intentional breaks declared in one reviewed file ({@code proto/BREAKING.md}). The format of
 * that file is explained at its top; {@link Declaration} is one of its lines.
 */
final class BufBreaking {

    /** The commit a change is checked against: the parent of the commit under test. */
    static final String AGAINST = ".git#ref=HEAD~1";

    /** buf's exit code when it found violations (0: none; anything else: it could not check). */
    static final int VIOLATIONS_FOUND = 100;

    static final String DECLARATIONS_HEADING = "## Declarations";

    private static final Pattern DECLARATION = Pattern.compile("^- `([^`]*)`(.*)$");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

    private BufBreaking() {}

    /** One violation as {@code buf breaking --error-format json} prints it (one JSON object a line). */
    record Violation(String path, int line, String rule, String message) {
        @Override
        public String toString() {
            return path + ":" + line + " " + rule + ": " + message;
        }

        /** Every name the message quotes, split at dots: what a declaration's element names. */
        Set<String> quotedNames() {
            Set<String> names = new HashSet<>();
            Matcher m = QUOTED.matcher(message);
            while (m.find()) {
                names.addAll(List.of(m.group(1).split("\\.")));
            }
            return names;
        }
    }

    /**
     * An intentional break: {@code file} and {@code rule} as buf reports them, {@code element}
     * the names the violation's message quotes, joined by dots ({@code Snapshot.1} for {@code
     * Field "1" on message "Snapshot" changed name ...}).
     */
    record Declaration(int lineNumber, String file, String rule, String element, String reason) {
        boolean matches(Violation v) {
            if (!file.equals(v.path()) || !rule.equals(v.rule())) {
                return false;
            }
            return v.quotedNames().containsAll(List.of(element.split("\\.")));
        }

        @Override
        public String toString() {
            return "line " + lineNumber + ": " + file + " " + rule + " " + element;
        }
    }

    /** What a check found: the violations no declaration covers fail it; unused declarations do not. */
    record Report(List<Violation> violations, List<Violation> undeclared, List<Declaration> unused) {}

    /** Parses buf's JSON lines; anything else is an {@link IllegalArgumentException} naming the line. */
    static List<Violation> parseViolations(String jsonLines) {
        List<Violation> violations = new ArrayList<>();
        String[] lines = jsonLines.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            Struct.Builder object = Struct.newBuilder();
            try {
                JsonFormat.parser().merge(line, object);
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                throw new IllegalArgumentException(
                        "line " + (i + 1) + " of buf's output is not a JSON object: " + line, e);
            }
            String rule = text(object, "type");
            String message = text(object, "message");
            if (rule.isEmpty() || message.isEmpty()) {
                throw new IllegalArgumentException(
                        "line " + (i + 1) + " of buf's output has no type or message: " + line);
            }
            Value lineValue = object.getFieldsOrDefault("start_line", Value.getDefaultInstance());
            int number = lineValue.hasNumberValue() ? (int) lineValue.getNumberValue() : 0;
            violations.add(new Violation(text(object, "path"), number, rule, message));
        }
        return violations;
    }

    private static String text(Struct.Builder object, String field) {
        Value value = object.getFieldsOrDefault(field, Value.getDefaultInstance());
        return value.hasStringValue() ? value.getStringValue() : "";
    }

    /**
     * The declarations under the {@value #DECLARATIONS_HEADING} heading: list items {@code - `file
     * RULE element` reason}. A malformed item or one without a reason is an {@link
     * IllegalArgumentException}: a declaration nobody can read approves nothing.
     */
    static List<Declaration> parseDeclarations(String markdown) {
        List<Declaration> declarations = new ArrayList<>();
        boolean inSection = false;
        String[] lines = markdown.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("## ")) {
                inSection = line.strip().equals(DECLARATIONS_HEADING);
                continue;
            }
            if (!inSection || !line.startsWith("- ")) {
                continue;
            }
            Matcher m = DECLARATION.matcher(line.strip());
            String[] words = m.matches() ? m.group(1).strip().split("\\s+") : new String[0];
            if (words.length != 3) {
                throw new IllegalArgumentException(
                        "line " + (i + 1) + ": a declaration is - `<file> <RULE_ID> <element>` <reason>, got: " + line);
            }
            String reason = m.group(2).strip();
            if (reason.isEmpty()) {
                throw new IllegalArgumentException("line " + (i + 1) + ": a declaration must say why: " + line);
            }
            declarations.add(new Declaration(i + 1, words[0], words[1], words[2], reason));
        }
        return declarations;
    }

    static Report check(List<Violation> violations, List<Declaration> declarations) {
        List<Violation> undeclared = new ArrayList<>();
        Set<Declaration> used = new HashSet<>();
        for (Violation v : violations) {
            boolean covered = false;
            for (Declaration d : declarations) {
                if (d.matches(v)) {
                    used.add(d);
                    covered = true;
                }
            }
            if (!covered) {
                undeclared.add(v);
            }
        }
        List<Declaration> unused = new ArrayList<>();
        for (Declaration d : declarations) {
            if (!used.contains(d)) {
                unused.add(d);
            }
        }
        return new Report(violations, undeclared, unused);
    }

    /**
     * Runs buf in {@code repo} (its root {@code buf.yaml} names the module) against the parent
     * commit and checks the result against {@code declarationsFile}. A repository without that
     * parent (a shallow clone, a first commit) is an {@link IllegalStateException} that says how
     * to get it.
     */
    static Report run(Path buf, Path repo, Path declarationsFile) throws IOException, InterruptedException {
        List<Declaration> declarations = parseDeclarations(Files.readString(declarationsFile));
        Output shallow = exec(repo, "git", "rev-parse", "--is-shallow-repository");
        if (shallow.exitCode() != 0) {
            throw new IllegalStateException(repo + " is not a git repository: buf breaking compares against the parent "
                    + "commit, so the check needs the repository's history.\n" + shallow.all());
        }
        if (shallow.stdout().strip().equals("true")) {
            throw new IllegalStateException(
                    repo + " is a shallow clone: buf breaking needs the parent commit (HEAD~1). "
                            + "Fetch the history with `git fetch --unshallow` (or at least `git fetch --deepen=1`), "
                            + "or check out with fetch-depth 0 in CI.");
        }
        Output parent = exec(repo, "git", "rev-parse", "--verify", "--quiet", "HEAD~1^{commit}");
        if (parent.exitCode() != 0) {
            throw new IllegalStateException("HEAD of " + repo + " has no parent commit, so there is nothing to check "
                    + "against. If the history was cut, fetch it with `git fetch --unshallow`.");
        }
        Output result = exec(repo, buf.toString(), "breaking", "--against", AGAINST, "--error-format", "json");
        if (result.exitCode() == 0) {
            return check(List.of(), declarations);
        }
        if (result.exitCode() != VIOLATIONS_FOUND) {
            throw new IllegalStateException(
                    "buf breaking could not run (exit " + result.exitCode() + "):\n" + result.all());
        }
        return check(parseViolations(result.stdout()), declarations);
    }

    record Output(int exitCode, String stdout, String stderr) {
        String all() {
            return stdout + stderr;
        }
    }

    static Output exec(Path dir, String... command) throws IOException, InterruptedException {
        Path err = Files.createTempFile("buf-breaking", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectError(err.toFile())
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = process.waitFor();
            return new Output(code, out, Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
