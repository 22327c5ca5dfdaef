package dev.trespasser.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Inside a module, feature packages form a tree: {@code main}'s package wires the features
 * together and no feature reaches back into it or into a feature that reaches back. A slice is a
 * module's top-level feature package, or the module's own package for the classes directly in it.
 */
class PackageCyclesTest {

    /** Module packages are {@code dev.trespasser.<module>}; generated protobuf code is not ours to shape. */
    static final String GENERATED = "dev.trespasser.proto.";

    @Test
    void everyModuleIsCoveredBySomeClasses() {
        Set<String> modules = new TreeSet<>();
        for (JavaClass c : MainCode.classes()) {
            modules.add(moduleOf(c.getPackageName()));
        }
        // a module missing here means the rules below ran over nothing of it
        org.junit.jupiter.api.Assertions.assertTrue(
                modules.containsAll(List.of(
                        "bots",
                        "director",
                        "frontend",
                        "game",
                        "localstack",
                        "match",
                        "mmf",
                        "peers",
                        "proto",
                        "runtime")),
                () -> "modules seen: " + modules);
    }

    @Test
    void noPackageCyclesWithinAModule() {
        slices().assignedFrom(FEATURES)
                .should()
                .beFreeOfCycles()
                .because(
                        "a feature that depends back on main's package or on a sibling that depends on it cannot be understood or moved alone")
                .check(MainCode.classes());
    }

    static final SliceAssignment FEATURES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String pkg = javaClass.getPackageName();
            if (!pkg.startsWith(MainCode.BASE + ".") || pkg.startsWith(GENERATED)) {
                return SliceIdentifier.ignore();
            }
            String module = moduleOf(pkg);
            String rest = pkg.substring((MainCode.BASE + "." + module).length());
            String feature =
                    rest.isEmpty() ? "(main package)" : rest.substring(1).split("\\.")[0];
            return SliceIdentifier.of(module, feature);
        }

        @Override
        public String getDescription() {
            return "each module's top-level feature packages and its own package";
        }
    };

    static String moduleOf(String pkg) {
        return pkg.substring(MainCode.BASE.length() + 1).split("\\.")[0];
    }
}
