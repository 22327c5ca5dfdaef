package dev.trespasser.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The main code of every module in the reactor: their jars are this module's test classpath. */
final class MainCode {

    static final String BASE = "dev.trespasser";

    private static JavaClasses classes;

    private MainCode() {}

    static synchronized JavaClasses classes() {
        if (classes == null) {
            classes = new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages(BASE);
        }
        return classes;
    }
}
