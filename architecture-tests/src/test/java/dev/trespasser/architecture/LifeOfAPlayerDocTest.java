package dev.trespasser.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md's "Life of a player" names the class at each step; every one of those
 * names must be a class in the main code, so a rename or a move that forgets the page fails here.
 */
class LifeOfAPlayerDocTest {

    static final String SECTION = "## Life of a player";
    /** `ClassName`, `ClassName.method`, `ClassName.method()` or `ClassName#method`; not `CONSTANTS` or `module-names`. */
    static final Pattern CLASS_REFERENCE =
            Pattern.compile("`([A-Z][a-z][A-Za-z0-9]*)(?:[.#][a-z][A-Za-z0-9]*(?:\\(\\))?)?`");

    @Test
    void everyClassTheLifeOfAPlayerNamesExists() throws IOException {
        Set<String> named = classNames(section(architecturePage()));
        assertTrue(named.size() >= 20, () -> "the section names too few classes to tell the story: " + named);
        Set<String> known =
                MainCode.classes().stream().map(JavaClass::getSimpleName).collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>(named);
        missing.removeAll(known);
        assertEquals(
                Set.of(),
                missing,
                "docs/architecture.md \"Life of a player\" names classes that the main code does not have");
    }

    @Test
    void classNamesAreReadFromBackticksOnly() {
        assertEquals(
                new TreeSet<>(List.of("FrontendServer", "TicketQueue", "MatchRoom")),
                classNames("`FrontendServer` calls `TicketQueue.enqueue()` then `MatchRoom#tick`; "
                        + "`LOG_LEVEL`, `match-server`, `trespasser:assignment:<ticketId>`, plain Words"));
    }

    static Set<String> classNames(String markdown) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = CLASS_REFERENCE.matcher(markdown);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    static String section(String page) {
        int start = page.indexOf("\n" + SECTION + "\n");
        assertTrue(start >= 0, "docs/architecture.md has no \"" + SECTION + "\" section");
        int end = page.indexOf("\n## ", start + SECTION.length() + 1);
        return end < 0 ? page.substring(start) : page.substring(start, end);
    }

    /** Surefire runs in the module's folder; the page is in the repository's docs/. */
    static String architecturePage() throws IOException {
        Path page = Path.of("").toAbsolutePath().getParent().resolve("docs/architecture.md");
        assertTrue(Files.exists(page), () -> page + " not found: run from the architecture-tests module");
        return Files.readString(page);
    }
}
