package dev.stator.runtime;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The layering rules of docs/ARCHITECTURE.md, checked on the compiled classes rather than promised. */
class LayeringTest {

    private static final JavaClasses STATOR = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.stator");

    @Test
    void theDriverApiSeesNoProtocolLibraryAndNoUi() {
        noClasses().that().resideInAPackage("dev.stator.driver.api..")
                .should().dependOnClassesThat().resideInAnyPackage("com.ghgande..", "org.eclipse.milo..",
                        "javafx..", "org.h2..", "dev.stator.runtime..", "dev.stator.driver.modbus..")
                .check(STATOR);
    }

    @Test
    void protocolTypesStayInsideTheirDriver() {
        noClasses().that().resideOutsideOfPackages("dev.stator.driver.modbus..", "dev.stator.simulator..")
                .should().dependOnClassesThat().resideInAPackage("com.ghgande..")
                .check(STATOR);
    }

    @Test
    void miloStaysInsideTheOpcUaDriverAndTheSimulator() {
        noClasses().that().resideOutsideOfPackages("dev.stator.driver.opcua..", "dev.stator.simulator..")
                .should().dependOnClassesThat().resideInAnyPackage("org.eclipse.milo..", "io.netty..")
                .check(STATOR);
    }

    @Test
    void theRuntimeHasNoJavaFxAndKnowsNoDriverByName() {
        noClasses().that().resideInAPackage("dev.stator.runtime..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "dev.stator.driver.modbus..",
                        "dev.stator.driver.opcua..", "dev.stator.console..")
                .check(STATOR);
    }

    @Test
    void theHistorianKnowsNothingAboveIt() {
        noClasses().that().resideInAPackage("dev.stator.historian..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.stator.runtime..", "javafx..",
                        "dev.stator.driver.modbus..")
                .check(STATOR);
    }
}
